import { screen, within } from "@testing-library/react";
import { afterEach, describe, expect, it, vi } from "vitest";
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
  afterEach(() => vi.unstubAllGlobals());

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

  it("asks before leaving unsaved changes by a link", async () => {
    const { user } = await renderApp({
      as: ECONOMIST,
      path: `/finance/budget/${MO}/2026-03`,
      routes: {
        [`GET ${F}/classifiers`]: { status: 200, body: CLASSIFIERS },
        [`GET ${F}/mos`]: { status: 200, body: MOS },
        [`GET ${F}/budget/${MO}/months/2026-03`]: { status: 200, body: MONTH },
      },
    });
    const wages = await screen.findByTestId("cell-expense:7:211-actual");
    await user.type(wages, "5");
    const confirm = vi.fn(() => false);
    vi.stubGlobal("confirm", confirm);
    const links = screen.getAllByRole("link");
    await user.click(links[0]!);
    expect(confirm).toHaveBeenCalledWith("Есть несохранённые изменения. Уйти без сохранения?");
    expect(window.location.pathname).toBe(`/finance/budget/${MO}/2026-03`);
    await user.click(screen.getByRole("button", { name: "Следующий →" }));
    expect(window.location.pathname).toBe(`/finance/budget/${MO}/2026-03`);
    expect(confirm).toHaveBeenCalledTimes(2);
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

  it("lists the uploads and imports the valid lines of a file with errors on the user's choice", async () => {
    const waiting = {
      id: "up-1", mo_id: MO, file_name: "март.csv", file_format: "csv", status: "awaiting_decision",
      lines: 3, valid: 2, invalid: 1, imported: 0, months: ["2026-03"],
      problems: [{ line: 3, field: "КОСГУ", message: "неизвестный код КОСГУ «999»", cell: "2026-03 · Выплаты (расходы) · КВФО 7 · КОСГУ 999" }],
      created_by: "economist", created_at: "2026-04-02T10:00:00Z", decided_by: null, decided_at: null,
    };
    const { user, requests } = await renderApp({
      as: ECONOMIST,
      path: `/finance/budget/${MO}/2026-03`,
      routes: {
        [`GET ${F}/classifiers`]: { status: 200, body: CLASSIFIERS },
        [`GET ${F}/mos`]: { status: 200, body: MOS },
        [`GET ${F}/budget/${MO}/months/2026-03`]: { status: 200, body: MONTH },
        [`GET ${F}/budget/${MO}/uploads`]: { status: 200, body: [waiting] },
        [`POST ${F}/budget/${MO}/uploads/up-1/apply`]: { status: 200, body: { ...waiting, status: "imported", imported: 2 } },
      },
    });
    await user.click(await screen.findByRole("tab", { name: "Загрузка файла" }));
    await user.click(await screen.findByRole("button", { name: "март.csv" }));
    const report = screen.getByTestId("upload-report");
    expect(report.textContent).toContain("верных 2, с ошибками 1");
    expect(within(report).getByText("неизвестный код КОСГУ «999»")).toBeTruthy();
    await user.click(within(report).getByRole("button", { name: "Загрузить только верные строки (2)" }));
    await within(report).findByText(/записано ячеек 2/);
    expect(requests.some((r) => r.key === `POST ${F}/budget/${MO}/uploads/up-1/apply`)).toBe(true);
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

  it("lets the keyboard scroll the consolidated year's table (it has no buttons of its own)", async () => {
    const months = (v: string) => Array.from({ length: 12 }, () => v);
    await renderApp({
      as: FOMS,
      path: "/finance/budget",
      routes: {
        [`GET ${F}/mos`]: { status: 403, body: { title: "Недостаточно прав", status: 403, detail: "Вам доступны только сводные данные" } },
        [`GET ${F}/budget/consolidated`]: {
          status: 200,
          body: { year: 2026, scope: "region", mos: 50, months: [], rows: [{ flow: "expense", kvfo: 7, kosgu: "211", planned: months("10.00"), actual: months("9.00") }] },
        },
      },
    });
    const region = await screen.findByRole("region", { name: /^\d{4} год$/ });
    expect(region.tabIndex).toBe(0);
    expect(within(region).getByRole("table")).toBeTruthy();
    expect(within(region).queryAllByRole("button")).toHaveLength(0);
  });
});
