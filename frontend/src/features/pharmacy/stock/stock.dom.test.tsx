import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { me } from "../../../test/fakeGateway";
import { renderApp } from "../../../test/renderApp";

const P = "/api/pharmacy";
const PHARMACIST = me("pharmacist", ["pharmacist"], ["pharmacy.stock:read", "pharmacy.stock:write"], "pharmacy");
const GTIN = "04607000000011";

function row(id: string, overrides: Record<string, unknown>) {
  return {
    batch_id: id, pharmacy_id: "ph-1", pharmacy_name: "Аптека № 1", drug_id: "d-1", inn: "Метформин", trade_name: "Глюкофаж",
    dosage_form: "таблетки", dosage: "500 мг", marked: true, series: "AB1", expiry_date: "2027-12-31", days_to_expiry: 400,
    funding_source: "federal", unit_price: "152.40", quantity: 10, reserved: 2, free: 8, drug_free: 8, threshold: 5, low: false,
    ...overrides,
  };
}

describe("the stock list", () => {
  it("asks with the URL's filters, marks expired, expiring and low stock, links the card", async () => {
    const asked: URLSearchParams[] = [];
    await renderApp({
      as: PHARMACIST,
      path: "/pharmacy/stock?below_threshold=true&q=мет",
      routes: {
        [`GET ${P}/pharmacies`]: { status: 200, body: { items: [{ id: "ph-1", code: "990101", name: "Аптека № 1", mos: [] }], total: 1, limit: 500, offset: 0 } },
        [`GET ${P}/stock`]: (request) => {
          asked.push(new URL(request.url).searchParams);
          const items = [
            row("b-1", { days_to_expiry: -3, expiry_date: "2026-11-21", low: true, drug_free: 2 }),
            row("b-2", { series: "AB2", days_to_expiry: 20 }),
          ];
          return { status: 200, body: { items, total: 2, limit: 50, offset: 0 } };
        },
      },
    });
    const table = await screen.findByRole("table", { name: "Остатки" });
    const rows = within(table).getAllByRole("row");
    expect(rows).toHaveLength(3);
    expect(rows[1]!.textContent).toContain("просрочено");
    expect(rows[1]!.textContent).toContain("ниже порога (2 из 5)");
    expect(rows[2]!.textContent).toContain("истекает через 20 дн.");
    expect(within(rows[1]!).getByRole("link", { name: "Глюкофаж" }).getAttribute("href")).toBe("/pharmacy/stock/ph-1/d-1");
    expect(asked[0]!.get("below_threshold")).toBe("true");
    expect(asked[0]!.get("q")).toBe("мет");
    expect(asked[0]!.get("sort")).toBe("expiry_date,inn");
  });

  it("posts a receipt whose codes were scanned into the line", async () => {
    const posted: unknown[] = [];
    const { user } = await renderApp({
      as: PHARMACIST,
      path: "/pharmacy/stock",
      routes: {
        [`GET ${P}/pharmacies`]: { status: 200, body: { items: [], total: 0, limit: 500, offset: 0 } },
        [`GET ${P}/stock`]: { status: 200, body: { items: [], total: 0, limit: 50, offset: 0 } },
        [`POST ${P}/stock/receipts`]: (_request, body) => {
          posted.push(body);
          return { status: 201, body: { id: "doc-1", number: "Н-7", movements: [{}], kind: "receipt" } };
        },
      },
    });
    await user.click(await screen.findByRole("button", { name: "Приход по накладной" }));
    const dialog = await screen.findByRole("dialog");
    await user.type(within(dialog).getByLabelText("Поставщик"), "ООО «Фармкомплект»");
    await user.type(within(dialog).getByLabelText("Номер накладной"), "Н-7");
    await user.type(within(dialog).getByLabelText("Серия"), "AB1");
    await user.type(within(dialog).getByLabelText("Годен до"), "2027-12-31");
    await user.type(within(dialog).getByLabelText("Цена за уп., ₽"), "152,40");
    const scanner = within(dialog).getByLabelText("Сканер: код маркировки и Enter");
    await user.type(scanner, `01${GTIN}21AAAAAAAAAAAAA{Enter}`);
    await user.type(scanner, `01${GTIN}21BBBBBBBBBBBBB{Enter}`);
    await user.type(scanner, `01${GTIN}21AAAAAAAAAAAAA{Enter}`);
    expect(within(dialog).getByRole("alert").textContent).toContain("уже отсканирован");
    expect(within(dialog).getByLabelText<HTMLInputElement>("GTIN").value).toBe(GTIN);
    await user.click(within(dialog).getByRole("button", { name: "Провести приход" }));
    await waitFor(() => expect(posted).toHaveLength(1));
    expect(posted[0]).toMatchObject({
      supplier: "ООО «Фармкомплект»",
      invoice_number: "Н-7",
      lines: [{ gtin: GTIN, series: "AB1", quantity: 2, unit_price: "152.40", codes: [`01${GTIN}21AAAAAAAAAAAAA`, `01${GTIN}21BBBBBBBBBBBBB`] }],
    });
    expect(await screen.findByText(/Приход проведён: накладная № Н-7/)).toBeTruthy();
  });

  it("writes off a marked batch by the scanned codes with the reason and act", async () => {
    const posted: unknown[] = [];
    const { user } = await renderApp({
      as: PHARMACIST,
      path: "/pharmacy/stock",
      routes: {
        [`GET ${P}/pharmacies`]: { status: 200, body: { items: [], total: 0, limit: 500, offset: 0 } },
        [`GET ${P}/stock`]: { status: 200, body: { items: [row("b-1", { days_to_expiry: -1, expiry_date: "2026-11-23" })], total: 1, limit: 50, offset: 0 } },
        [`POST ${P}/stock/write-offs`]: (_request, body) => {
          posted.push(body);
          return { status: 201, body: { id: "doc-2", number: "АС-1", movements: [] } };
        },
      },
    });
    await user.click(await screen.findByRole("button", { name: "Списать" }));
    const dialog = await screen.findByRole("dialog");
    expect(within(dialog).getByLabelText<HTMLSelectElement>("Причина").value).toBe("expired");
    await user.type(within(dialog).getByLabelText("Номер акта"), "АС-1");
    await user.type(within(dialog).getByLabelText("Коды списываемых упаковок (сканер)"), `01${GTIN}21CCCCCCCCCCCCC{Enter}`);
    await user.click(within(dialog).getByRole("button", { name: "Списать" }));
    await waitFor(() => expect(posted).toHaveLength(1));
    expect(posted[0]).toMatchObject({
      pharmacy_id: "ph-1",
      reason: "expired",
      number: "АС-1",
      lines: [{ batch_id: "b-1", quantity: 1, codes: [`01${GTIN}21CCCCCCCCCCCCC`] }],
    });
  });

  it("transfers a marked batch to a pharmacy picked from the region's list, and returns one to a warehouse", async () => {
    const transfers: unknown[] = [];
    const returns: unknown[] = [];
    const { user } = await renderApp({
      as: PHARMACIST,
      path: "/pharmacy/stock",
      routes: {
        [`GET ${P}/pharmacies`]: { status: 200, body: { items: [], total: 0, limit: 500, offset: 0 } },
        [`GET ${P}/stock`]: { status: 200, body: { items: [row("b-1", {})], total: 1, limit: 50, offset: 0 } },
        [`GET ${P}/stock/counterparties`]: {
          status: 200,
          body: [
            { id: "ph-2", code: "990102", name: "Аптека № 2", kind: "pharmacy" },
            { id: "wh-1", code: "990201", name: "Аптечный склад", kind: "warehouse" },
          ],
        },
        [`POST ${P}/stock/transfers`]: (_request, body) => {
          transfers.push(body);
          return { status: 201, body: { id: "doc-3", number: "П-1", movements: [] } };
        },
        [`POST ${P}/stock/returns`]: (_request, body) => {
          returns.push(body);
          return { status: 201, body: { id: "doc-4", number: "В-1", movements: [] } };
        },
      },
    });
    await user.click(await screen.findByRole("button", { name: "Переместить" }));
    let dialog = await screen.findByRole("dialog");
    const submit = () => within(dialog).getByRole<HTMLButtonElement>("button", { name: "Переместить" });
    await within(dialog).findByRole("option", { name: "Аптека № 2 (990102), аптека" });
    await user.type(within(dialog).getByLabelText("Номер накладной на перемещение"), "П-1");
    await user.type(within(dialog).getByLabelText("Коды упаковок (сканер)"), `01${GTIN}21DDDDDDDDDDDDD{Enter}`);
    expect(submit().disabled).toBe(true); // no destination yet
    await user.selectOptions(within(dialog).getByLabelText("Куда"), "ph-2");
    await user.click(submit());
    await waitFor(() => expect(transfers).toHaveLength(1));
    expect(transfers[0]).toMatchObject({
      pharmacy_id: "ph-1",
      to_pharmacy_id: "ph-2",
      number: "П-1",
      lines: [{ batch_id: "b-1", quantity: 1, codes: [`01${GTIN}21DDDDDDDDDDDDD`] }],
    });
    expect(await screen.findByText("Перемещение № П-1 проведено.")).toBeTruthy();

    await user.click(await screen.findByRole("button", { name: "Вернуть" }));
    dialog = await screen.findByRole("dialog");
    const back = () => within(dialog).getByRole<HTMLButtonElement>("button", { name: "Вернуть поставщику" });
    await within(dialog).findByRole("option", { name: "Аптечный склад (990201), склад" });
    await user.type(within(dialog).getByLabelText("Поставщик"), "ГУП «Фармация»");
    await user.type(within(dialog).getByLabelText("Номер накладной на возврат"), "В-1");
    await user.type(within(dialog).getByLabelText("Коды упаковок (сканер)"), `01${GTIN}21EEEEEEEEEEEEE{Enter}`);
    expect(back().disabled).toBe(true); // a marked return needs the supplier from the register
    expect(within(dialog).getByText(/получатель в сведениях для МДЛП/)).toBeTruthy();
    await user.selectOptions(within(dialog).getByLabelText("Поставщик в справочнике организаций"), "wh-1");
    expect(within(dialog).getByLabelText<HTMLInputElement>("Поставщик").value).toBe("Аптечный склад");
    await user.click(back());
    await waitFor(() => expect(returns).toHaveLength(1));
    expect(returns[0]).toMatchObject({
      supplier: "Аптечный склад",
      supplier_id: "wh-1",
      number: "В-1",
      lines: [{ batch_id: "b-1", quantity: 1, codes: [`01${GTIN}21EEEEEEEEEEEEE`] }],
    });
  });
});
