import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { me } from "../../../test/fakeGateway";
import { renderApp } from "../../../test/renderApp";

const F = "/api/finance";
const FOMS = me("foms", ["foms_viewer"], ["finance.budget:read"], "foms");
const OVERVIEW = {
  period: { date_from: "2031-01", date_to: "2031-02", mo_id: null, mos: 3 },
  kpi: {
    cmi_expense: "2400.00", wages_share: 0.81375, medicines_share: 0.125, wages_share_threshold: 0.85,
    payables_end: "40.00", payables_start: "10.00", income: "3600.00", expense: "2700.00", execution: 0.9783,
  },
  structure: [{ flow: "expense", kvfo: 7, group: "Оплата труда и начисления", planned: "1950", actual: "1953" }],
  dynamics: [
    { month: "2031-01", flow: "expense", planned: "900", actual: "900", cmi_actual: "800" },
    { month: "2031-02", flow: "expense", planned: "900", actual: "900", cmi_actual: "800" },
  ],
  kpi_by_month: [
    { month: "2031-01", cmi_expense: "800", wages: "651", medicines: "100", wages_share: 0.81375, medicines_share: 0.125, payables: "10", payables_growth: null },
  ],
  payables: [{ month: "2031-01", kvfo: 7, group: "Работы, услуги", amount: "10" }],
  drugs: [],
};

describe("finance analytics", () => {
  it("shows FOMS the consolidated region, without asking for the comparison of MOs", async () => {
    const { requests } = await renderApp({
      as: FOMS,
      path: "/finance/analytics",
      routes: {
        [`GET ${F}/mos`]: { status: 403, body: { title: "Запрещено", status: 403 } },
        [`GET ${F}/analytics/overview`]: { status: 200, body: OVERVIEW },
        [`GET ${F}/analytics/savings`]: {
          status: 200,
          body: { runs: [], latest_savings: null, latest_period_to: null, latest_forecast: null, latest_forecast_year: null },
        },
      },
    });
    // (the text matcher sees no-break spaces as plain ones)
    await screen.findByText("Вам доступны только сводные данные по региону.");
    expect((await screen.findByTestId("analytics-period")).textContent).toBe("янв 2031 — фев 2031 · МО в сводке: 3");
    expect(screen.getAllByText("81,4 %").length).toBeGreaterThan(0); // the KPI and the chart's table
    expect(screen.getByText("порог 85,0 %")).toBeTruthy();
    expect(screen.getByText("за период +300,0 %")).toBeTruthy();
    await screen.findByText("Проверок ещё не было.");
    await waitFor(() => expect(requests.some((r) => r.key === `GET ${F}/analytics/overview`)).toBe(true));
    expect(requests.some((r) => r.key === `GET ${F}/analytics/comparison`)).toBe(false);
    expect(screen.queryByTestId("analytics-mo")).toBeNull();
  });

  it("opens an MO's dashboards from its name in the comparison of MOs", async () => {
    const TFOMS = me("tfoms", ["tfoms_analyst"], ["finance.budget:read"], "tfoms");
    const mo = (id: string, code: string, name: string) => ({
      mo_id: id, code, name, legal_form: "budget", beds: 100, attached_persons: 1000, income: "10.00", expense: "9.00",
      cmi_expense: "8.00", wages_share: 0.7, medicines_share: 0.1, payables_end: "1.00", expense_per_bed: "0.09", expense_per_attached: "0.01",
    });
    const MOS = [
      { id: "mo-1", code: "990001", name: "Поликлиника № 2", legal_form: "budget", founder_id: null, founder_name: null, beds: 100, attached_persons: 1000, last_month: "2031-02" },
      { id: "mo-2", code: "990002", name: "Областная больница", legal_form: "budget", founder_id: null, founder_name: null, beds: 100, attached_persons: 1000, last_month: "2031-02" },
    ];
    const { user, requests } = await renderApp({
      as: TFOMS,
      path: "/finance/analytics",
      routes: {
        [`GET ${F}/mos`]: { status: 200, body: MOS },
        [`GET ${F}/analytics/overview`]: { status: 200, body: OVERVIEW },
        [`GET ${F}/analytics/comparison`]: {
          status: 200,
          body: { period: OVERVIEW.period, items: [mo("mo-1", "990001", "Поликлиника № 2"), mo("mo-2", "990002", "Областная больница")] },
        },
        [`GET ${F}/analytics/savings`]: {
          status: 200,
          body: { runs: [], latest_savings: null, latest_period_to: null, latest_forecast: null, latest_forecast_year: null },
        },
      },
    });
    const table = await screen.findByRole("table", { name: "Сравнение МО" });
    await user.click(within(table).getByRole("button", { name: "Областная больница" }));
    await waitFor(() => expect(screen.getByTestId<HTMLSelectElement>("analytics-mo").value).toBe("mo-2"));
    expect(screen.queryByRole("table", { name: "Сравнение МО" })).toBeNull(); // one MO: nothing to compare
    expect(requests.filter((r) => r.key === `GET ${F}/analytics/overview`).length).toBeGreaterThan(1);
  });
});
