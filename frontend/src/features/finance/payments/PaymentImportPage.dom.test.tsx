import { screen, waitFor } from "@testing-library/react";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { FakeXhr, xhrs } from "../../../components/jobTesting";
import { me } from "../../../test/fakeGateway";
import { renderApp } from "../../../test/renderApp";

const F = "/api/finance";
const ECONOMIST = me("economist", ["mo_economist"], ["finance.payment_order:read", "finance.payment_order:write", "finance.budget:read"], "mo");
const MOS = [{ id: "mo-1", code: "990001", name: "ГБУЗ «Городская поликлиника № 2»", legal_form: "budget", founder_id: null, founder_name: null, beds: 0, attached_persons: 50000, last_month: "2026-03" }];
const IMPORT_ID = "7f1c0000-0000-4000-8000-000000000001";
const WAITING = {
  id: IMPORT_ID, mo_id: "mo-1", job_id: null, file_name: "kl_to_1c.txt", file_format: "1c", status: "awaiting_decision",
  documents: 3, valid: 2, invalid: 1, inserted: 0, duplicates: 0, repeated_in_file: 0,
  header: { version: "1.03", encoding: "Windows (windows-1251)", accounts: ["03224643500000001234"], balances: [] },
  problems: [{ line: 41, field: "Сумма", message: "сумма «12,345.50»: в ней и запятая, и точка", document: "№ 3 от 03.03.2026" }],
  problems_total: 1, warnings: [], error: null, created_by: "economist", created_at: "2026-03-05T10:00:00Z", decided_by: null, decided_at: null,
};

beforeEach(() => {
  xhrs.length = 0;
  vi.stubGlobal("XMLHttpRequest", FakeXhr);
});
afterEach(() => vi.unstubAllGlobals());

describe("the payment import page", () => {
  it("uploads a 1C file, shows the line report and loads only the valid lines on the user's choice", async () => {
    const { user, requests } = await renderApp({
      as: ECONOMIST,
      path: "/finance/payments/import",
      routes: {
        [`GET ${F}/mos`]: { status: 200, body: MOS },
        [`GET ${F}/payment-orders/imports`]: { status: 200, body: { items: [], total: 0, limit: 10, offset: 0 } },
        [`POST ${F}/payment-orders/imports/${IMPORT_ID}/apply`]: {
          status: 200,
          body: { ...WAITING, status: "imported", inserted: 2, decided_by: "economist", decided_at: "2026-03-05T10:01:00Z" },
        },
      },
    });
    const input = await screen.findByLabelText<HTMLInputElement>("Файл выписки или поручений");
    await user.upload(input, new File(["1CClientBankExchange\r\n"], "kl_to_1c.txt", { type: "" }));
    await user.click(screen.getByRole("button", { name: "Загрузить" }));
    await waitFor(() => expect(xhrs).toHaveLength(1));
    expect(xhrs[0]!.url).toBe("/api/finance/payment-orders/imports");
    expect(xhrs[0]!.headers["Content-Type"]).toBe("text/plain");
    xhrs[0]!.respond(201, WAITING);

    expect((await screen.findByTestId("import-report")).textContent).toContain("корректных документов 2, с ошибками 1");
    expect(screen.getByRole("cell", { name: "№ 3 от 03.03.2026" })).toBeTruthy();
    await user.click(screen.getByRole("button", { name: "Загрузить только корректные строки (2)" }));
    await waitFor(() => expect(screen.getByTestId("import-report").textContent).toContain("записано новых 2"));
    expect(requests.some((r) => r.key === `POST ${F}/payment-orders/imports/${IMPORT_ID}/apply`)).toBe(true);
    expect(screen.queryByRole("button", { name: /Загрузить только корректные строки/ })).toBeNull();
  });
});
