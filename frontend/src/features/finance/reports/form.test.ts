import { describe, expect, it } from "vitest";
import { checkRules, describe as describeRule, fromServer, kindsOf, kopecksOf, parseTyped, recompute, toDecimal } from "./form";
import { REPORT, TEMPLATE } from "./testing";

describe("report form in the browser", () => {
  const kinds = kindsOf(REPORT.cells);
  const base = kopecksOf(REPORT.cells);

  it("works the formulas out again from a typed manual cell", () => {
    const values = recompute(TEMPLATE, kinds, { ...base, "01:4": 10_000 });
    expect(values["30:4"]).toBe(10_000 + 90_000 - 95_000);
    expect(values["02:5"]).toBe(10_000);
    // a data cell stays what the server said
    expect(values["10:4"]).toBe(95_000);
  });

  it("checks the form's own ratios and leaves the inter-form ones to the server", () => {
    const broken = checkRules(TEMPLATE, recompute(TEMPLATE, kinds, base));
    expect(broken.map((v) => [v.code, v.severity, v.rule, v.left, v.right])).toEqual([
      ["К08", "error", "стр. 30 гр. 4 ≥ 0", -5_000, 0],
      ["К11", "warning", "стр. 12 гр. 4 ≤ 0.85 × стр. 10 гр. 4", 90_000, 80_750],
    ]);
    expect(broken[0]!.cells).toEqual(["30:4"]);
    const fixed = checkRules(TEMPLATE, recompute(TEMPLATE, kinds, { ...base, "01:4": 5_000 }));
    expect(fixed.map((v) => v.code)).toEqual(["К11"]);
  });

  it("takes the inter-form violations of the server with this form's cells", () => {
    const server = fromServer([
      ...REPORT.violations,
      {
        code: "М02",
        severity: "error",
        message: "Расходы не совпадают с формой 62",
        rule: "стр. 10 гр. 4 = ф. 62 стр. 02 гр. 4",
        left: "950.00",
        right: "1000.00",
        cells: [
          { form: null, row: "10", column: "4", value: "950.00" },
          { form: "62", row: "02", column: "4", value: "1000.00" },
        ],
      },
    ]);
    expect(server).toEqual([
      expect.objectContaining({ code: "М02", left: 95_000, right: 100_000, cells: ["10:4"], interForm: true }),
    ]);
    expect(fromServer(REPORT.violations, false).map((v) => v.code)).toEqual(["К08"]);
  });

  it("reads amounts as people type them and writes them for the API", () => {
    expect(parseTyped({ "01:4": "1 234,5", "10:7": "12,345", "x:1": "-1" })).toEqual({
      values: { "01:4": 123_450 },
      errors: { "10:7": "не число с не более чем двумя знаками после запятой", "x:1": "значение не может быть отрицательным" },
    });
    expect(toDecimal(123_450)).toBe("1234.50");
    expect(toDecimal(-5)).toBe("-0.05");
    expect(toDecimal(null)).toBeNull();
    expect(describeRule("[10:4] = [62!02:4]", "14F")).toBe("стр. 10 гр. 4 = ф. 62 стр. 02 гр. 4");
  });
});
