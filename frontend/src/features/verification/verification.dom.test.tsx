import { act, screen, waitFor, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
import { FakeXhr, job, xhrs } from "../../components/jobTesting";
import { renderApp } from "../../test/renderApp";
import { savingsOf } from "./runView";
import { DEAD_OUTCOME, JOB_ID, OPERATOR, PAIR_ID, READER, REVIEW_ITEM, RUN, RUNNING, RUN_ID, SAVINGS, TARIFF_2025, page } from "./testing";

const V = "/api/verification";

describe("verification home and runs", () => {
  it("shows the operator every section and the runs with their stage and counts", async () => {
    const { user } = await renderApp({
      as: OPERATOR,
      path: "/verification",
      routes: {
        [`GET ${V}/runs`]: page([RUNNING, RUN]),
        [`GET ${V}/statistics/trends`]: {
          status: 200,
          body: {
            items: [
              { run_id: "r1", period_from: "2025-01-01", period_to: "2025-12-31", as_of: "2025-11-30", created_at: "2026-11-01T00:00:00Z", register_size: 20400, excluded: 1010, review: 40, months_excluded: 8000, savings: "1.00", years_without_tariff: [] },
              { run_id: RUN_ID, period_from: "2025-01-01", period_to: "2025-12-31", as_of: "2025-12-31", created_at: "2026-11-24T03:00:00Z", register_size: 20000, excluded: 984, review: 46, months_excluded: 7723, savings: "2.00", years_without_tariff: [] },
            ],
          },
        },
      },
    });
    await screen.findByRole("heading", { name: "Верификация регистра неработающего населения" });
    for (const name of ["Проверки регистра", "Новая проверка", "Источники сведений", "Тарифы взноса"]) {
      expect(screen.getByRole("link", { name: new RegExp(name) })).toBeTruthy();
    }
    await user.click(screen.getByRole("link", { name: /Проверки регистра/ }));
    const table = await screen.findByRole("table", { name: "Проверки регистра" });
    const rows = within(table).getAllByRole("row").slice(1);
    expect(rows).toHaveLength(2);
    expect(rows[0]!.textContent).toContain("Выполняется");
    expect(rows[0]!.textContent).toContain("Сопоставление с источниками · 2 из 5");
    expect(rows[1]!.textContent).toContain("Завершена");
    expect(rows[1]!.textContent).toContain("5 из 5");
    expect(rows[1]!.textContent).toContain("20\u00a0000");
    expect(rows[1]!.textContent).toContain("984");
    expect(screen.getByRole("link", { name: "Новая проверка" })).toBeTruthy();
    const trends = await screen.findByTestId("chart-trends");
    expect(within(trends).getByRole("table").textContent).toContain("31.12.202520\u00a0000984");
  });

  it("gives a reader the runs without starting one, and no sources section", async () => {
    await renderApp({ as: READER, path: "/verification/runs", routes: { [`GET ${V}/runs`]: page([RUN]) } });
    await screen.findByRole("table", { name: "Проверки регистра" });
    expect(screen.queryByRole("link", { name: "Новая проверка" })).toBeNull();
  });

  it("refuses the start page to a reader", async () => {
    await renderApp({ as: READER, path: "/verification/runs/new", routes: { [`GET ${V}/runs`]: page([RUN]) } });
    await screen.findByText("Недостаточно прав для этого раздела");
    expect(screen.queryByRole("heading", { name: "Новая проверка регистра" })).toBeNull();
  });
});

describe("starting a run", () => {
  afterEach(() => vi.unstubAllGlobals());

  it("uploads the register with the period, date and previous run, then follows the run's stages", async () => {
    xhrs.length = 0;
    vi.stubGlobal("XMLHttpRequest", FakeXhr);
    const started = { ...RUNNING, id: RUN_ID, previous_run_id: RUN.id, status: "succeeded", finished_stage: "decisions", stage: null };
    const { user } = await renderApp({
      as: OPERATOR,
      path: "/verification/runs/new",
      routes: {
        [`GET ${V}/runs`]: page([{ ...RUN, id: "11111111-2222-4333-8444-555555555555" }]),
        [`GET ${V}/runs/${RUN_ID}`]: { status: 200, body: started },
        [`GET ${V}/jobs/${JOB_ID}`]: { status: 200, body: job({ id: JOB_ID, status: "succeeded", stage: "Итоги и решения", result: { entries: 3 } }) },
      },
    });
    await screen.findByRole("heading", { name: "Новая проверка регистра" });
    const from = screen.getByLabelText("Начало периода");
    await user.clear(from);
    await user.type(from, "2025-01-01");
    const to = screen.getByLabelText("Конец периода");
    await user.clear(to);
    await user.type(to, "2024-12-31");
    expect(screen.getByRole("alert").textContent).toBe("Конец периода раньше его начала.");
    await user.clear(to);
    await user.type(to, "2025-12-31");
    await waitFor(() => expect(screen.getAllByRole("option").length).toBeGreaterThan(1));
    await user.selectOptions(screen.getByLabelText(/Предыдущая проверка/), "11111111-2222-4333-8444-555555555555");
    await user.upload(screen.getByLabelText("Файл регистра"), new File(["surname;first_name\n"], "регистр.csv", { type: "text/csv" }));
    await user.click(screen.getByRole("button", { name: "Загрузить и проверить" }));
    const xhr = xhrs[0]!;
    const url = new URL(xhr.url, "http://oms.test");
    expect(url.pathname).toBe(`${V}/runs`);
    expect(Object.fromEntries(url.searchParams)).toMatchObject({
      period_from: "2025-01-01",
      period_to: "2025-12-31",
      previous_run_id: "11111111-2222-4333-8444-555555555555",
    });
    await act(async () => xhr.respond(201, started));
    const stages = await screen.findByTestId("run-stages");
    expect(within(stages).getAllByRole("listitem").map((li) => li.getAttribute("data-state"))).toEqual(["done", "done", "done", "done", "done"]);
    expect(screen.getByTestId("open-run").getAttribute("href")).toBe(`/verification/runs/${RUN_ID}`);
  });
});

describe("starting a run on the register of insured persons", () => {
  const REGISTRY = "Регистр застрахованных (неработающие на дату)";

  it("offers the TFOMS file first and, on the registry choice, posts the dates without a file", async () => {
    const started = { ...RUNNING, id: RUN_ID, register_source: "registry", status: "queued", stage: null, finished_stage: null };
    const bodies: unknown[] = [];
    const { user } = await renderApp({
      as: OPERATOR,
      path: "/verification/runs/new",
      routes: {
        [`GET ${V}/runs`]: page([{ ...RUN, id: "11111111-2222-4333-8444-555555555555" }]),
        [`POST ${V}/runs/from-registry`]: (_request: Request, body: unknown) => {
          bodies.push(body);
          return { status: 202, body: started };
        },
        [`GET ${V}/runs/${RUN_ID}`]: { status: 200, body: started },
        [`GET ${V}/jobs/${JOB_ID}`]: { status: 200, body: job({ id: JOB_ID, status: "queued" }) },
      },
    });
    await screen.findByRole("heading", { name: "Новая проверка регистра" });
    const file = screen.getByRole<HTMLInputElement>("radio", { name: "Файл ТФОМС" });
    expect(file.checked).toBe(true);
    expect(screen.getByLabelText("Файл регистра")).toBeTruthy();
    await user.click(screen.getByRole("radio", { name: REGISTRY }));
    expect(screen.queryByLabelText("Файл регистра")).toBeNull();
    expect(screen.getByText(/по регистру застрахованных: файл не нужен/)).toBeTruthy();
    const asOf = screen.getByLabelText("Регистр на дату");
    await user.clear(asOf);
    await user.type(asOf, "2025-11-30");
    await waitFor(() => expect(screen.getAllByRole("option").length).toBeGreaterThan(1));
    await user.selectOptions(screen.getByLabelText(/Предыдущая проверка/), "11111111-2222-4333-8444-555555555555");
    await user.click(screen.getByRole("button", { name: "Взять из регистра и проверить" }));
    await screen.findByTestId("run-stages");
    const year = new Date().getFullYear() - 1;
    expect(bodies).toEqual([
      { period_from: `${year}-01-01`, period_to: `${year}-12-31`, as_of: "2025-11-30", previous_run_id: "11111111-2222-4333-8444-555555555555" },
    ]);
    expect(screen.getByTestId("open-run").getAttribute("href")).toBe(`/verification/runs/${RUN_ID}`);
  });

  it("shows why the registry cannot be read", async () => {
    const { user } = await renderApp({
      as: OPERATOR,
      path: "/verification/runs/new",
      routes: {
        [`GET ${V}/runs`]: page([]),
        [`POST ${V}/runs/from-registry`]: {
          status: 503,
          body: { title: "Регистр застрахованных не подключён", status: 503, detail: "Не заданы OMS_VERIFICATION_REGISTRY_URL" },
        },
      },
    });
    await user.click(await screen.findByRole("radio", { name: REGISTRY }));
    await user.click(screen.getByRole("button", { name: "Взять из регистра и проверить" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Регистр застрахованных не подключён");
    expect(alert.textContent).toContain("OMS_VERIFICATION_REGISTRY_URL");
    expect(screen.queryByTestId("run-stages")).toBeNull();
  });
});

describe("a run's results", () => {
  const routes = (seen: URL[]) => ({
    [`GET ${V}/runs/${RUN_ID}`]: { status: 200, body: RUN },
    [`GET ${V}/tariffs`]: { status: 200, body: [TARIFF_2025] },
    [`GET ${V}/runs/${RUN_ID}/rejections`]: page([{ row_no: 20002, field: "birth_date", message: "Дата рождения не существует" }]),
    [`GET ${V}/runs/${RUN_ID}/outcomes`]: (request: Request) => {
      const url = new URL(request.url);
      seen.push(url);
      return page(url.searchParams.get("reason") === "employed" ? [] : [DEAD_OUTCOME], url.searchParams.get("reason") ? 195 : 20000);
    },
  });

  it("shows the KPIs with the savings at the year's tariff, the charts and the rejected rows", async () => {
    await renderApp({ as: OPERATOR, path: `/verification/runs/${RUN_ID}`, routes: routes([]) });
    const kpis = await screen.findByTestId("run-kpis");
    expect(screen.getByText(/^Регистр на 31\.12\.2025 \(файл ТФОМС\); запущена/)).toBeTruthy();
    expect(kpis.textContent).toContain("20\u00a0000Лиц в регистре");
    expect(kpis.textContent).toContain("984Исключить");
    expect(kpis.textContent).toContain("46На проверку оператору");
    // 7 723 months × 3 853,09 ₽ = 29 757 414,07 ₽
    expect(savingsOf(7723, "3853.09")).toBe("29757414.07");
    await waitFor(() => expect(kpis.textContent).toContain("29\u00a0757\u00a0414,07\u00a0₽"));
    expect(screen.getByTestId("chart-by-reason").textContent).toContain("Исключения по основаниям");
    expect(screen.getByTestId("chart-by-reason").textContent).toContain("Дубликат");
    const rejected = await screen.findByRole("table", { name: "Отклонённые строки файла" });
    expect(rejected.textContent).toContain("Дата рождения не существует");
    expect(screen.getAllByTestId("run-stages")[0]!.textContent).toContain("✓ Итоги и решения");
  });

  it("filters the outcomes by reason and district and opens a person's evidence", async () => {
    const seen: URL[] = [];
    const { user } = await renderApp({ as: OPERATOR, path: `/verification/runs/${RUN_ID}`, routes: routes(seen) });
    const table = await screen.findByRole("table", { name: "Итоги по лицам" });
    expect(table.textContent).toContain("Соколова Мария Петровна");
    expect(table.textContent).toContain("Умер");

    await user.selectOptions(screen.getByLabelText("Основание"), "employed");
    await waitFor(() => expect(seen.at(-1)?.searchParams.get("reason")).toBe("employed"));
    await user.type(screen.getByLabelText("Район (код)"), "07");
    await user.click(screen.getByRole("button", { name: "Показать" }));
    await waitFor(() => expect(seen.at(-1)?.searchParams.get("district")).toBe("07"));
    expect(seen.at(-1)?.searchParams.get("reason")).toBe("employed");

    expect((await screen.findByRole("table", { name: "Итоги по лицам" })).textContent).not.toContain("Соколова");

    await user.click(screen.getByRole("button", { name: "Сбросить" }));
    expect(screen.getByLabelText<HTMLSelectElement>("Основание").value).toBe("");
    await waitFor(() => expect(screen.getByRole("table", { name: "Итоги по лицам" }).textContent).toContain("Соколова"));
    const again = screen.getByRole("table", { name: "Итоги по лицам" });
    await user.click(within(again).getByRole("button", { name: "Доказательства" }));
    const evidence = await screen.findByTestId("evidence");
    expect(evidence.textContent).toContain("Запись регистра");
    expect(evidence.textContent).toContain("11223344595");
    const item = within(evidence).getByTestId("evidence-item");
    expect(item.textContent).toContain("zags.death");
    expect(item.textContent).toContain("99,9 %");
    expect(item.textContent).toContain("принята автоматически");
    expect(item.textContent).toContain("14.07.2025");
    expect(within(evidence).getByTestId("evidence-periods").textContent).toContain("01.08.2025 — 31.12.2025 (5)");
  });
});

describe("tariffs", () => {
  it("lets the operator set a year's coefficients and shows what was saved", async () => {
    const saved = { ...TARIFF_2025, year: 2026, appreciation_coefficient: "2.6000", per_capita: "49048.00", monthly: "4087.33" };
    const { user, requests } = await renderApp({
      as: OPERATOR,
      path: "/verification/tariffs",
      routes: {
        [`GET ${V}/tariffs`]: { status: 200, body: [TARIFF_2025] },
        [`PUT ${V}/tariffs/2026`]: { status: 200, body: saved },
      },
    });
    const table = await screen.findByRole("table", { name: "Тарифы страхового взноса на неработающее население" });
    expect(table.textContent).toContain("46\u00a0237,13\u00a0₽");
    expect(table.textContent).toContain("ДЕМОНСТРАЦИОННЫЕ ДАННЫЕ");
    await user.click(within(table).getByRole("button", { name: "Изменить" }));
    const year = screen.getByLabelText("Год");
    await user.clear(year);
    await user.type(year, "2026");
    const coefficient = screen.getByLabelText("К удорожания");
    await user.clear(coefficient);
    await user.type(coefficient, "2,6");
    await user.click(screen.getByRole("button", { name: "Сохранить" }));
    expect(await screen.findByTestId("tariff-saved")).toBeTruthy();
    expect(screen.getByTestId("tariff-saved").textContent).toContain("Тариф на 2026 г. сохранён: 49\u00a0048,00\u00a0₽");
    expect(requests.find((r) => r.key === `PUT ${V}/tariffs/2026`)?.body).toMatchObject({
      appreciation_coefficient: "2.6",
      differentiation_coefficient: "1.0000",
    });
  });

  it("shows a reader the tariffs without editing", async () => {
    await renderApp({ as: READER, path: "/verification/tariffs", routes: { [`GET ${V}/tariffs`]: { status: 200, body: [TARIFF_2025] } } });
    await screen.findByRole("table", { name: "Тарифы страхового взноса на неработающее население" });
    expect(screen.queryByRole("button", { name: "Изменить" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Тариф на год" })).toBeNull();
  });
});

describe("the review queue", () => {
  it("shows the pair side by side with the field evidence and sends the operator's decision", async () => {
    const decided = {
      pair_id: PAIR_ID,
      pair_key: "s:abc",
      decision: "confirm",
      status: "confirmed",
      recorded: true,
      outcomes: [{ subject_id: DEAD_OUTCOME.subject_id, outcome: "exclude", reason: "dead", reasons: ["dead"], periods: [], months_excluded: 5, duplicate_of: null, decided_by: "verifier" }],
    };
    const seen: URL[] = [];
    const { user, requests } = await renderApp({
      as: OPERATOR,
      path: `/verification/runs/${RUN_ID}/review`,
      routes: {
        [`GET ${V}/runs/${RUN_ID}/reviews`]: (request: Request) => {
          seen.push(new URL(request.url));
          return page([REVIEW_ITEM]);
        },
        [`POST ${V}/runs/${RUN_ID}/reviews/${PAIR_ID}/decision`]: { status: 200, body: decided },
      },
    });
    const card = await screen.findByTestId("review-item");
    expect(card.textContent).toContain("Соколова Мария Петровна — Умер");
    expect(card.textContent).toContain("62,0 %");
    const side = within(card).getByRole("table", { name: "Записи рядом" });
    const birth = within(side).getByRole("row", { name: /Дата рождения/ });
    expect(birth.textContent).toBe("Дата рождения09.03.194103.09.1941");
    expect(within(side).getByRole("columnheader", { name: "Запись источника" })).toBeTruthy();
    expect(within(card).getByTestId("review-evidence").textContent).toContain("birth_date: день и месяц переставлены (-2,4)");
    expect(seen[0]?.searchParams.get("state")).toBe("pending");

    await user.type(within(card).getByLabelText("Комментарий"), "та же дата, день и месяц переставлены");
    await user.click(within(card).getByRole("button", { name: "Подтвердить совпадение" }));
    expect((await screen.findByTestId("review-result")).textContent).toBe("Соколова Мария Петровна: Совпадение подтверждено → Исключить (Умер)");
    expect(requests.find((r) => r.key.endsWith("/decision"))?.body).toEqual({ decision: "confirm", expected_status: "review", comment: "та же дата, день и месяц переставлены" });

    await user.selectOptions(screen.getByLabelText("Пары"), "decided");
    await waitFor(() => expect(seen.at(-1)?.searchParams.get("state")).toBe("decided"));
  });

  it("shows a reader the queue without the decision buttons", async () => {
    await renderApp({
      as: READER,
      path: `/verification/runs/${RUN_ID}/review`,
      routes: { [`GET ${V}/runs/${RUN_ID}/reviews`]: page([REVIEW_ITEM]) },
    });
    await screen.findByTestId("review-item");
    expect(screen.queryByRole("button", { name: "Подтвердить совпадение" })).toBeNull();
  });
});

describe("a run's savings and exports", () => {
  it("shows the server's savings and forecast and starts an export job", async () => {
    const { user, requests } = await renderApp({
      as: OPERATOR,
      path: `/verification/runs/${RUN_ID}`,
      routes: {
        [`GET ${V}/runs/${RUN_ID}`]: { status: 200, body: RUN },
        [`GET ${V}/tariffs`]: { status: 200, body: [TARIFF_2025] },
        [`GET ${V}/runs/${RUN_ID}/savings`]: { status: 200, body: SAVINGS },
        [`GET ${V}/runs/${RUN_ID}/statistics`]: {
          status: 200,
          body: {
            run_id: RUN_ID,
            period_from: "2025-01-01",
            period_to: "2025-12-31",
            as_of: "2025-12-31",
            entries: 20000,
            outcomes: RUN.counts.outcomes,
            months_excluded: 7723,
            review_by_reason: {},
            by_reason: [],
            by_district: [{ district: "07", entries: 800, excluded: 50, months: 400 }],
            by_age_sex: [{ age_group: "60 лет и старше", male: 80, female: 115, total: 195 }],
            matching: { pairs_by_source: { zags: 249, register: 440 }, pairs_by_status: { auto: 689 }, operator_decisions: 3 },
          },
        },
        [`GET ${V}/runs/${RUN_ID}/rejections`]: page([]),
        [`GET ${V}/runs/${RUN_ID}/outcomes`]: page([DEAD_OUTCOME]),
        [`GET ${V}/runs/${RUN_ID}/actual-register`]: { status: 200, body: job({ id: JOB_ID, status: "succeeded", stage: "Готово" }) },
        [`GET ${V}/jobs/${JOB_ID}`]: { status: 200, body: job({ id: JOB_ID, status: "succeeded", stage: "Готово" }) },
      },
    });
    const savings = await screen.findByTestId("run-savings");
    await waitFor(() => expect(savings.textContent).toContain("29\u00a0757\u00a0414,07\u00a0₽"));
    expect(savings.textContent).toContain("Прогноз ассигнований на 2026 г.");
    expect(savings.textContent).toContain("879\u00a0265\u00a0264,08\u00a0₽");
    expect(within(savings).getByTestId("chart-savings-reason").textContent).toContain("Дубликат");
    expect(within(savings).getByTestId("chart-savings-district").textContent).toContain("район 07");
    expect(screen.getByTestId("open-review").textContent).toBe("Очередь проверки (46)");
    const stats = await screen.findByTestId("run-statistics");
    await waitFor(() => expect(within(stats).getByTestId("chart-age").textContent).toContain("60 лет и старше"));
    expect(within(stats).getByTestId("chart-pairs").textContent).toContain("Дубли в регистре");
    expect(within(stats).getByTestId("chart-pairs").textContent).toContain("Решений оператора: 3");
    expect(within(stats).getByRole("table", { name: "По районам: в регистре, исключено, месяцев" }).textContent).toContain("0780050400");

    await user.click(screen.getByTestId("export-actual-xml"));
    await screen.findByTestId("job-progress");
    const call = requests.find((r) => r.key === `GET ${V}/runs/${RUN_ID}/actual-register`);
    expect(call).toBeTruthy();
  });
});

describe("sources", () => {
  it("lists the sources, a source's answers and an answer's rejected rows, with the upload for the operator", async () => {
    const batch = {
      id: "b-1",
      source: "sfr",
      mode: "file",
      file_name: "sfr-2025-12.csv",
      message_id: null,
      sha256: "ab",
      media_type: "text/csv",
      received_at: "2026-11-20T10:00:00Z",
      counts: { rows: 120, loaded: 100, already_known: 8, rejected: 12 },
    };
    const { user } = await renderApp({
      as: OPERATOR,
      path: "/verification/sources",
      routes: {
        [`GET ${V}/sources`]: {
          status: 200,
          body: [
            { code: "zags", name: "ЗАГС", kinds: [{ kind: "zags.death", title: "Смерть", records: 302 }], batches: 1, last_received_at: "2026-11-20T10:00:00Z" },
            { code: "sfr", name: "Социальный фонд России", kinds: [{ kind: "sfr.contributions", title: "Страховые взносы работодателя", records: 1378 }], batches: 1, last_received_at: null },
          ],
        },
        [`GET ${V}/sources/sfr/batches`]: page([batch]),
        [`GET ${V}/sources/sfr/batches/b-1/rejections`]: page([{ row_no: 7, field: "snils", message: "Неверное контрольное число СНИЛС" }]),
      },
    });
    const table = await screen.findByRole("table", { name: "Источники сведений" });
    expect(table.textContent).toContain("Смерть: 302");
    await user.click(within(within(table).getByRole("row", { name: /Социальный фонд/ })).getByRole("button", { name: "Ответы" }));
    const batches = await screen.findByTestId("source-batches");
    const row = await within(batches).findByRole("row", { name: /sfr-2025-12\.csv/ });
    expect(row.textContent).toContain("12010081");
    await user.click(within(row).getByRole("button", { name: "12" }));
    const rejected = await screen.findByRole("table", { name: "Отклонённые строки ответа" });
    expect(rejected.textContent).toContain("Неверное контрольное число СНИЛС");
    expect(within(batches).getByLabelText("Файл ответа (CSV или XML)")).toBeTruthy();
  });
});
