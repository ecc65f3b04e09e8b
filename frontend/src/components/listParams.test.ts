import { describe, expect, it } from "vitest";
import { readListParams } from "./listParams";
import { nextSort } from "./sort";

describe("readListParams", () => {
  it("uses the defaults", () => {
    expect(readListParams(new URLSearchParams(""), { sort: "name" })).toEqual({ limit: 25, offset: 0, sort: "name" });
  });
  it("reads and clamps the URL", () => {
    expect(readListParams(new URLSearchParams("limit=9999&offset=-5&sort=-code"))).toEqual({ limit: 500, offset: 0, sort: "-code" });
    expect(readListParams(new URLSearchParams("limit=abc&offset=50"))).toEqual({ limit: 25, offset: 50, sort: null });
  });
});

describe("nextSort", () => {
  it("toggles one field between ascending and descending", () => {
    expect(nextSort(null, "name")).toBe("name");
    expect(nextSort("name", "name")).toBe("-name");
    expect(nextSort("-name", "name")).toBe("name");
    expect(nextSort("-name", "code")).toBe("code");
  });
});
