import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { renderApp } from "../../../test/renderApp";
import { NEW_ID, NEW_SUMMARY, ORGANIZATIONS, page, PATIENT_ID, PATIENT_SUMMARY, personRead, REASONS, REGISTRAR } from "../testing";

const R = "/api/registry";
const PAIR = {
  id: "dup-1",
  person_a: NEW_SUMMARY,
  person_b: PATIENT_SUMMARY,
  person_a_id: NEW_ID,
  person_b_id: PATIENT_ID,
  score: 31.5,
  grade: "probable",
  reasons: REASONS,
  status: "open",
  source: "registration",
  job_id: null,
  found_at: "2026-11-24T09:00:00Z",
  resolved_at: null,
  resolved_by: null,
  resolution: null,
};
const MERGE = {
  id: "m-1",
  survivor_id: PATIENT_ID,
  survivor_oip: 1000001,
  merged_id: NEW_ID,
  merged_oip: 1003002,
  reason: "Один человек",
  merged_at: "2026-11-24T09:10:00Z",
  merged_by: "registrar",
  facts_moved: 4,
  unmerged_at: null,
  unmerged_by: null,
  unmerge_reason: null,
};

function queue() {
  let status = "open";
  const asked: URLSearchParams[] = [];
  const routes = {
    [`GET ${R}/duplicates`]: (request: Request) => {
      const q = new URL(request.url).searchParams;
      asked.push(q);
      const pair = { ...PAIR, status };
      return page(!q.get("status") || q.get("status") === status ? [pair] : []);
    },
    [`GET ${R}/persons/${NEW_ID}`]: { status: 200, body: personRead({ id: NEW_ID, requested_id: NEW_ID, oip: 1003002, snils: null, enp: null, insurance: null }) },
    [`GET ${R}/persons/${PATIENT_ID}`]: { status: 200, body: personRead() },
    [`GET ${R}/persons/${NEW_ID}/organizations`]: { status: 200, body: [] },
    [`GET ${R}/persons/${PATIENT_ID}/organizations`]: { status: 200, body: ORGANIZATIONS },
    [`GET ${R}/persons/${NEW_ID}/merges`]: () => ({ status: 200, body: status === "merged" ? [MERGE] : [] }),
    [`POST ${R}/persons/${PATIENT_ID}/merge`]: () => {
      status = "merged";
      return { status: 200, body: MERGE };
    },
    [`POST ${R}/persons/${NEW_ID}/unmerge`]: () => {
      status = "open";
      return { status: 200, body: { ...MERGE, unmerged_at: "2026-11-24T09:20:00Z" } };
    },
    [`POST ${R}/duplicates/dup-1/reject`]: (_r: Request, body: unknown) => {
      status = "rejected";
      return { status: 200, body: { ...PAIR, status, resolution: (body as { reason: string }).reason } };
    },
  };
  return { routes, asked };
}

describe("the duplicate queue", () => {
  it("compares a pair side by side, merges and unmerges only after the dialogs, then rejects it", async () => {
    const { routes, asked } = queue();
    const { user, requests } = await renderApp({ as: REGISTRAR, path: "/registry/duplicates", routes });
    const table = await screen.findByRole("table", { name: "Возможные дубликаты" });
    expect(asked[0]?.get("status")).toBe("open");
    await user.click(within(table).getByRole("button", { name: "Сравнить" }));
    expect(window.location.search).toContain("pair=dup-1");

    const review = screen.getByTestId("pair-review");
    await waitFor(() => expect(within(review).getByTestId("compare-mo").textContent).toContain("ГБУЗ «Городская поликлиника № 2 г. Приозёрска»"));
    expect(within(review).getByTestId("compare-surname").dataset.same).toBe("true");
    expect(within(review).getByTestId("compare-snils").dataset.same).toBe("false");
    expect(within(review).getByTestId("compare-snils").className).toBe("row-differs");
    expect(document.activeElement).toBe(within(review).getByRole("heading", { level: 2 }));

    await user.click(within(review).getByRole("button", { name: "Объединить…" }));
    let dialog = screen.getByRole("dialog", { name: "Объединить персоны" });
    await user.click(within(dialog).getByRole("button", { name: "Отмена" }));
    expect(requests.some((r) => r.key.endsWith("/merge"))).toBe(false);

    await user.click(within(review).getByRole("button", { name: "Объединить…" }));
    dialog = screen.getByRole("dialog", { name: "Объединить персоны" });
    await user.click(within(dialog).getByRole("radio", { name: /ОИП 1000001/ }));
    const confirm = within(dialog).getByRole("button", { name: "Объединить" });
    await user.type(within(dialog).getByLabelText(/Основание/), "ab");
    expect(confirm).toHaveProperty("disabled", true);
    await user.type(within(dialog).getByLabelText(/Основание/), "c");
    await user.click(confirm);
    await within(review).findByText("Объединено: ОИП 1003002 → ОИП 1000001.");
    expect(requests.find((r) => r.key.endsWith("/merge"))?.body).toEqual({ merged_id: NEW_ID, reason: "abc" });
    expect(within(review).getByTestId("review-status").textContent).toBe("объединены");

    await user.click(within(review).getByRole("button", { name: "Разъединить…" }));
    dialog = screen.getByRole("dialog", { name: "Разъединить персоны" });
    await user.type(within(dialog).getByLabelText(/Основание/), "Ошибка");
    await user.click(within(dialog).getByRole("button", { name: "Разъединить" }));
    await within(review).findByText("Разъединено: ОИП 1003002 снова отдельная персона.");
    expect(requests.find((r) => r.key.endsWith("/unmerge"))?.key).toBe(`POST ${R}/persons/${NEW_ID}/unmerge`);
    await waitFor(() => expect(within(review).getByTestId("review-status").textContent).toBe("ждёт решения"));

    await user.click(within(review).getByRole("button", { name: "Это разные люди…" }));
    dialog = screen.getByRole("dialog", { name: "Это разные люди" });
    await user.type(within(dialog).getByLabelText(/Основание/), "Тёзки");
    await user.click(within(dialog).getByRole("button", { name: "Отклонить пару" }));
    await within(review).findByText("Пара отклонена.");
    expect(within(review).getByTestId("review-status").textContent).toBe("разные люди");
    expect(within(review).queryByRole("button", { name: "Объединить…" })).toBeNull();
  });

  it("shows the server's refusal for those who do not keep the register", async () => {
    await renderApp({
      as: REGISTRAR,
      path: "/registry/duplicates",
      routes: {
        [`GET ${R}/duplicates`]: {
          status: 403,
          body: { title: "Недостаточно прав", status: 403, detail: "Очередь дубликатов доступно только ведущим регистр (ТФОМС, региональный уровень)" },
        },
      },
    });
    expect((await screen.findByRole("alert")).textContent).toContain("только ведущим регистр");
  });
});
