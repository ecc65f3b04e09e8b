import { describe, expect, it } from "vitest";
import type { components } from "../../../api/generated/registry";
import { compareRows, normalized } from "./compare";

type PersonRead = components["schemas"]["PersonRead"];
type PersonSummary = components["schemas"]["PersonSummary"];

const summary: PersonSummary = {
  id: "a",
  oip: 1000001,
  surname: "Семёнова",
  first_name: "Анна",
  patronymic: null,
  birth_date: "1990-03-15",
  sex: "female",
  snils: "11223344595",
  enp: null,
  death_date: null,
};

const read: PersonRead = {
  id: "b",
  oip: 1000002,
  requested_id: "b",
  merged_into: null,
  on: "2026-01-01",
  as_of: "2026-01-01T00:00:00Z",
  name: { fact_id: 1, valid_from: "1990-03-15", valid_to: null, surname: "СЕМЕНОВА", first_name: "Анна", patronymic: null },
  sex: "female",
  birth_date: "1990-03-15",
  birth_place: null,
  snils: null,
  enp: "9999000000000012",
  death_date: null,
  documents: [{ fact_id: 2, valid_from: "2010-01-01", valid_to: null, type: "14", series: "28 10", number: "123456", issue_date: "2010-01-01", issuer: null }],
  addresses: [],
  contacts: [],
  insurance: null,
  attachment: { fact_id: 3, valid_from: "2020-01-01", valid_to: null, mo_id: "mo-1", area_code: "01", method: "application", application_date: null },
  employment: null,
  mother_id: null,
  created_at: "2026-01-01T00:00:00Z",
};

describe("compareRows", () => {
  it("lines two persons up, equal after case and ё/е folding, rows with no value on either side left out", () => {
    const rows = compareRows(summary, read);
    expect(rows.map((r) => r.key)).toEqual(["oip", "surname", "first_name", "birth_date", "sex", "snils", "enp", "document", "mo"]);
    const by = Object.fromEntries(rows.map((r) => [r.key, r]));
    expect(by.surname).toMatchObject({ a: "Семёнова", b: "СЕМЕНОВА", same: true });
    expect(by.snils).toMatchObject({ a: "11223344595", b: null, same: false });
    expect(by.document).toMatchObject({ a: null, b: "14 28 10 123456", same: false });
    expect(by.mo).toMatchObject({ b: "mo-1" });
    expect(by.oip!.same).toBe(false);
  });

  it("normalizes spaces and hyphens", () => {
    expect(normalized(" Римский-Корсаков ")).toBe(normalized("римский корсаков"));
    expect(normalized("  ")).toBeNull();
  });
});
