import { screen, waitFor, within } from "@testing-library/react";
import { describe, expect, it } from "vitest";
import { me } from "../../../test/fakeGateway";
import { renderApp } from "../../../test/renderApp";

const P = "/api/pharmacy";
const PHARMACIST = me("pharmacist", ["pharmacist"], ["pharmacy.prescription:read", "pharmacy.prescription:dispense"], "pharmacy");
const ID = "11111111-2222-4333-8444-555555555555";
const PRESCRIPTION = {
  id: ID,
  designation: "серия 7701234 № 0000123",
  series: "7701234",
  number: 123,
  form: "148-1/у-04(л)",
  status: "issued",
  mo_id: "m1",
  issued_on: "2026-11-20",
  valid_until: "2026-12-20",
  valid_today: true,
  patient: { name: "О***** А. П.", birth_year: 1950, snils: "***-***-*** 95" },
  inn: "Метформин",
  dosage_form: "таблетки",
  dosage: "500 мг",
  trade_name: null,
  quantity: 1,
  signa: "по 1 таблетке 2 раза в день",
  funding_source: "federal",
  category_code: "082",
  entitlement: { entitled: true, category_code: "082", messages: [] },
  marked: true,
  free_here: 3,
  reservations: [],
  deferred: null,
  dispense_id: null,
  problems: [],
};
const SCAN = {
  parsed: { gtin: "04607000012345", serial: "0ABCdef123456", sgtin: "046070000123450ABCdef123456", expiry: null, batch: null, verification_key: "EE10", crypto: "x".repeat(44) },
  drug: { id: "d1", inn: "Метформин", trade_name: "Глюкофаж", dosage_form: "таблетки", dosage: "500 мг", marked: true },
  package: { status: "in_stock", batch_id: "b1", series: "S1", expiry_date: "2027-10-01", funding_source: "federal", unit_price: "123.45" },
  usable: true,
  problems: [],
};

