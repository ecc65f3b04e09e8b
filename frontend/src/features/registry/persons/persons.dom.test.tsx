import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { renderApp } from "../../../test/renderApp";
import { DOCTOR, HISTORY, NEW_ID, ORGANIZATIONS, page, PATIENT_ID, PATIENT_SUMMARY, personRead, REASONS, REGISTRAR } from "../testing";

const R = "/api/registry";
const card = (id = PATIENT_ID, over: Record<string, unknown> = {}) => ({
  [`GET ${R}/persons/${id}`]: { status: 200, body: personRead({ id, requested_id: id, ...over }) },
  [`GET ${R}/persons/${id}/history`]: { status: 200, body: { ...HISTORY, person_id: id } },
  [`GET ${R}/persons/${id}/organizations`]: { status: 200, body: ORGANIZATIONS },
  [`GET ${R}/persons/${id}/merges`]: { status: 200, body: [] },
  [`GET ${R}/persons/${id}/exclusions`]: { status: 200, body: { person_id: id, items: [] } },
  [`GET ${R}/nsi/dictionaries/document_type/entries`]: page([{ code: "14", name: "Паспорт гражданина РФ" }]),
});

describe("the person search", () => {
  it("searches one way at a time, from the URL, and opens the card", async () => {
    const asked: URLSearchParams[] = [];
    const { user } = await renderApp({
      as: REGISTRAR,
      path: "/registry/persons",
      routes: {
        [`GET ${R}/persons`]: (request) => {
          asked.push(new URL(request.url).searchParams);
          return page([PATIENT_SUMMARY]);
        },
        ...card(),
      },
    });
    await screen.findByText("Заполните поля выбранного способа и нажмите «Найти».");
    expect(asked).toHaveLength(0);
    await user.type(screen.getByLabelText("Фамилия"), "Иванов");
    await user.click(screen.getByRole("radio", { name: "СНИЛС" }));
    await user.type(screen.getByRole("textbox", { name: "СНИЛС" }), "112-233-445 95");
    await user.click(screen.getByRole("button", { name: "Найти" }));
    const table = await screen.findByRole("table", { name: "Результаты поиска" });
    expect(Object.fromEntries(asked.at(-1)!)).toEqual({ snils: "11223344595", limit: "25", offset: "0" });
    expect(window.location.search).toContain("snils=11223344595");
    expect(window.location.search).not.toContain("surname");
    const row = within(table).getAllByRole("row")[1]!;
    expect(within(row).getAllByRole("cell").map((c) => c.textContent)).toEqual([
      "1000001",
      "Иванов Иван Иванович",
      "14.05.1980",
      "мужской",
      "112-233-445 95",
      "9999000000000012",
      "—",
      "100 %",
    ]);
    await user.click(within(row).getByRole("link", { name: "Иванов Иван Иванович" }));
    expect(await screen.findByTestId("person-name")).toHaveProperty("textContent", "Иванов Иван Иванович");
    expect(window.location.pathname).toBe(`/registry/persons/${PATIENT_ID}`);
  });

  it("shows the API's message at the field it is about", async () => {
    const { user } = await renderApp({
      as: REGISTRAR,
      path: "/registry/persons",
      routes: {
        [`GET ${R}/persons`]: {
          status: 422,
          body: { title: "Некорректные данные запроса", status: 422, errors: [{ field: "query.surname", message: "Для поиска по ФИО нужна фамилия" }] },
        },
      },
    });
    await user.type(await screen.findByLabelText("Имя"), "Иван");
    await user.click(screen.getByRole("button", { name: "Найти" }));
    const surname = await screen.findByLabelText("Фамилия");
    await waitFor(() => expect(surname.getAttribute("aria-invalid")).toBe("true"));
    expect(surname.parentElement?.textContent).toContain("Для поиска по ФИО нужна фамилия");
    expect(screen.queryByRole("alert")).toBeNull();
  });
});

