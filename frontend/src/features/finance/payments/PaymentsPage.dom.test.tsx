import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { me } from "../../../test/fakeGateway";
import { renderApp } from "../../../test/renderApp";

const F = "/api/finance";
const ECONOMIST = me("economist", ["mo_economist"], ["finance.payment_order:read", "finance.payment_order:write", "finance.budget:read"], "mo");
const MOS = [{ id: "mo-1", code: "990001", name: "ГБУЗ «Городская поликлиника № 2»", legal_form: "budget", founder_id: null, founder_name: null, beds: 0, attached_persons: 50000, last_month: "2026-03" }];

function order(id: string, overrides: Record<string, unknown>) {
  return {
    id, mo_id: "mo-1", import_id: null, direction: "out", doc_kind: "Платежное поручение", doc_number: "15", doc_date: "2026-03-03",
    amount: "12345.50", account: "03224643500000001234", payer_name: "ГБУЗ «Городская поликлиника № 2»", payer_inn: "5001012345",
    payer_kpp: "500101001", payer_account: "03224643500000001234", payer_bik: "045004001", payee_name: "ООО «Фарм-Снаб»",
    payee_inn: "5008123456", payee_kpp: "500801001", payee_account: "40702810900000012345", payee_bik: "045004002",
    purpose: "Оплата по контракту № 12-ЛП за лекарственные препараты", kbk: null, written_off: "2026-03-03", received: null,
    kvfo: 7, kosgu: "341", classified_by: "rule", confidence: 0.97, needs_review: false, classified_at: "2026-03-05T10:00:00Z",
    created_at: "2026-03-05T10:00:00Z", counterparty_name: "ООО «Фарм-Снаб»", counterparty_inn: "5008123456",
    ...overrides,
  };
}

describe("the payment orders list", () => {
  it("asks the server with the URL's filters and sort, shows counterparties and classes, sorts by a header", async () => {
    const asked: URLSearchParams[] = [];
    const { user } = await renderApp({
      as: ECONOMIST,
      path: "/finance/payments?needs_review=true&counterparty=5008123456",
      routes: {
        [`GET ${F}/mos`]: { status: 200, body: MOS },
        [`GET ${F}/payment-orders`]: (request) => {
          asked.push(new URL(request.url).searchParams);
          const items = [
            order("o-1", {}),
            order("o-2", { direction: "in", doc_number: "77", amount: "2500000.00", counterparty_name: "ТФОМС Приозёрской области", kvfo: null, kosgu: null, classified_by: null, needs_review: true }),
          ];
          return { status: 200, body: { items, total: 2, limit: 50, offset: 0 } };
        },
      },
    });
    const table = await screen.findByRole("table", { name: "Платёжные поручения" });
    const rows = within(table).getAllByRole("row");
    expect(rows).toHaveLength(3);
    expect(rows[1]!.textContent).toContain("ООО «Фарм-Снаб»");
    expect(rows[1]!.textContent).toContain("7 / 341");
    expect(rows[2]!.textContent).toContain("ТФОМС Приозёрской области");
    expect(rows[2]!.textContent).toContain("не определено");
    expect(rows[2]!.textContent).toContain("на проверку");
    expect(within(rows[1]!).getByRole("link", { name: "15" }).getAttribute("href")).toBe("/finance/payments/o-1");
    const first = asked[0]!;
    expect(first.get("needs_review")).toBe("true");
    expect(first.get("counterparty")).toBe("5008123456");
    expect(first.get("sort")).toBe("-doc_date");
    expect(screen.getByRole("button", { name: "1С (windows-1251)" })).toBeTruthy();
    expect(screen.getByRole("link", { name: "Загрузить выписку или поручения" }).getAttribute("href")).toBe("/finance/payments/import");

    await user.click(within(table).getByRole("button", { name: /Сумма, ₽/ }));
    await waitFor(() => expect(asked.at(-1)!.get("sort")).toBe("amount"));
  });
});
