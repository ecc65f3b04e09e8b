import { screen, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { me } from "../../../test/fakeGateway";
import { renderApp } from "../../../test/renderApp";

const F = "/api/finance";
const MO = "mo-1";
const ECONOMIST = me("economist", ["mo_economist"], ["finance.budget:read", "finance.budget:write"], "mo");
const FOMS = me("foms", ["foms_viewer"], ["finance.budget:read"], "foms");

const CLASSIFIERS = {
  flows: [
    { code: "income", name: "Поступления" },
    { code: "expense", name: "Выплаты (расходы)" },
    { code: "payable", name: "Кредиторская задолженность" },
  ],
  kvfo: [{ code: 7, name: "ОМС" }],
  kosgu: [
    { code: "132", name: "Доходы по ОМС", flow: "income", group: "", cmi_allowed: "yes" },
    { code: "211", name: "Заработная плата", flow: "expense", group: "", cmi_allowed: "yes" },
    { code: "213", name: "Начисления", flow: "expense", group: "", cmi_allowed: "yes" },
  ],
};
const MOS = [{ id: MO, code: "990001", name: "ГБУЗ «Городская поликлиника № 2»", legal_form: "budget", founder_id: null, founder_name: null, beds: 0, attached_persons: 50000, last_month: "2026-03" }];
const cell = (kosgu: string, actual: string) => ({
  flow: "expense", kvfo: 7, kosgu, planned: null, actual, entered: true, payments: "0.00", difference: actual,
  source: "manual", updated_by: "economist", updated_at: "2026-04-02T10:00:00Z",
});
const MONTH = {
  mo_id: MO, month: "2026-03", locked: false, lock_reason: null,
  cells: [cell("211", "1000.00")],
  last_change: { by: "economist", at: "2026-04-02T10:00:00Z", source: "manual" },
};

describe("the budget month page", () => {
  it("saves the typed cells and shows the server's refusal at the cell", async () => {
    const { user, requests } = await renderApp({
      as: ECONOMIST,
      path: `/finance/budget/${MO}/2026-03`,
      routes: {
        [`GET ${F}/classifiers`]: { status: 200, body: CLASSIFIERS },
        [`GET ${F}/mos`]: { status: 200, body: MOS },
        [`GET ${F}/budget/${MO}/months/2026-03`]: { status: 200, body: MONTH },
        [`PUT ${F}/budget/${MO}/months/2026-03`]: {
          status: 422,
          body: {
            type: "urn:oms:problem:invalid-cells", title: "Ошибки в ячейках", status: 422, detail: "…",
            errors: [{ field: "body.0.actual", message: "факт: сумма слишком велика", type: "invalid-cell" }],
          },
        },
      },
    });
    const wages = await screen.findByTestId("cell-expense:7:211-actual");
    expect((wages as HTMLInputElement).value).toBe("1\u00a0000,00");
    expect(screen.getByTestId("last-change").textContent).toContain("economist");
    await user.clear(wages);
    await user.type(wages, "2 500,5");
    await user.click(screen.getByTestId("save"));
    const error = await screen.findByTestId("error-expense:7:211-actual");
    expect(error.textContent).toContain("слишком велика");
    const put = requests.find((r) => r.key === `PUT ${F}/budget/${MO}/months/2026-03`);
    expect(put?.body).toEqual([{ flow: "expense", kvfo: 7, kosgu: "211", planned: null, actual: "2\u00a0500,50" }]);
    expect(screen.getByText(/Сервер не принял ячейки \(1\)/)).toBeTruthy();
  });

  it("shows a closed month read only with the reason", async () => {
    await renderApp({
      as: ECONOMIST,
      path: `/finance/budget/${MO}/2026-03`,
      routes: {
        [`GET ${F}/classifiers`]: { status: 200, body: CLASSIFIERS },
        [`GET ${F}/mos`]: { status: 200, body: MOS },
        [`GET ${F}/budget/${MO}/months/2026-03`]: { status: 200, body: { ...MONTH, locked: true, lock_reason: "Отчёт 14-Ф за I квартал принят" } },
      },
    });
    await screen.findByText("Период закрыт — данные только для просмотра. Причина: Отчёт 14-Ф за I квартал принят");
    expect(within(screen.getByTestId("grid-expense")).queryAllByRole("textbox")).toHaveLength(0);
    expect(screen.queryByTestId("save")).toBeNull();
  });

  it("sends FOMS to the consolidated figures", async () => {
    const { requests } = await renderApp({
      as: FOMS,
      path: "/finance/budget",
      routes: {
        [`GET ${F}/mos`]: { status: 403, body: { title: "Недостаточно прав", status: 403, detail: "Вам доступны только сводные данные" } },
        [`GET ${F}/budget/consolidated`]: { status: 200, body: { year: 2026, scope: "region", mos: 50, months: [], rows: [] } },
      },
    });
    await screen.findByText("Вам доступны только сводные данные по региону.");
    await screen.findByText(/МО с данными: 50/);
    expect(requests.some((r) => r.key === `GET ${F}/budget/consolidated`)).toBe(true);
  });
});
