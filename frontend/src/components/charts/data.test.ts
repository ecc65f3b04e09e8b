import { describe, expect, it } from "vitest";
import { colorAt, countBy, extent, heatLevel, legendItems, shares, summarize } from "./data";

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

describe("pie legend", () => {
  const long = "Управление по страхованию неработающего населения Приозёрской области";
  it("keeps every label whole, with its value, share and slice colour", () => {
    const items = legendItems([{ label: long, value: 1234 }, { label: "Аптека", value: 1 }, { label: "МО", value: 0 }]);
    expect(items.map((i) => i.label)).toEqual([long, "Аптека", "МО"]);
    expect(items[0]).toEqual({ label: long, value: "1\u00a0234", share: "99,9\u00a0%", color: colorAt(0) });
    expect(items[2]!.share).toBe("0,0\u00a0%");
    expect(items.map((i) => i.color)).toEqual([colorAt(0), colorAt(1), colorAt(2)]);
  });
  it("uses the chart's number format", () => {
    expect(legendItems([{ label: "a", value: 2 }], (v) => `${v} ₽`)[0]!.value).toBe("2 ₽");
  });
});
