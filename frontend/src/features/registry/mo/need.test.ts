import { describe, expect, it } from "vitest";
import { mosByNeed, needChartData, needExportUrl, needTotals } from "./need";

const line = (type_code: string, type_name: string | null, required: number, available: number) => ({
  type_code,
  type_name,
  required,
  available,
  need: Math.max(0, required - available),
});

describe("the equipment need report", () => {
  const lines = [line("FUNC.ECG", "Электрокардиограф", 7, 10), line("ICU.DEFIB", "Дефибриллятор", 3, 2), line("RAD.CT", null, 2, 0), line("LAB.PCR", "Амплификатор", 2, 1)];

  it("charts only the kinds with a need, largest first, ties by name, at most `limit`", () => {
    expect(needChartData(lines)).toEqual([
      { label: "RAD.CT", value: 2 },
      { label: "Амплификатор", value: 1 },
      { label: "Дефибриллятор", value: 1 },
    ]);
    expect(needChartData(lines, 1)).toHaveLength(1);
  });

  it("totals the lines (a surplus of one kind does not cover another's need)", () => {
    expect(needTotals(lines)).toEqual({ required: 14, available: 13, need: 4 });
  });

  it("orders MOs by need, then by name", () => {
    const mo = (mo_name: string, need: number) => ({ mo_id: mo_name, mo_name, mo_code: null, lines: [], required: 0, available: 0, need });
    expect(mosByNeed([mo("Б", 1), mo("В", 3), mo("А", 1)]).map((m) => m.mo_name)).toEqual(["В", "А", "Б"]);
  });

  it("exports the same scope as the page", () => {
    expect(needExportUrl("csv", null)).toBe("/api/registry/mo-register/equipment-need/export?format=csv");
    expect(needExportUrl("xlsx", "mo-1")).toBe("/api/registry/mo-register/equipment-need/export?format=xlsx&mo_id=mo-1");
  });
});
