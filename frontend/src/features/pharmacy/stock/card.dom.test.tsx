import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { me } from "../../../test/fakeGateway";
import { renderApp } from "../../../test/renderApp";

const P = "/api/pharmacy";
const PHARMACIST = me("pharmacist", ["pharmacist"], ["pharmacy.stock:read"], "pharmacy");

function movement(id: string, at: string, kind: string, quantity: number, balance: number) {
  return {
    id, booked_at: at, kind, quantity, balance, batch_id: "b-1", series: "AB1", batch_balance: balance, document: `Док ${id}`,
    document_id: null, reason: null, counterparty_id: null, prescription_id: null, sgtins: null, booked_by: "ivanova",
  };
}

describe("the stock card", () => {
  it("opens on the latest movements with their running balance and pages back", async () => {
    const asked: URLSearchParams[] = [];
    const { user } = await renderApp({
      as: PHARMACIST,
      path: "/pharmacy/stock/ph-1/d-1",
      routes: {
        [`GET ${P}/stock/cards/ph-1/d-1`]: (request) => {
          const q = new URL(request.url).searchParams;
          asked.push(q);
          const earlier = q.get("offset") === "0";
          return {
            status: 200,
            body: {
              pharmacy_id: "ph-1", pharmacy_name: "Аптека № 1", drug_id: "d-1", inn: "Метформин", trade_name: "Глюкофаж",
              dosage_form: "таблетки", dosage: "500 мг", marked: false, balance: 7, reserved: 1,
              batches: [{ batch_id: "b-1", series: "AB1", expiry_date: "2027-12-31", funding_source: "federal", unit_price: "152.40", quantity: 7, reserved: 1 }],
              movements: earlier
                ? [movement("m-1", "2026-11-01T09:00:00Z", "receipt", 10, 10)]
                : [movement("m-2", "2026-11-02T09:00:00Z", "dispense", -2, 8), movement("m-3", "2026-11-03T09:00:00Z", "write_off", -1, 7)],
              total: 3, limit: 2, offset: earlier ? 0 : 1,
            },
          };
        },
      },
    });
    const table = await screen.findByRole("table", { name: "Движения" });
    const rows = within(table).getAllByRole("row");
    expect(rows).toHaveLength(3);
    expect(rows[1]!.textContent).toContain("Отпуск по рецепту");
    expect(rows[2]!.textContent).toContain("Списание");
    expect(rows[2]!.textContent).toContain("-1");
    expect(asked[0]!.get("last")).toBe("true");
    expect(screen.getByText(/Остаток: 7/)).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "← Раньше" }));
    await waitFor(() => expect(asked.at(-1)!.get("offset")).toBe("0"));
    expect(await screen.findByText("Док m-1")).toBeTruthy();
  });
});
