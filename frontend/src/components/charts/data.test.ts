import { describe, expect, it } from "vitest";
import { countBy, extent, heatLevel, shares, summarize } from "./data";

describe("countBy", () => {
  it("counts, largest first, ties by label", () => {
    const items = [{ k: "mo" }, { k: "tfoms" }, { k: "mo" }, { k: "apteka" }];
    expect(countBy(items, (i) => i.k)).toEqual([
      { label: "mo", value: 2 },
      { label: "apteka", value: 1 },
      { label: "tfoms", value: 1 },
    ]);
  });
  it("counts an item under each of its keys and labels them", () => {
    const users = [{ roles: ["admin", "doctor"] }, { roles: ["doctor"] }, { roles: [] }];
    expect(countBy(users, (u) => u.roles, (r) => r.toUpperCase())).toEqual([
      { label: "DOCTOR", value: 2 },
      { label: "ADMIN", value: 1 },
    ]);
  });
  it("is empty for no items", () => {
    expect(countBy([], () => "x")).toEqual([]);
  });
});

describe("summarize", () => {
  it("formats numbers the Russian way", () => {
    expect(summarize("Пользователи", [{ label: "Врач", value: 12345 }, { label: "Админ", value: 1 }])).toBe(
      "Пользователи: Врач — 12\u00a0345, Админ — 1",
    );
  });
  it("is the title alone without data", () => {
    expect(summarize("T", [])).toBe("T");
  });
});

describe("shares", () => {
  it("gives per cent with one decimal", () => {
    expect(shares([{ label: "a", value: 1 }, { label: "b", value: 2 }])).toEqual([33.3, 66.7]);
  });
  it("gives zeros for a zero total", () => {
    expect(shares([{ label: "a", value: 0 }])).toEqual([0]);
  });
});

describe("heat map scale", () => {
  it("finds the extent ignoring nulls", () => {
    expect(extent([[1, null], [5, 3]])).toEqual([1, 5]);
    expect(extent([[null]])).toEqual([0, 0]);
  });
  it("places values between 0 and 1", () => {
    expect(heatLevel(3, 1, 5)).toBe(0.5);
    expect(heatLevel(9, 1, 5)).toBe(1);
    expect(heatLevel(null, 1, 5)).toBeNull();
    expect(heatLevel(2, 2, 2)).toBe(0.5);
  });
});
