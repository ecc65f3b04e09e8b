import { describe, expect, it } from "vitest";
import {
  diagnosisFits,
  drugMatches,
  drugsOf,
  exportUrl,
  filtersFrom,
  isOpen,
  listQuery,
  personQuery,
  reservable,
  today,
  validUntil,
} from "./shape";

const ID = "0b9f2c1e-4a8d-4c3e-9f1a-2b3c4d5e6f70";

describe("prescription list filters", () => {
  it("reads the URL, dropping what the API would refuse", () => {
    const f = filtersFrom(
      new URLSearchParams(`status=expired&series=9990001&number=007&issued_from=2026-11-01&issued_to=2026-1-1&person_id=${ID}&mo_id=x&funding_source=city`),
    );
    expect(f.status).toBe("expired");
    expect(f.series).toBe("9990001");
    expect(f.number).toBe("7");
    expect(f.issued_from).toBe("2026-11-01");
    expect(f.issued_to).toBe("");
    expect(f.person_id).toBe(ID);
    expect(f.mo_id).toBe("");
    expect(f.funding_source).toBe("");
    expect(filtersFrom(new URLSearchParams("status=lost&series=12&number=0"))).toMatchObject({ status: "", series: "", number: "" });
  });

  it("sends only the filters set, the number as a number, with paging and sorting", () => {
    const f = filtersFrom(new URLSearchParams("series=9990001&number=12&inn=метф"));
    expect(listQuery(f, { limit: 25, offset: 50, sort: "-issued_on" })).toEqual({
      limit: 25,
      offset: 50,
      sort: "-issued_on",
      series: "9990001",
      number: 12,
      inn: "метф",
    });
    expect(listQuery(filtersFrom(new URLSearchParams()), { limit: 10, offset: 0, sort: null })).toEqual({ limit: 10, offset: 0 });
  });

  it("exports with the same filters and order", () => {
    const f = filtersFrom(new URLSearchParams("status=issued&inn=инсулин"));
    expect(exportUrl(f, "number")).toBe(
      "/api/pharmacy/prescriptions/export.xlsx?status=issued&inn=%D0%B8%D0%BD%D1%81%D1%83%D0%BB%D0%B8%D0%BD&sort=number",
    );
    expect(exportUrl(filtersFrom(new URLSearchParams()), null)).toBe("/api/pharmacy/prescriptions/export.xlsx");
  });
});

describe("the doctor's form", () => {
  it("counts the term from the day after issue, across months and leap years", () => {
    expect(validUntil("2026-03-01", 30)).toBe("2026-03-31");
    expect(validUntil("2026-12-15", 30)).toBe("2027-01-14");
    expect(validUntil("2028-02-01", 90)).toBe("2028-05-01");
    expect(validUntil("2026-11-24", 15)).toBe("2026-12-09");
  });

  it("gives today in the local time zone", () => {
    expect(today(new Date(2026, 10, 24, 23, 30))).toBe("2026-11-24");
  });

  it("offers a reservation only where the funding source holds the whole quantity", () => {
    const stock = [
      { pharmacy_id: "a", pharmacy_name: "Аптека А", free: 10, free_federal: 1, free_regional: 9 },
      { pharmacy_id: "b", pharmacy_name: "Аптека Б", free: 4, free_federal: 4, free_regional: 0 },
      { pharmacy_id: "c", pharmacy_name: "Аптека В", free: 6, free_federal: 6, free_regional: 0 },
    ];
    expect(reservable(stock, 2, "federal").map((s) => s.pharmacy_id)).toEqual(["c", "b"]);
    expect(reservable(stock, 5, "federal").map((s) => s.pharmacy_id)).toEqual(["c"]);
    expect(reservable(stock, 2, "regional").map((s) => s.pharmacy_id)).toEqual(["a"]);
    expect(reservable(stock, 0, "federal")).toEqual([]);
    expect(reservable(stock, 1.5, "federal")).toEqual([]);
  });

  it("filters drugs by words of the МНН, trade name, form or dosage and by category", () => {
    const drugs = [
      { inn: "Метформин", trade_name: "Глюкофаж", dosage_form: "таблетки", dosage: "500 мг", categories: ["082", "r-diabetes"] },
      { inn: "Инсулин аспарт", trade_name: "НовоРапид", dosage_form: "раствор", dosage: "100 ЕД/мл", categories: ["r-diabetes"] },
      { inn: "Левомицетин", trade_name: "Лёвомицетин", dosage_form: "капли", dosage: "0,25 %", categories: ["082"] },
    ];
    expect(drugs.filter((d) => drugMatches(d, "глюко 500")).map((d) => d.inn)).toEqual(["Метформин"]);
    expect(drugs.filter((d) => drugMatches(d, "ЛЁВО")).map((d) => d.inn)).toEqual(["Левомицетин"]);
    expect(drugs.filter((d) => drugMatches(d, "  ")).length).toBe(3);
    expect(drugsOf(drugs, "r-diabetes").map((d) => d.inn)).toEqual(["Метформин", "Инсулин аспарт"]);
    expect(drugsOf(drugs, "").length).toBe(3);
  });

  it("checks the diagnosis against a disease category's codes", () => {
    expect(diagnosisFits("e11.9", ["E10", "E11"])).toBe(true);
    expect(diagnosisFits("J45.0", ["E10", "E11"])).toBe(false);
    expect(diagnosisFits("I10", [])).toBe(true);
  });

  it("reads the patient search as an id or a name", () => {
    expect(personQuery(` ${ID} `)).toEqual({ person_id: ID });
    expect(personQuery("Ор")).toEqual({ q: "Ор" });
    expect(personQuery("О")).toBeNull();
  });

  it("knows which prescriptions are still open", () => {
    expect(["issued", "deferred", "expired"].every(isOpen)).toBe(true);
    expect(isOpen("dispensed") || isOpen("cancelled")).toBe(false);
  });
});
