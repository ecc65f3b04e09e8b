import { describe, expect, it } from "vitest";
import { GS } from "../scanner/wedge";
import { addScan, balanceByDay, emptyLine, expiryLevel, gtinOfCode, identityOfCode, receiptBody, takenIdentities, type ReceiptDraft } from "./logic";

const GTIN = "04607000000011";
const OTHER = "04607000000028";
const code = (serial: string, gtin = GTIN) => `01${gtin}21${serial}${GS}91EE10${GS}92${"A".repeat(44)}`;

describe("expiry marks", () => {
  it("expired below zero, soon within 90 days", () => {
    expect(expiryLevel(-1)).toBe("expired");
    expect(expiryLevel(0)).toBe("soon");
    expect(expiryLevel(90)).toBe("soon");
    expect(expiryLevel(91)).toBe("ok");
  });
});

describe("scanning codes into a receipt line", () => {
  it("takes the GTIN from the first code, with or without the symbology prefix", () => {
    expect(gtinOfCode(`]d2${code("ABCDEFGHIJKLM")}`)).toBe(GTIN);
    expect(gtinOfCode("hello")).toBeNull();
    const first = addScan({ codes: [], gtin: "" }, code("ABCDEFGHIJKLM"), new Set());
    expect(first.error).toBeUndefined();
    expect(first.gtin).toBe(GTIN);
    expect(first.codes).toHaveLength(1);
  });

  it("refuses another GTIN, a repeat anywhere in the invoice, and text that is no code", () => {
    const line = { codes: [code("ABCDEFGHIJKLM")], gtin: GTIN };
    const taken = takenIdentities([line]);
    expect(addScan(line, code("ZZZZZZZZZZZZZ", OTHER), taken)).toMatchObject({ error: "otherGtin", errorGtin: OTHER, codes: line.codes });
    // the same package with a different crypto tail is still the same package
    expect(addScan(line, `01${GTIN}21ABCDEFGHIJKLM${GS}91FF11${GS}92${"B".repeat(44)}`, taken).error).toBe("duplicate");
    expect(addScan(line, "7801234 15", taken).error).toBe("notCode");
    expect(addScan(line, code("NNNNNNNNNNNNN"), taken).codes).toHaveLength(2);
  });

  it("knows a package by GTIN and serial even without separators", () => {
    expect(identityOfCode(`01${GTIN}21ABCDEFGHIJKLM91EE1092${"A".repeat(44)}`)).toBe(`${GTIN}ABCDEFGHIJKLM`);
  });
});

describe("the receipt body", () => {
  const draft = (): ReceiptDraft => ({
    supplier: "ООО «Фармкомплект»",
    invoice_number: "Н-1",
    invoice_date: "2026-11-24",
    pharmacy_id: "",
    lines: [{ ...emptyLine(1), gtin: GTIN, series: "AB1", expiry_date: "2027-12-31", unit_price: "152,40", codes: [code("A1"), code("A2")] }],
  });

  it("takes the number of codes as the quantity and a decimal comma as a point", () => {
    const result = receiptBody(draft());
    expect("body" in result && result.body.lines[0]).toMatchObject({ quantity: 2, unit_price: "152.40", gtin: GTIN });
    expect("body" in result && "pharmacy_id" in result.body).toBe(false);
  });

  it("names what is missing and a count that does not match the codes", () => {
    const d = draft();
    d.supplier = " ";
    d.lines[0]!.quantity = "3";
    d.lines.push({ ...emptyLine(2), gtin: GTIN });
    const result = receiptBody(d);
    expect("problems" in result && result.problems).toEqual([
      { kind: "required", line: null, fields: ["supplier"] },
      { kind: "count", line: 1, codes: 2, quantity: 3 },
      { kind: "required", line: 2, fields: ["series", "expiry_date", "unit_price", "quantity"] },
    ]);
  });
});

describe("the balance by day", () => {
  it("keeps each day's last balance in time order", () => {
    const series = balanceByDay([
      { booked_at: "2026-11-02T10:00:00", balance: 7 },
      { booked_at: "2026-11-01T09:00:00", balance: 10 },
      { booked_at: "2026-11-01T15:00:00", balance: 8 },
    ]);
    expect(series).toEqual({ labels: ["01.11.2026", "02.11.2026"], values: [8, 7] });
  });
});
