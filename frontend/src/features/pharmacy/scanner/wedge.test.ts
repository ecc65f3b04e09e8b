import { describe, expect, it } from "vitest";
import { fromShown, GS, insertSeparator, isGroupSeparatorKey, visible } from "./wedge";

describe("the keyboard wedge", () => {
  it("takes Ctrl+] (either layout) and F8 for GS, not other keys", () => {
    expect(isGroupSeparatorKey({ key: "]", code: "BracketRight", ctrlKey: true })).toBe(true);
    expect(isGroupSeparatorKey({ key: "ъ", code: "BracketRight", ctrlKey: true })).toBe(true); // Russian layout
    expect(isGroupSeparatorKey({ key: "F8", ctrlKey: false })).toBe(true);
    expect(isGroupSeparatorKey({ key: "]", code: "BracketRight", ctrlKey: false })).toBe(false);
    expect(isGroupSeparatorKey({ key: "]", code: "BracketRight", ctrlKey: true, altKey: true })).toBe(false);
    expect(isGroupSeparatorKey({ key: "Enter", ctrlKey: false })).toBe(false);
  });

  it("shows GS as a sign and reads the sign back as GS", () => {
    const raw = `0104607000012345215abc${GS}91EE10`;
    expect(visible(raw)).toBe("0104607000012345215abc␝91EE10");
    expect(fromShown(visible(raw))).toBe(raw);
  });

  it("puts GS in place of the selection, or at the end without one", () => {
    expect(insertSeparator("21ab91", 4, 4)).toBe(`21ab${GS}91`);
    expect(insertSeparator("21abXX91", 4, 6)).toBe(`21ab${GS}91`);
    expect(insertSeparator("21ab", null, null)).toBe(`21ab${GS}`);
  });
});