describe("find before create and registration", () => {
  it("lists the matches with their reasons, shows the refusal's candidates and registers after the confirmation", async () => {
    const registrations: unknown[] = [];
    const { user, requests } = await renderApp({
      as: REGISTRAR,
      path: "/registry/persons/new",
      routes: {
        [`POST ${R}/persons/$match`]: {
          status: 200,
          body: {
            candidates: [{ person_id: PATIENT_ID, oip: 1000001, score: 31.5, grade: "probable", reasons: REASONS, person: PATIENT_SUMMARY }],
            thresholds: { certain: 36, probable: 23, possible: 16 },
          },
        },
        [`POST ${R}/persons`]: (_request, body) => {
          registrations.push(body);
          if ((body as { confirm_new?: boolean }).confirm_new !== true) {
            return {
              status: 409,
              body: {
                type: "urn:oms:problem:probable-duplicate",
                title: "Похоже, эта персона уже есть в регистре",
                status: 409,
                detail: "Найдены вероятные совпадения (ОИП 1000001).",
                candidates: [{ person_id: PATIENT_ID, oip: 1000001, score: 31.5, grade: "probable", reasons: REASONS, person: null }],
              },
            };
          }
          return { status: 201, body: personRead({ id: NEW_ID, requested_id: NEW_ID, oip: 1003002 }) };
        },
        ...card(NEW_ID),
      },
    });
    const form = await screen.findByRole("form", { name: "Новое застрахованное лицо" });
    await user.type(within(form).getByLabelText("Фамилия"), "Иванов");
    await user.type(within(form).getByLabelText("Имя"), "Иван");
    await user.type(within(form).getByLabelText("Дата рождения"), "1980-05-14");
    await user.selectOptions(within(form).getByLabelText("Пол"), "male");
    await user.click(screen.getByRole("button", { name: "Найти совпадения" }));

    const found = await screen.findByTestId("candidates");
    expect(requests.find((r) => r.key.endsWith("/$match"))?.body).toEqual({ surname: "Иванов", first_name: "Иван", birth_date: "1980-05-14", sex: "male" });
    const reasons = within(found).getAllByTestId("reason");
    expect(reasons.map((r) => [r.dataset.field, r.className])).toEqual([
      ["surname", "reason reason-for"],
      ["birth_date", "reason reason-for"],
      ["snils", "reason reason-against"],
    ]);
    expect(reasons[2]!.textContent).toContain("СНИЛС: различается");
    expect(reasons[2]!.textContent).toContain("−9,0");
    expect(within(found).getByTestId("grade").textContent).toBe("вероятно");

    await user.click(screen.getByRole("button", { name: "Зарегистрировать" }));
    const refusal = await screen.findByTestId("duplicate-refusal");
    expect(within(refusal).getByRole("heading").textContent).toBe("Регистрация отклонена: вероятный дубликат");
    // The refusal names the candidate by ОИП; the match told who it is.
    expect(within(refusal).getByText("Иванов Иван Иванович")).toBeTruthy();
    const again = within(refusal).getByRole("button", { name: "Зарегистрировать как нового" });
    expect(again).toHaveProperty("disabled", true);
    await user.click(within(refusal).getByLabelText("Я проверил совпадения: это другой человек"));
    await user.click(again);

    await waitFor(() => expect(window.location.pathname).toBe(`/registry/persons/${NEW_ID}`));
    expect(registrations).toHaveLength(2);
    expect(registrations[0]).not.toHaveProperty("confirm_new");
    expect(registrations[1]).toMatchObject({ surname: "Иванов", confirm_new: true });
    expect((await screen.findByRole("status")).textContent).toBe("Застрахованное лицо зарегистрировано, ОИП 1003002.");
  });

  it("lets a doctor look for matches but not register", async () => {
    await renderApp({ as: DOCTOR, path: "/registry/persons/new" });
    await screen.findByText("Регистрировать может оператор регистра; вам доступен поиск совпадений.");
    expect(screen.queryByRole("button", { name: "Зарегистрировать" })).toBeNull();
    expect(screen.getByRole("button", { name: "Найти совпадения" })).toBeTruthy();
    expect(screen.queryByRole("link", { name: "Дубликаты" })).toBeNull();
  });
});

