import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { me } from "../../../test/fakeGateway";
import { renderApp } from "../../../test/renderApp";

const F = "/api/finance";
const ANALYST = me("tfoms", ["tfoms_analyst"], ["finance.budget:read", "finance.deviation:write", "finance.deviation:search"]);
const FOMS = me("foms", ["foms_viewer"], ["finance.budget:read"], "foms");
const MO = "9a9d3a4e-1111-4222-8333-444455556666";
const DEVIATION = {
  id: "d1",
  mo_id: MO,
  mo_name: "ГБУЗ «Заречная ЦРБ»",
  mo_code: "990003",
  month: "2026-07",
  kind: "rule",
  metric: "cmi_not_allowed_293",
  value: "187450.00",
  expected: "0",
  score: null,
  explanation: "За июль 2026 средствами ОМС (КВФО 7) оплачено 187 450,00 ₽ по КОСГУ 293",
  status: "new",
  acknowledged_by: null,
  acknowledged_at: null,
  comment: null,
  detected_at: "2026-11-24T08:00:00Z",
};
const PAGE = { items: [DEVIATION], total: 1, limit: 50, offset: 0, new_by_kind: { rule: 1 } };

describe("deviations", () => {
  it("lists a deviation with its explanation and acknowledges it with a comment", async () => {
    const { user, requests } = await renderApp({
      as: ANALYST,
      path: "/finance/deviations",
      routes: {
        [`GET ${F}/mos`]: { status: 200, body: [] },
        [`GET ${F}/deviations`]: { status: 200, body: PAGE },
        [`POST ${F}/deviations/d1/acknowledge`]: {
          status: 200,
          body: { ...DEVIATION, status: "acknowledged", acknowledged_by: "tfoms", acknowledged_at: "2026-11-24T09:00:00Z", comment: "Восстановлено" },
        },
      },
    });
    const table = await screen.findByRole("table", { name: "Отклонения" });
    const row = within(table).getAllByRole("row")[1]!;
    expect(row.textContent).toContain("990003 ГБУЗ «Заречная ЦРБ»");
    expect(row.textContent).toContain("КОСГУ 293 из средств ОМС");
    expect(row.textContent).toContain("187\u00a0450,00\u00a0₽");
    expect(row.textContent).toContain("Нарушение правила");
    await user.click(within(row).getByRole("button", { name: "Рассмотрено" }));
    await user.type(screen.getByLabelText("Комментарий (что выяснено, что сделано)"), "Восстановлено");
    await user.click(screen.getByRole("button", { name: "Отметить" }));
    await waitFor(() => expect(requests.some((r) => r.key === `POST ${F}/deviations/d1/acknowledge`)).toBe(true));
    const sent = requests.find((r) => r.key === `POST ${F}/deviations/d1/acknowledge`)!;
    expect(sent.body).toEqual({ comment: "Восстановлено" });
    expect(screen.getByRole("button", { name: "Запустить поиск отклонений" })).toBeTruthy();
  });

  it("lets an MO's economist acknowledge but not search the region", async () => {
    const ECONOMIST = me("economist", ["mo_economist"], ["finance.budget:read", "finance.deviation:write"], "mo");
    await renderApp({
      as: ECONOMIST,
      path: "/finance/deviations",
      routes: {
        [`GET ${F}/mos`]: { status: 200, body: [] },
        [`GET ${F}/deviations`]: { status: 200, body: PAGE },
      },
    });
    const table = await screen.findByRole("table", { name: "Отклонения" });
    expect(within(table).getByRole("button", { name: "Рассмотрено" })).toBeTruthy();
    expect(screen.queryByRole("button", { name: "Запустить поиск отклонений" })).toBeNull();
  });

  it("tells FOMS that single MOs are not theirs", async () => {
    await renderApp({
      as: FOMS,
      path: "/finance/deviations",
      routes: {
        [`GET ${F}/mos`]: { status: 403, body: { title: "Запрещено", status: 403 } },
        [`GET ${F}/deviations`]: { status: 403, body: { title: "Запрещено", status: 403, detail: "Только сводные данные" } },
      },
    });
    await screen.findByText(/Отклонения по отдельным МО вам недоступны/);
    expect(screen.queryByRole("button", { name: "Запустить поиск отклонений" })).toBeNull();
  });
});
