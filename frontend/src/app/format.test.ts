import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, formatMoney, formatNumber, NBSP } from "./format";

const s = (text: string) => text.replaceAll(" ", NBSP);

describe("formatDate", () => {
  it("formats a calendar date as dd.MM.yyyy without a time-zone shift", () => {
    expect(formatDate("2026-01-05")).toBe("05.01.2026");
    expect(formatDate("2026-12-31")).toBe("31.12.2026");
  });
  it("formats a Date and a date-time in local time", () => {
    expect(formatDate(new Date(2026, 10, 23, 23, 59))).toBe("23.11.2026");
    const local = new Date(2026, 2, 7, 9, 5);
    expect(formatDate(local.toISOString())).toBe("07.03.2026");
    expect(formatDateTime(local.toISOString())).toBe("07.03.2026 09:05");
  });
  it("shows a dash for nothing or garbage", () => {
    expect(formatDate(null)).toBe("—");
    expect(formatDate(undefined)).toBe("—");
    expect(formatDate("")).toBe("—");
    expect(formatDate("not a date")).toBe("—");
    expect(formatDateTime(null)).toBe("—");
  });
});

describe("formatMoney", () => {
  it("groups thousands and uses a decimal comma and ₽", () => {
    expect(formatMoney(1234.56)).toBe(s("1 234,56 ₽"));
    expect(formatMoney(0)).toBe(s("0,00 ₽"));
    expect(formatMoney(5)).toBe(s("5,00 ₽"));
    expect(formatMoney(1234567890.1)).toBe(s("1 234 567 890,10 ₽"));
    expect(formatMoney(999.999)).toBe(s("1 000,00 ₽"));
  });
  it("formats negative amounts", () => {
    expect(formatMoney(-1234.5)).toBe(s("-1 234,50 ₽"));
    expect(formatMoney("-0.001")).toBe(s("0,00 ₽"));
  });
  it("takes decimal strings as the API sends them, without float errors", () => {
    expect(formatMoney("1234.56")).toBe(s("1 234,56 ₽"));
    expect(formatMoney("98765432109876543.215")).toBe(s("98 765 432 109 876 543,22 ₽"));
    expect(formatMoney("1.005")).toBe(s("1,01 ₽"));
    expect(formatMoney("1000")).toBe(s("1 000,00 ₽"));
    expect(formatMoney("0999,5")).toBe(s("999,50 ₽"));
  });
  it("shows a dash for nothing or garbage", () => {
    expect(formatMoney(null)).toBe("—");
    expect(formatMoney("abc")).toBe("—");
    expect(formatMoney(Number.NaN)).toBe("—");
  });
  it("uses no-break spaces", () => {
    expect(formatMoney(1234.56)).not.toContain(" ");
  });
});

describe("formatNumber", () => {
  it("groups thousands", () => {
    expect(formatNumber(12345)).toBe(s("12 345"));
    expect(formatNumber(999)).toBe("999");
    expect(formatNumber(1234.54, 1)).toBe(s("1 234,5"));
    expect(formatNumber("-1000000")).toBe(s("-1 000 000"));
  });
});
