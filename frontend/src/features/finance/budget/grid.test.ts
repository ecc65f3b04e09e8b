import { describe, expect, it } from "vitest";
import {
  bodyOf,
  columnTotal,
  defaultMonth,
  formatKopecks,
  isMonth,
  localErrors,
  parseAmount,
  rowTotal,
  rowsOf,
  sameValues,
  serverErrors,
  shiftMonth,
  valuesOf,
  type KosguInfo,
  type Values,
} from "./grid";
import { expenseSeries, flowTotals } from "./yearData";

describe("parseAmount", () => {
  it("reads amounts as people write them, in kopecks", () => {
    expect(parseAmount("1 234,56")).toEqual({ ok: true, kopecks: 123456 });
    expect(parseAmount("1\u00a0234\u202f567,8")).toEqual({ ok: true, kopecks: 123456780 });
    expect(parseAmount("1234.5")).toEqual({ ok: true, kopecks: 123450 });
    expect(parseAmount("-12")).toEqual({ ok: true, kopecks: -1200 });
    expect(parseAmount("0,1")).toEqual({ ok: true, kopecks: 10 });
    expect(parseAmount("  ")).toEqual({ ok: true, kopecks: null });
  });

  it("refuses what is not an amount, saying why", () => {
    const both = parseAmount("1,234.5");
    expect(!both.ok && both.message).toContain("запятая, и точка");
    const three = parseAmount("12,345");
    expect(!three.ok && three.message).toContain("двумя знаками");
    expect(parseAmount("сто")).toMatchObject({ ok: false });
    expect(parseAmount("1e5")).toMatchObject({ ok: false });
  });

  it("formats kopecks back with groups and a comma", () => {
    expect(formatKopecks(123456780)).toBe("1\u00a0234\u00a0567,80");
    expect(formatKopecks(-5)).toBe("-0,05");
    expect(formatKopecks(null)).toBe("");
  });
});

const values: Values = {
  "expense:7:211": { planned: "1 000,00", actual: "900,50" },
  "expense:4:211": { planned: "", actual: "100" },
  "expense:7:213": { planned: "302", actual: "271,95" },
  "income:7:132": { planned: "", actual: "5 000" },
  "expense:2:341": { planned: "", actual: "oops" },
};

describe("totals", () => {
  it("sums a row over КВФО and a column over КОСГУ, ignoring what does not parse", () => {
    expect(rowTotal(values, "expense", "211", "actual")).toBe(100050);
    expect(rowTotal(values, "expense", "211", "planned")).toBe(100000);
    expect(columnTotal(values, "expense", 7, "actual")).toBe(90050 + 27195);
    expect(columnTotal(values, "expense", null, "actual")).toBe(90050 + 10000 + 27195);
    expect(columnTotal(values, "income", null, "actual")).toBe(500000);
    expect(columnTotal(values, "payable", null, "actual")).toBe(0);
  });

  it("marks the cells whose text is not an amount", () => {
    const typed = localErrors(values);
    expect(Object.keys(typed)).toEqual(["expense:2:341"]);
    expect(typed["expense:2:341"]?.actual).toContain("не число");
    expect(localErrors({ "payable:7:223": { planned: "", actual: "-1" } })["payable:7:223"]?.actual).toContain("отрицательной");
  });
});

