import { describe, expect, it } from "vitest";
import { filtersFrom, fullName, isoDay, listQuery, NO_FILTERS, periodState, timeline } from "./shape";
import { beneficiaryText, ru } from "./texts";

const page = { limit: 25, offset: 50, sort: "-birth_date" };

describe("beneficiary list shaping", () => {
  it("reads the filters from the URL, dropping what the server would refuse", () => {
    expect(filtersFrom(new URLSearchParams(""))).toEqual(NO_FILTERS);
    expect(filtersFrom(new URLSearchParams("q=Ив&category=082&funding_source=regional&status=refused"))).toEqual({
      q: "Ив",
      category: "082",
      funding_source: "regional",
      status: "refused",
    });
    expect(filtersFrom(new URLSearchParams("funding_source=city&status=dead"))).toEqual(NO_FILTERS);
  });

  it("turns the state into the API's own filters and sends only what is set", () => {
    expect(listQuery(NO_FILTERS, "2026-11-24", { limit: 25, offset: 0, sort: null })).toEqual({ limit: 25, offset: 0 });
    expect(listQuery({ ...NO_FILTERS, q: "  112-233 ", status: "active" }, "2026-11-24", page)).toEqual({
      limit: 25,
      offset: 50,
      sort: "-birth_date",
      q: "112-233",
      active_on: "2026-11-24",
    });
    expect(listQuery({ ...NO_FILTERS, status: "refused" }, "2026-11-24", page).refused_year).toBe(2026);
    expect(listQuery({ ...NO_FILTERS, status: "other" }, "2026-11-24", page).other_region).toBe(true);
    expect(listQuery({ ...NO_FILTERS, status: "local" }, "2026-11-24", page).other_region).toBe(false);
    expect(listQuery({ ...NO_FILTERS, category: "vzn-06", funding_source: "federal" }, "2026-11-24", page)).toMatchObject({
      category: "vzn-06",
      funding_source: "federal",
    });
  });

  it("writes names and days", () => {
    expect(fullName({ surname: "Иванов", first_name: "Иван", patronymic: null })).toBe("Иванов Иван");
    expect(fullName({ surname: null, first_name: " ", patronymic: null })).toBeNull();
    expect(isoDay(new Date(2026, 0, 5))).toBe("2026-01-05");
  });
});

describe("benefit periods and their history", () => {
  const today = "2026-11-24";

  it("tells the state of a period today", () => {
    expect(periodState({ category_code: "082", valid_from: "2027-01-01" }, today, [], true)).toBe("future");
    expect(periodState({ category_code: "082", valid_from: "2020-01-01", valid_to: "2026-11-23" }, today, [], true)).toBe("ended");
    expect(periodState({ category_code: "082", valid_from: "2020-01-01", valid_to: "2026-11-24" }, today, [], true)).toBe("active");
    // a refusal of the in-kind benefit this year suspends only the refusable (federal ONLS) categories
    expect(periodState({ category_code: "082", valid_from: "2020-01-01" }, today, [2026], true)).toBe("refused");
    expect(periodState({ category_code: "r-diabetes", valid_from: "2020-01-01" }, today, [2026], false)).toBe("active");
    expect(periodState({ category_code: "082", valid_from: "2020-01-01" }, today, [2025], true)).toBe("active");
  });

  it("puts starts, ends, refusals and the death in time order, newest first", () => {
    const events = timeline(
      {
        entitlements: [
          { category_code: "082", valid_from: "2019-03-01", valid_to: "2026-05-31", document_kind: "Справка МСЭ", document_number: "123" },
          { category_code: "r-diabetes", valid_from: "2026-05-31" },
          { category_code: "083", valid_from: "2026-06-01", valid_to: "2027-06-01" }, // its end is still ahead
        ],
        refused_years: [2024],
        death_date: null,
      },
      today,
    );
    expect(events.map((e) => [e.day, e.kind, e.category ?? e.year])).toEqual([
      ["2026-06-01", "started", "083"],
      ["2026-05-31", "ended", "082"],
      ["2026-05-31", "started", "r-diabetes"],
      ["2024-01-01", "refusal", 2024],
      ["2019-03-01", "started", "082"],
    ]);
    expect(events[4]?.document).toEqual({ kind: "Справка МСЭ", number: "123" });
    expect(events[0]?.document).toBeNull();
    const dead = timeline({ entitlements: [], refused_years: [], death_date: "2026-10-01" }, today);
    expect(dead).toEqual([{ day: "2026-10-01", kind: "death" }]);
  });
});

describe("texts", () => {
  it("has every key in English too and fills the parameters", () => {
    for (const key of Object.keys(ru) as (keyof typeof ru)[]) expect(beneficiaryText("en", key)).not.toBe("");
    expect(beneficiaryText("ru", "bn.period.closed", { from: "01.01.2020", to: "31.12.2025" })).toBe("01.01.2020 — 31.12.2025");
  });
});
