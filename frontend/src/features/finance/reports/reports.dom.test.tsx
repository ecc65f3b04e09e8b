import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { renderApp } from "../../../test/renderApp";
import { ECONOMIST, FUND, REPORT, REPORT_ID, TEMPLATE } from "./testing";

const F = "/api/finance";
const routesFor = (report = REPORT) => ({
  [`GET ${F}/reports/${REPORT_ID}`]: { status: 200, body: report },
  [`GET ${F}/forms/14F/template`]: { status: 200, body: TEMPLATE },
  [`GET ${F}/reports/${REPORT_ID}/history`]: {
    status: 200,
    body: [{ at: "2026-11-24T08:00:00Z", actor: "economist", action: "create", action_title: "Создан", status_from: null, status_to: "draft", comment: null, changes: null }],
  },
});

describe("a report form", () => {
  it("shows the form's layout, recomputes as the MO types and checks the ratios live", async () => {
    const { user, requests } = await renderApp({
      as: ECONOMIST,
      path: `/finance/reports/${REPORT_ID}`,
      routes: {
        ...routesFor(),
        [`PATCH ${F}/reports/${REPORT_ID}/values`]: (_req, body) => ({
          status: 200,
          body: {
            ...REPORT,
            revision: 4,
            cells: REPORT.cells.map((c) =>
              c.row === "01" ? { ...c, value: "100.00" } : c.row === "30" ? { ...c, value: "50.00" } : c,
            ),
            violations: [],
            errors: 0,
            _sent: body,
          },
        }),
      },
    });
    const grid = await screen.findByRole("table", { name: /14-Ф \(ОМС\)/ });
    // column heads and their codes, sections, «X» where a row has no such cell
    expect(within(grid).getAllByRole("row")[1]!.textContent).toBe("12345");
    expect(within(grid).getByText("Раздел 2")).toBeTruthy();
    expect(screen.getByTestId("cell-01:3").textContent).toBe("X");
    expect(screen.getByTestId("cell-30:4").textContent).toBe("-50,00");
    expect(screen.getByTestId("cell-30:4").className).toContain("violated-error");
    const checks = screen.getByTestId("violations");
    expect(checks.textContent).toContain("Ошибка К08");
    expect(checks.textContent).toContain("Предупреждение К11");
    expect(screen.getByTestId<HTMLButtonElement>("submit").disabled).toBe(true);

    await user.type(screen.getByTestId("input-01:4"), "100");
    expect(screen.getByTestId("cell-30:4").textContent).toBe("50,00");
    expect(screen.getByTestId("violations").textContent).not.toContain("К08");
    // unsaved: submit waits for the save
    expect(screen.getByTestId<HTMLButtonElement>("submit").disabled).toBe(true);
    await user.click(screen.getByTestId("save"));
    await waitFor(() => expect(requests.some((r) => r.key === `PATCH ${F}/reports/${REPORT_ID}/values`)).toBe(true));
    const sent = requests.find((r) => r.key === `PATCH ${F}/reports/${REPORT_ID}/values`)!.body;
    expect(sent).toEqual({ values: [{ row: "01", column: "4", value: "100.00" }], expected_revision: 3 });
    await waitFor(() => expect(screen.getByTestId<HTMLButtonElement>("submit").disabled).toBe(false));
    expect(screen.getByText("228 дн.")).toBeTruthy();
  });

  it("shows a typing mistake under the manual cell", async () => {
    const { user } = await renderApp({ as: ECONOMIST, path: `/finance/reports/${REPORT_ID}`, routes: routesFor() });
    const input = await screen.findByTestId("input-01:4");
    await user.type(input, "12,345");
    expect(input.getAttribute("aria-invalid")).toBe("true");
    expect(screen.getByRole("alert").textContent).toContain("двумя знаками");
    expect(screen.getByTestId<HTMLButtonElement>("save").disabled).toBe(true);
  });

  it("lets the fund accept a submitted report, read only", async () => {
    const submitted = { ...REPORT, status: "submitted" as const, actions: ["accept" as const, "return" as const, "comment" as const], live: false };
    const { user, requests } = await renderApp({
      as: FUND,
      path: `/finance/reports/${REPORT_ID}`,
      routes: {
        ...routesFor(submitted),
        [`POST ${F}/reports/${REPORT_ID}/accept`]: { status: 200, body: { ...submitted, status: "accepted", actions: [] } },
      },
    });
    await screen.findByRole("table", { name: /14-Ф \(ОМС\)/ });
    expect(screen.queryByTestId("input-01:4")).toBeNull();
    expect(screen.getByTestId("report-status").textContent).toBe("сдан, на проверке");
    await user.click(screen.getByRole("button", { name: "Принять" }));
    const dialog = await screen.findByRole("dialog");
    await user.click(within(dialog).getByRole("button", { name: "Принять" }));
    await waitFor(() => expect(screen.getByTestId("report-status").textContent).toBe("принят"));
    expect(requests.filter((r) => r.key === `POST ${F}/reports/${REPORT_ID}/accept`)).toHaveLength(1);
  });
});

describe("the reports list", () => {
  it("highlights the overdue reports and lists those not started", async () => {
    await renderApp({
      as: FUND,
      path: "/finance/reports",
      routes: {
        [`GET ${F}/reports`]: { status: 200, body: { items: [REPORT], total: 1, limit: 25, offset: 0 } },
        [`GET ${F}/reports/overdue`]: {
          status: 200,
          body: [
            { form: "14F", short: "14-Ф (ОМС)", mo_id: "m2", mo_name: "ГБУЗ «Лесогорская ЦРБ»", period: REPORT.period, due_date: "2026-04-10", days_overdue: 228, report_id: null, status: "missing" },
          ],
        },
        [`GET ${F}/mos`]: { status: 200, body: [] },
      },
    });
    const overdue = await screen.findByRole("table", { name: "Просроченные отчёты" });
    expect(overdue.textContent).toContain("ГБУЗ «Лесогорская ЦРБ»");
    expect(overdue.textContent).toContain("не начат");
    const list = await screen.findByRole("table", { name: "Отчётные формы" });
    const row = within(list).getAllByRole("row")[1]!;
    expect(row.textContent).toContain("I квартал 2026");
    expect(within(row).getByText("228 дн.").className).toBe("report-overdue");
  });

  it("tells FOMS it sees the consolidated forms only", async () => {
    await renderApp({
      as: { ...FUND, roles: ["foms_viewer"], permissions: [...FUND.permissions.filter((p) => p !== "finance.report:accept")] },
      path: "/finance/reports",
      routes: { [`GET ${F}/reports`]: { status: 403, body: { title: "Недостаточно прав", status: 403 } } },
    });
    expect(await screen.findByText("Вам доступны только сводные формы по региону.")).toBeTruthy();
    expect(screen.getByRole("button", { name: "Показать свод" })).toBeTruthy();
  });
});