describe("the person card", () => {
  it("names the insurer and the MO, strikes the corrected record through and marks its correction", async () => {
    await renderApp({ as: REGISTRAR, path: `/registry/persons/${PATIENT_ID}`, routes: card() });
    const insurance = await screen.findByTestId("person-insurance");
    await within(insurance).findByText("ООО «СМК «Приозёрье-Мед» (99001)");
    expect(within(screen.getByTestId("person-attachment")).getByRole("link").textContent).toBe("ГБУЗ «Городская поликлиника № 2 г. Приозёрска» (990001)");
    const timeline = await screen.findByTestId("timeline");
    const corrected = timeline.querySelector('[data-status="corrected"]') as HTMLElement;
    expect(corrected.querySelector("del")?.textContent).toBe("г. Приозёрск, ул. Ленина, д. 1, кв. 1");
    expect(corrected.textContent).toContain("исправлена записью 12");
    const correction = timeline.querySelector('[data-correction="true"]') as HTMLElement;
    expect(correction.textContent).toContain("исправление записи 7");
    expect(correction.dataset.inForce).toBe("true");
    expect(corrected.dataset.inForce).toBeUndefined();
    expect(timeline.textContent).toContain("ООО «СМК «Приозёрье-Мед» (99001), полис 9999000000000012");
    // A user's id as the recorder is shortened (the full one in the title).
    expect(within(correction).getByTitle("3ba34c79-9ad9-4649-87a9-d063db533cf4").textContent).toBe("3ba34c79…");
  });

  it("lists the exclusions from the non-working register only when there are any", async () => {
    const exclusion = (over: Record<string, unknown>) => ({
      run_id: "run-1",
      organization_id: "payer-1",
      reason: "employed",
      reason_title: "Работающий",
      reasons: ["employed", "entrepreneur"],
      reason_titles: ["Работающий", "Индивидуальный предприниматель"],
      months_excluded: 7,
      duplicate_of: null,
      excluded_at: "2026-03-02T10:00:00Z",
      reinstated_at: null,
      reinstated_on: null,
      ...over,
    });
    await renderApp({
      as: REGISTRAR,
      path: `/registry/persons/${PATIENT_ID}`,
      routes: {
        ...card(),
        [`GET ${R}/persons/${PATIENT_ID}/exclusions`]: {
          status: 200,
          body: {
            person_id: PATIENT_ID,
            items: [
              exclusion({}),
              exclusion({
                run_id: "run-0",
                reason: "dead",
                reason_title: "Умер",
                reasons: ["dead"],
                reason_titles: ["Умер"],
                months_excluded: 3,
                excluded_at: "2025-09-01T10:00:00Z",
                reinstated_at: "2026-03-02T10:00:00Z",
                reinstated_on: "2026-02-28",
              }),
            ],
          },
        },
      },
    });
    const section = await screen.findByRole("region", { name: "Исключения из регистра неработающих" });
    const [open, closed] = within(section).getAllByRole("listitem");
    expect(open!.textContent).toContain("Работающий");
    expect(open!.textContent).toContain("сверка от 02.03.2026");
    expect(open!.textContent).toContain("исключено месяцев: 7");
    expect(open!.textContent).toContain("действует");
    expect(open!.textContent).toContain("также: Индивидуальный предприниматель");
    expect(closed!.textContent).toContain("Умер");
    expect(closed!.textContent).toContain("возвращён(а) в регистр сверкой на 28.02.2026");
    expect(closed!.textContent).not.toContain("также");
  });

  it("shows no exclusions section for a person never excluded", async () => {
    const { requests } = await renderApp({ as: REGISTRAR, path: `/registry/persons/${PATIENT_ID}`, routes: card() });
    await screen.findByTestId("person-facts");
    await waitFor(() => expect(requests.some((r) => r.key.endsWith("/exclusions"))).toBe(true));
    expect(screen.queryByText("Исключения из регистра неработающих")).toBeNull();
  });

  it("asks for the person on a date as known at a moment, and back to today", async () => {
    const asked: URLSearchParams[] = [];
    const routes = card();
    const { user } = await renderApp({
      as: REGISTRAR,
      path: `/registry/persons/${PATIENT_ID}`,
      routes: {
        ...routes,
        [`GET ${R}/persons/${PATIENT_ID}`]: (request) => {
          const q = new URL(request.url).searchParams;
          asked.push(q);
          return { status: 200, body: personRead(q.get("on") ? { on: q.get("on"), as_of: q.get("as_of") } : {}) };
        },
      },
    });
    await screen.findByTestId("person-facts");
    const moment = screen.getByLabelText("По сведениям на момент");
    await user.clear(screen.getByLabelText("На дату"));
    await user.type(screen.getByLabelText("На дату"), "2015-01-01");
    await user.type(moment, "2026-11-24T08:15:00");
    await user.click(screen.getByRole("button", { name: "Показать" }));
    await waitFor(() => expect(asked.at(-1)?.get("on")).toBe("2015-01-01"));
    expect(asked.at(-1)?.get("as_of")).toBe(new Date("2026-11-24T08:15:00").toISOString());
    expect(window.location.search).toContain("on=2015-01-01");
    const timeline = await screen.findByTestId("timeline");
    // Known at 08:15: the first address (recorded 08:00, corrected 08:30) was in force.
    await waitFor(() => expect((timeline.querySelector('[data-status="corrected"]') as HTMLElement).dataset.inForce).toBe("true"));
    await user.click(screen.getByRole("button", { name: "Сегодня, по текущим сведениям" }));
    await waitFor(() => expect(window.location.search).toBe(""));
  });

  it("says a merged person is shown through its survivor and unmerges after the dialog", async () => {
    const merge = {
      id: "m-1",
      survivor_id: PATIENT_ID,
      survivor_oip: 1000001,
      merged_id: NEW_ID,
      merged_oip: 1003002,
      reason: "Один человек",
      merged_at: "2026-11-24T09:00:00Z",
      merged_by: "registrar",
      facts_moved: 3,
      unmerged_at: null,
      unmerged_by: null,
      unmerge_reason: null,
    };
    const { user, requests } = await renderApp({
      as: REGISTRAR,
      path: `/registry/persons/${NEW_ID}`,
      routes: {
        ...card(NEW_ID),
        [`GET ${R}/persons/${NEW_ID}`]: { status: 200, body: personRead({ requested_id: NEW_ID, merged_into: PATIENT_ID }) },
        [`GET ${R}/persons/${NEW_ID}/merges`]: { status: 200, body: [merge] },
        [`POST ${R}/persons/${NEW_ID}/unmerge`]: { status: 200, body: { ...merge, unmerged_at: "2026-11-24T09:05:00Z" } },
      },
    });
    await screen.findByTestId("merged-notice");
    expect(screen.getByTestId("person-oip").textContent).toBe("1000001");
    const merges = await screen.findByTestId("merges");
    expect(within(merges).getAllByRole("link").map((a) => a.getAttribute("href"))).toEqual([`/registry/persons/${NEW_ID}`, `/registry/persons/${PATIENT_ID}`]);
    await user.click(within(merges).getByRole("button", { name: "Разъединить…" }));
    const dialog = screen.getByRole("dialog", { name: "Разъединить персоны" });
    const confirm = within(dialog).getByRole("button", { name: "Разъединить" });
    expect(confirm).toHaveProperty("disabled", true);
    await user.type(within(dialog).getByLabelText(/Основание/), "Ошибка объединения");
    await user.click(confirm);
    expect(await screen.findByText("Разъединено: ОИП 1003002 снова отдельная персона.")).toBeTruthy();
    expect(requests.find((r) => r.key.endsWith("/unmerge"))?.body).toEqual({ reason: "Ошибка объединения" });
  });
});

