import { describe, expect, it } from "vitest";
import { classifyFacts, groupFacts, inForce, span, timeAxis, type FactRead } from "./history";

const T1 = "2024-01-10T09:00:00Z";
const T2 = "2024-03-05T12:30:00Z";
const T3 = "2024-06-01T08:00:00Z";

function fact(id: number, over: Partial<FactRead>): FactRead {
  return {
    fact_id: id,
    kind: "name",
    slot: "",
    valid_from: "1990-03-15",
    valid_to: null,
    recorded_from: T1,
    recorded_to: null,
    data: {},
    reason: null,
    recorded_by: "operator",
    ...over,
  };
}

describe("classifyFacts", () => {
  it("marks a corrected record and its correction, recorded at the instant the old one closed", () => {
    const old = fact(1, { kind: "address", slot: "registration", data: { text: "кв. 1" }, recorded_to: T2 });
    const fixed = fact(2, { kind: "address", slot: "registration", data: { text: "кв. 2" }, recorded_from: T2 });
    const states = classifyFacts([old, fixed]);
    expect(states.get(1)).toEqual({ status: "corrected", corrects: null, correctedBy: 2 });
    expect(states.get(2)).toEqual({ status: "current", corrects: 1, correctedBy: null });
  });

  it("tells a succession (the old record re-recorded shorter, a new one after it) from a correction", () => {
    const maiden = { surname: "Петрова", first_name: "Анна" };
    const open = fact(1, { data: maiden, recorded_to: T2 });
    const copy = fact(2, { data: { first_name: "Анна", surname: "Петрова" }, valid_to: "2015-06-19", recorded_from: T2 });
    const married = fact(3, { data: { surname: "Сидорова", first_name: "Анна" }, valid_from: "2015-06-20", recorded_from: T2 });
    const states = classifyFacts([open, copy, married]);
    expect(states.get(1)?.status).toBe("rerecorded");
    expect(states.get(2)).toEqual({ status: "current", corrects: null, correctedBy: null });
    expect(states.get(3)).toEqual({ status: "current", corrects: null, correctedBy: null });
  });

  it("calls a record closed with nothing in its place retracted; other kinds and slots do not count", () => {
    const death = fact(1, { kind: "death", data: { death_date: "2024-01-01" }, recorded_to: T3 });
    const phone = fact(2, { kind: "contact", slot: "phone", recorded_from: T3 });
    const states = classifyFacts([death, phone]);
    expect(states.get(1)?.status).toBe("retracted");
    expect(states.get(2)?.corrects).toBeNull();
  });

  it("follows a chain of corrections", () => {
    const a = fact(1, { data: { v: 1 }, recorded_to: T2 });
    const b = fact(2, { data: { v: 2 }, recorded_from: T2, recorded_to: T3 });
    const c = fact(3, { data: { v: 3 }, recorded_from: T3 });
    const states = classifyFacts([a, b, c]);
    expect([1, 2, 3].map((id) => states.get(id)?.status)).toEqual(["corrected", "corrected", "current"]);
    expect(states.get(2)).toMatchObject({ corrects: 1, correctedBy: 3 });
    expect(states.get(3)).toMatchObject({ corrects: 2 });
  });
});

describe("groupFacts", () => {
  it("orders kinds as the card does, slots apart, records by start then by recording", () => {
    const groups = groupFacts([
      fact(1, { kind: "document", slot: "14" }),
      fact(2, { kind: "address", slot: "residence" }),
      fact(3, { kind: "name", valid_from: "2015-06-20" }),
      fact(4, { kind: "address", slot: "registration" }),
      fact(5, { kind: "name", valid_from: "1990-03-15", recorded_from: T2 }),
      fact(6, { kind: "name", valid_from: "1990-03-15", recorded_from: T1 }),
    ]);
    expect(groups.map((g) => `${g.kind}/${g.slot}`)).toEqual(["name/", "document/14", "address/registration", "address/residence"]);
    expect(groups[0]!.facts.map((f) => f.fact_id)).toEqual([6, 5, 3]);
  });
});

describe("inForce", () => {
  const f = fact(1, { valid_from: "2020-01-01", valid_to: "2020-12-31", recorded_from: T2, recorded_to: T3 });
  it("needs the date inside the validity (both ends included) and the moment inside the recording", () => {
    expect(inForce(f, "2020-01-01", T2)).toBe(true);
    expect(inForce(f, "2020-12-31", "2024-05-31T23:59:59Z")).toBe(true);
    expect(inForce(f, "2021-01-01", T2)).toBe(false);
    expect(inForce(f, "2020-06-01", T1)).toBe(false); // not yet known
    expect(inForce(f, "2020-06-01", T3)).toBe(false); // replaced by then
  });
});

describe("timeAxis and span", () => {
  it("places periods on an axis from the first start to today", () => {
    const facts = [fact(1, { valid_from: "2000-01-01", valid_to: "2009-12-31" }), fact(2, { valid_from: "2010-01-01" })];
    const axis = timeAxis(facts, "2019-12-31");
    expect(axis).toEqual({ start: "2000-01-01", end: "2019-12-31" });
    const first = span(facts[0]!, axis);
    const second = span(facts[1]!, axis);
    expect(first.left).toBe(0);
    expect(first.width).toBeCloseTo(50, 0);
    expect(second.left).toBeCloseTo(50, 0);
    expect(second.left + second.width).toBeCloseTo(100, 0);
  });

  it("gives a one-day fact a visible sliver", () => {
    const axis = { start: "1950-01-01", end: "2025-01-01" };
    expect(span(fact(1, { valid_from: "2024-01-01", valid_to: "2024-01-01" }), axis).width).toBe(0.5);
  });
});