describe("dispensing screen", () => {
  it("finds the prescription, turns Ctrl+] into GS, counts the package and dispenses", async () => {
    const { user, requests } = await renderApp({
      as: PHARMACIST,
      path: "/pharmacy/dispensing",
      routes: {
        [`GET ${P}/dispensing/prescription`]: { status: 200, body: PRESCRIPTION },
        [`POST ${P}/dispensing/scan`]: { status: 200, body: SCAN },
        [`POST ${P}/dispensing/dispenses`]: {
          status: 201,
          body: {
            id: "disp1",
            prescription_id: ID,
            designation: PRESCRIPTION.designation,
            pharmacy_id: "org-1",
            mo_id: "m1",
            pharmacist: "pharmacist",
            dispensed_at: "2026-11-24T10:00:00Z",
            quantity: 1,
            amount: "123.45",
            funding_source: "federal",
            drug: SCAN.drug,
            items: [{ batch_id: "b1", series: "S1", expiry_date: "2027-10-01", sgtin: SCAN.parsed.sgtin, unit_price: "123.45" }],
            trace_report_id: "t1",
          },
        },
      },
    });
    const input = await screen.findByLabelText("Скан или серия и номер рецепта");
    await waitFor(() => expect(document.activeElement).toBe(input));
    await user.type(input, "Серия 7701234 № 0000123{Enter}");
    expect(await screen.findByText("О***** А. П., 1950 · СНИЛС ***-***-*** 95")).toBeTruthy();
    expect(screen.getByText("Отсканировано 0 из 1")).toBeTruthy();
    const dispense = screen.getByRole<HTMLButtonElement>("button", { name: "Отпустить" });
    expect(dispense.disabled).toBe(true);

    await user.type(input, "]d20104607000012345210ABCdef123456{Control>}{]}{/Control}91EE10{Enter}");
    await screen.findByText("Отсканировано 1 из 1");
    const scanned = requests.find((r) => r.key === `POST ${P}/dispensing/scan`)!;
    expect(scanned.body).toEqual({ code: "]d20104607000012345210ABCdef123456\x1d91EE10", prescription_id: ID });
    const table = screen.getByRole("table");
    expect(within(table).getAllByRole("row")[1]!.textContent).toContain("Глюкофаж");

    await waitFor(() => expect(dispense.disabled).toBe(false));
    await user.click(dispense);
    expect(await screen.findByText(/Отпущено: 1 уп\. на 123,45/)).toBeTruthy();
    const sent = requests.find((r) => r.key === `POST ${P}/dispensing/dispenses`)!;
    expect(sent.body).toEqual({ prescription_id: ID, codes: ["]d20104607000012345210ABCdef123456\x1d91EE10"] });
  });

  it("gives an unmarked drug from the batch picked in the picker", async () => {
    const batch = { batch_id: "b-fefo", drug_id: "d2", trade_name: "Бинт стерильный", series: "AX1001", expiry_date: "2027-03-01", free: 4, unit_price: "40.10" };
    const bandage = { ...PRESCRIPTION, inn: "Бинт", dosage_form: "бинт", dosage: "7 м x 14 см", quantity: 2, marked: false, free_here: 4, batches: [batch] };
    // asked again after the dispense, the prescription is dispensed: the server says so as a problem
    const already = { code: "already_dispensed", message: "По рецепту серия 7701234 № 0000123 уже отпущено 24.11.2026" };
    let dispensed = false;
    const { user, requests } = await renderApp({
      as: PHARMACIST,
      path: "/pharmacy/dispensing",
      routes: {
        [`GET ${P}/dispensing/prescription`]: () => ({
          status: 200,
          body: dispensed ? { ...bandage, free_here: 2, batches: [], dispense_id: "disp2", problems: [already] } : bandage,
        }),
        [`POST ${P}/dispensing/dispenses`]: () => {
          dispensed = true;
          return {
          status: 201,
          body: {
            id: "disp2",
            prescription_id: ID,
            designation: PRESCRIPTION.designation,
            pharmacy_id: "org-1",
            mo_id: "m1",
            pharmacist: "pharmacist",
            dispensed_at: "2026-11-24T10:00:00Z",
            quantity: 2,
            amount: "80.20",
            funding_source: "federal",
            drug: { id: "d2", inn: "Бинт", trade_name: "Бинт стерильный", dosage_form: "бинт", dosage: "7 м x 14 см", marked: false },
            items: [1, 2].map(() => ({ batch_id: "b-fefo", series: "AX1001", expiry_date: "2027-03-01", sgtin: null, unit_price: "40.10" })),
            trace_report_id: null,
          },
          };
        },
      },
    });
    const input = await screen.findByLabelText("Скан или серия и номер рецепта");
    await user.type(input, "7701234/123{Enter}");
    const radio = await screen.findByRole<HTMLInputElement>("radio", { name: "Партия AX1001, годен до 01.03.2027" });
    expect(radio.checked).toBe(true);
    expect(screen.queryByText(/Отсканировано/)).toBeNull();
    expect(screen.getAllByRole("button", { name: "Отпустить" })).toHaveLength(1);
    await user.click(screen.getByRole("button", { name: "Отпустить" }));
    expect(await screen.findByText(/Отпущено: 2 уп\. на 80,20/)).toBeTruthy();
    const sent = requests.find((r) => r.key === `POST ${P}/dispensing/dispenses`)!;
    expect(sent.body).toEqual({ prescription_id: ID, items: [{ batch_id: "b-fefo", quantity: 2 }] });
    // the card asked again (two fewer free): this counter's own dispense is no refusal beside its success
    await waitFor(() => expect(screen.getByText("Свободно в аптеке").nextElementSibling!.textContent).toBe("2"));
    expect(screen.queryByText("По рецепту уже отпущено")).toBeNull();
    expect(screen.queryByText(already.message)).toBeNull();
    expect(screen.getByRole("status").textContent).toContain("Отпущено: 2 уп.");
  });

  it("shows a refused package at its line, does not count it, and offers deferral without stock", async () => {
    const { user } = await renderApp({
      as: PHARMACIST,
      path: "/pharmacy/dispensing",
      routes: {
        [`GET ${P}/dispensing/prescription`]: { status: 200, body: { ...PRESCRIPTION, free_here: 0 } },
        [`POST ${P}/dispensing/scan`]: {
          status: 200,
          body: {
            ...SCAN,
            usable: false,
            problems: [{ code: "code_dispensed", message: "Код маркировки уже выбыт: отпущена 12.11.2026 по рецепту серия 7701234 № 0000100" }],
          },
        },
      },
    });
    const input = await screen.findByLabelText("Скан или серия и номер рецепта");
    await user.type(input, "7701234/123{Enter}");
    await screen.findByText("Отсканировано 0 из 1");
    await user.type(input, "0104607000012345210ABCdef123456<GS>91EE10{Enter}");
    const alert = await screen.findByText(/уже выбыт: отпущена 12\.11\.2026/);
    expect(alert.closest("tr")?.className).toContain("line-error");
    expect(screen.getByText("Отсканировано 0 из 1")).toBeTruthy();
    expect((screen.getByRole<HTMLButtonElement>("button", { name: "Отпустить" })).disabled).toBe(true);
    expect(screen.getByRole("button", { name: "На отсроченное обслуживание" })).toBeTruthy();
  });
});