describe("saving", () => {
  it("sends the non-empty cells as typed, in a stable order", () => {
    const body = bodyOf({ ...values, "expense:5:310": { planned: " ", actual: "" } });
    expect(body.map((c) => `${c.flow}:${c.kvfo}:${c.kosgu}`)).toEqual([
      "expense:2:341",
      "expense:4:211",
      "expense:7:211",
      "expense:7:213",
      "income:7:132",
    ]);
    expect(body[1]).toEqual({ flow: "expense", kvfo: 4, kosgu: "211", planned: null, actual: "100" });
  });

  it("puts the server's per-cell errors back on the cells that were sent", () => {
    const sent = bodyOf(values);
    const errors = serverErrors(sent, [
      { field: "body.2.actual", message: "факт: слишком велика" },
      { field: "body.0.kosgu", message: "неизвестный код КОСГУ" },
      { field: "body.2.planned", message: "план: не число" },
      { field: "query.month", message: "не о ячейке" },
      { field: "body.99.actual", message: "нет такой" },
    ]);
    expect(errors).toEqual({
      "expense:7:211": { actual: "факт: слишком велика", planned: "план: не число" },
      "expense:2:341": { cell: "неизвестный код КОСГУ" },
    });
  });

  it("tells an unchanged grid from a changed one, whatever the spelling", () => {
    const server = valuesOf([
      { flow: "expense", kvfo: 7, kosgu: "211", planned: null, actual: "1234.50", entered: true, payments: "0", difference: "0" },
      { flow: "expense", kvfo: 7, kosgu: "341", planned: null, actual: "0.00", entered: false, payments: "5", difference: "-5" },
    ]);
    expect(server).toEqual({ "expense:7:211": { planned: "", actual: "1\u00a0234,50" } });
    expect(sameValues(server, { "expense:7:211": { planned: "", actual: "1234,5" } })).toBe(true);
    expect(sameValues(server, { "expense:7:211": { planned: "0", actual: "1234,5" } })).toBe(false);
    expect(sameValues(server, { ...server, "expense:7:213": { planned: "", actual: "" } })).toBe(true);
  });
});

describe("rows and months", () => {
  const kosgu: KosguInfo[] = [
    { code: "132", name: "ОМС", flow: "income", group: "", cmi_allowed: "yes" },
    { code: "211", name: "Зарплата", flow: "expense", group: "", cmi_allowed: "yes" },
    { code: "293", name: "Штрафы", flow: "expense", group: "", cmi_allowed: "no" },
  ];
  it("shows the rows with values, or every code of the section", () => {
    expect(rowsOf(kosgu, values, "expense", false).map((k) => k.code)).toEqual(["211"]);
    expect(rowsOf(kosgu, values, "payable", true).map((k) => k.code)).toEqual(["211", "293"]);
    expect(rowsOf(kosgu, values, "income", true).map((k) => k.code)).toEqual(["132"]);
  });

  it("moves between months", () => {
    expect(shiftMonth("2026-01", -1)).toBe("2025-12");
    expect(shiftMonth("2026-12", 1)).toBe("2027-01");
    expect(defaultMonth(new Date(2026, 0, 15))).toBe("2025-12");
    expect(isMonth("2026-13")).toBe(false);
    expect(isMonth("2026-03")).toBe(true);
  });
});

describe("year figures", () => {
  const rows = [
    { flow: "expense" as const, kvfo: 7, kosgu: "211", planned: [], actual: ["100.50", null, ...Array<null>(10).fill(null)] },
    { flow: "expense" as const, kvfo: 7, kosgu: "213", planned: [], actual: ["30.35", "1.00", ...Array<null>(10).fill(null)] },
    { flow: "expense" as const, kvfo: 2, kosgu: "226", planned: [], actual: [null, "5", ...Array<null>(10).fill(null)] },
    { flow: "income" as const, kvfo: 7, kosgu: "132", planned: [], actual: ["1000", ...Array<null>(11).fill(null)] },
  ];
  it("sums the expenses per КВФО and month, leaving out КВФО without any", () => {
    const series = expenseSeries(rows);
    expect(series.map((s) => s.label)).toEqual(["КВФО 7", "КВФО 2"]);
    expect(series[0]!.values.slice(0, 2)).toEqual([130.85, 1]);
    expect(series[1]!.values.slice(0, 2)).toEqual([0, 5]);
  });
  it("totals a flow per month, null where there is nothing", () => {
    expect(flowTotals(rows, "income").slice(0, 2)).toEqual([1000, null]);
    expect(flowTotals(rows, "expense").slice(0, 3)).toEqual([130.85, 6, null]);
  });
});
