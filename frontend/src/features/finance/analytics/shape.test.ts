import { describe, expect, it } from "vitest";
import { byGroup, byKvfo, drugSeries, growth, monthLabel, monthRange, num, payableSeries, percent, perUnit, planActual, shareSeries, type Comparable } from "./shape";

const structure = [
  { flow: "expense", kvfo: 7, group: "Оплата труда и начисления", planned: "1950.00", actual: "1953.00" },
  { flow: "expense", kvfo: 7, group: "Материальные запасы", planned: "360", actual: "300" },
  { flow: "expense", kvfo: 4, group: "Оплата труда и начисления", planned: "300", actual: "300" },
  { flow: "income", kvfo: 7, group: "Доходы от оказания услуг", planned: "3300", actual: "3000" },
];

describe("analytics shaping", () => {
  it("reads decimal strings and months", () => {
    expect(num("1234.50")).toBe(1234.5);
    expect(num(null)).toBe(0);
    expect(num("abc")).toBe(0);
    expect(monthLabel("2026-03")).toBe("мар 2026");
    expect(monthRange("2025-11", "2026-02")).toEqual(["2025-11", "2025-12", "2026-01", "2026-02"]);
  });

  it("sums the structure by КВФО and by КОСГУ group", () => {
    expect(byKvfo(structure, "expense", (k) => `КВФО ${k}`)).toEqual([
      { label: "КВФО 7", value: 2253 },
      { label: "КВФО 4", value: 300 },
    ]);
    expect(byGroup(structure, "expense")).toEqual([
      { label: "Оплата труда и начисления", value: 2253 },
      { label: "Материальные запасы", value: 300 },
    ]);
  });

  it("fills months without figures with zeros", () => {
    const lines = [{ month: "2026-02", flow: "expense", planned: "10", actual: "12", cmi_actual: "8" }];
    const series = planActual(lines, "expense", ["2026-01", "2026-02"], { plan: "План", fact: "Факт", cmi: "ОМС" });
    expect(series.map((s) => s.values)).toEqual([[0, 10], [0, 12], [0, 8]]);
  });

  it("turns shares into per cent and payables and drugs into lines", () => {
    const months = [
      { month: "2026-01", cmi_expense: "800", wages: "651", medicines: "100", wages_share: 0.81375, medicines_share: 0.125, payables: "10", payables_growth: null },
      { month: "2026-02", cmi_expense: "0", wages: "0", medicines: "0", wages_share: null, medicines_share: null, payables: "20", payables_growth: 1 },
    ];
    expect(shareSeries(months, { wages: "ФОТ", medicines: "Медикаменты" }).map((s) => s.values)).toEqual([[81.4, 0], [12.5, 0]]);
    const payables = [
      { month: "2026-01", kvfo: 7, group: "Работы, услуги", amount: "10" },
      { month: "2026-01", kvfo: 7, group: "Материальные запасы", amount: "5" },
      { month: "2026-02", kvfo: 4, group: "Работы, услуги", amount: "3" },
    ];
    expect(payableSeries(payables, ["2026-01", "2026-02"], (k) => `КВФО ${k}`)).toEqual([
      { label: "КВФО 7", values: [15, 0] },
      { label: "КВФО 4", values: [0, 3] },
    ]);
    const drugs = [{ month: "2026-02", funding_source: "federal", amount: "700.00", prescriptions: 3 }];
    expect(drugSeries(drugs, ["2026-01", "2026-02"], (s) => s).map((s) => [s.label, s.values])).toEqual([
      ["federal", [0, 700]],
      ["regional", [0, 0]],
    ]);
  });

  it("compares MOs per bed and per attached person, only those with the denominator", () => {
    const mo = (code: string, bed: string | null, attached: string | null): Comparable => ({
      mo_id: code, code, name: `МО ${code}`, legal_form: "budget", beds: bed ? 1 : null, attached_persons: 1,
      expense: "0", expense_per_bed: bed, expense_per_attached: attached, wages_share: null, medicines_share: null, payables_end: "0",
    });
    const items = [mo("1", "27.00", "0.27"), mo("2", null, "1.35"), mo("3", "40.00", null)];
    expect(perUnit(items, "bed")).toEqual([
      { label: "3 МО 3", value: 40 },
      { label: "1 МО 1", value: 27 },
    ]);
    expect(perUnit(items, "attached", 1)).toEqual([{ label: "2 МО 2", value: 1.35 }]);
  });

  it("writes shares and growth the Russian way", () => {
    expect(percent(0.81375)).toBe("81,4\u00a0%");
    expect(percent(null)).toBe("—");
    expect(growth("10", "40")).toBe("+300,0\u00a0%");
    expect(growth("40", "10")).toBe("−75,0\u00a0%");
    expect(growth("0", "10")).toBe("—");
  });
});
