import { describe, expect, it } from "vitest";
import { filtersFrom, listQuery, metricLabel, NO_FILTERS, scoreText, totalNew, valueKind } from "./shape";

describe("deviation list shaping", () => {
  it("sends only the filters that are set", () => {
    expect(listQuery(NO_FILTERS, 50, 0)).toEqual({ limit: 50, offset: 0, status: "new" });
    expect(listQuery({ mo_id: "m1", month: "2026-09", kind: "rule", status: "" }, 25, 50)).toEqual({
      limit: 25, offset: 50, mo_id: "m1", month: "2026-09", kind: "rule",
    });
  });

  it("reads the filters from the URL, dropping what the server would refuse", () => {
    expect(filtersFrom(new URLSearchParams(""))).toEqual(NO_FILTERS);
    expect(filtersFrom(new URLSearchParams("kind=peer_group&status=&month=2026-9&mo_id=x"))).toEqual({
      mo_id: "x", month: "", kind: "peer_group", status: "",
    });
    expect(filtersFrom(new URLSearchParams("kind=other&status=closed")).kind).toBe("");
  });

  it("names the metrics and formats the score", () => {
    expect(metricLabel("cmi_not_allowed_293")).toBe("КОСГУ 293 из средств ОМС");
    expect(metricLabel("utilities_per_bed")).toBe("Коммунальные услуги на койку");
    expect(metricLabel("something_new")).toBe("something_new");
    expect(valueKind("cmi_wages_share")).toBe("share");
    expect(valueKind("cmi_341")).toBe("money");
    expect(scoreText(12.345)).toBe("12,3");
    expect(scoreText(-4.2)).toBe("−4,2");
    expect(scoreText(999)).toBe("> 999");
    expect(scoreText(null)).toBe("—");
    expect(totalNew({ rule: 3, peer_group: 1 })).toBe(4);
  });
});
