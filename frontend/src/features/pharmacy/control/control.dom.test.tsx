import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { me } from "../../../test/fakeGateway";
import { renderApp } from "../../../test/renderApp";

const P = "/api/pharmacy";
const ANALYST = me("analyst", ["tfoms_analyst"], ["pharmacy.control:read", "pharmacy.control:write"]);
const READER = me("viewer", ["health_authority"], ["pharmacy.control:read"]);
const SUMMARY = {
  checked: 10,
  unchecked: 0,
  with_violations: 2,
  amount: "2469.00",
  withheld: "300.00",
  accepted: "2169.00",
  by_code: [
    { code: "amount_mismatch", title: "Сумма не равна сумме цен упаковок", count: 1, amount: "53.10" },
    { code: "trace_rejected", title: "Выбытие отклонено МДЛП", count: 1, amount: "246.90" },
  ],
};
const VIOLATION = {
  id: "v1",
  dispense_id: "d1",
  prescription_id: "p1",
  pharmacy_id: "ph1",
  series: "7701234",
  number: 123,
  dispensed_on: "2026-10-09",
  patient: "Орлова Анна Петровна",
  code: "trace_rejected",
  title: "Выбытие отклонено МДЛП",
  message: "МДЛП не приняла сведения о выбытии упаковок: 0460702839304500000000000A1",
  amount: "246.90",
  dispense_amount: "246.90",
  withheld: "246.90",
};
const routes = {
  [`GET ${P}/control/summary`]: { status: 200, body: SUMMARY },
  [`GET ${P}/control/violations`]: { status: 200, body: { items: [VIOLATION], total: 1, limit: 50, offset: 0 } },
  [`GET ${P}/control/acts`]: { status: 200, body: { items: [], total: 0, limit: 100, offset: 0 } },
};

describe("medico-economic control", () => {
  it("shows the sums and the violations and starts a run for the period in the URL", async () => {
    const { user, requests } = await renderApp({
      as: ANALYST,
      path: "/pharmacy/control?period_from=2026-10-01&period_to=2026-10-31",
      routes: {
        ...routes,
        [`POST ${P}/control/runs`]: {
          status: 202,
          body: {
            id: "r1", period_from: "2026-10-01", period_to: "2026-10-31", pharmacy_id: null, job_id: "0b7c9d4e-0000-4000-8000-000000000001",
            status: "running", started_by: "analyst", started_at: "2026-11-24T10:00:00Z", finished_at: null, checked: 0,
            with_violations: 0, violations: 0, amount: "0", withheld: "0", by_code: null,
          },
        },
      },
    });
    const table = await screen.findByRole("table", { name: "Медико-экономический контроль" });
    const row = within(table).getAllByRole("row")[1]!;
    expect(row.textContent).toContain("7701234 № 123");
    expect(row.textContent).toContain("Выбытие отклонено МДЛП");
    expect(screen.getByTestId("violations-chart").textContent).toContain("Сумма не равна сумме цен упаковок");
    expect(screen.getByText("Для акта выберите аптеку.")).toBeTruthy();
    expect(screen.getByRole<HTMLButtonElement>("button", { name: "Составить акт по аптеке" }).disabled).toBe(true);
    await user.click(screen.getByRole("button", { name: "Провести контроль" }));
    await waitFor(() => expect(requests.some((r) => r.key === `POST ${P}/control/runs`)).toBe(true));
    expect(requests.find((r) => r.key === `POST ${P}/control/runs`)!.body).toEqual({
      period_from: "2026-10-01",
      period_to: "2026-10-31",
      pharmacy_id: null,
    });
  });

  it("lets a reader look but not run or draw up acts", async () => {
    await renderApp({ as: READER, path: "/pharmacy/control?period_from=2026-10-01&period_to=2026-10-31", routes });
    await screen.findByRole("table", { name: "Медико-экономический контроль" });
    expect(screen.queryByRole("button", { name: "Провести контроль" })).toBeNull();
    expect(screen.queryByRole("button", { name: "Составить акт по аптеке" })).toBeNull();
    expect(screen.getByText("Актов за период нет.")).toBeTruthy();
  });
});
