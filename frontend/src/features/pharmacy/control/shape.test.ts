import { describe, expect, it } from "vitest";
import { canResend, chartData, chipTone, periodFrom, periodQuery, previousMonth, reportFiltersFrom, reportQuery } from "./shape";

describe("marking filters", () => {
  it("keeps only known statuses, operations, days and SGTINs", () => {
    const f = reportFiltersFrom(new URLSearchParams("status=rejected&operation=sale&date_from=2026-11-01&date_to=11.11.2026&sgtin=0460702839304500000000000A1"));
    expect(f).toEqual({ status: "rejected", operation: "", date_from: "2026-11-01", date_to: "", sgtin: "0460702839304500000000000A1", pharmacy_id: "" });
    expect(reportFiltersFrom(new URLSearchParams("pharmacy_id=9a9d3a4e-1111-4222-8333-444455556666")).pharmacy_id).toBe("9a9d3a4e-1111-4222-8333-444455556666");
    expect(reportFiltersFrom(new URLSearchParams("pharmacy_id=x")).pharmacy_id).toBe("");
    expect(reportQuery(f, 50, 0)).toEqual({ limit: 50, offset: 0, status: "rejected", date_from: "2026-11-01", sgtin: "0460702839304500000000000A1" });
  });

  it("offers a resend only for failed and rejected reports and colours chips", () => {
    expect(["queued", "sent", "accepted", "rejected", "failed"].map(canResend)).toEqual([false, false, false, true, true]);
    expect(chipTone("accepted")).toBe("ok");
    expect(chipTone("failed")).toBe("bad");
    expect(chipTone("sent")).toBe("wait");
  });
});

describe("control period", () => {
  it("defaults to the previous month, across a year boundary too", () => {
    expect(previousMonth(new Date(2026, 10, 24))).toEqual({ period_from: "2026-10-01", period_to: "2026-10-31" });
    expect(previousMonth(new Date(2027, 0, 5))).toEqual({ period_from: "2026-12-01", period_to: "2026-12-31" });
  });

  it("reads the URL, never ending before it starts, and writes the query", () => {
    const p = periodFrom(new URLSearchParams("period_from=2026-10-10&period_to=2026-10-01&pharmacy_id=abc"), new Date(2026, 10, 24));
    expect(p).toEqual({ period_from: "2026-10-10", period_to: "2026-10-10", pharmacy_id: "abc" });
    expect(periodQuery(p)).toBe("period_from=2026-10-10&period_to=2026-10-10&pharmacy_id=abc");
    expect(periodQuery({ ...p, pharmacy_id: "" })).toBe("period_from=2026-10-10&period_to=2026-10-10");
  });

  it("orders the chart by frequency", () => {
    expect(chartData([
      { code: "b", title: "B", count: 1 },
      { code: "a", title: "A", count: 3 },
      { code: "c", title: "C", count: 3 },
    ])).toEqual([{ label: "A", value: 3 }, { label: "C", value: 3 }, { label: "B", value: 1 }]);
  });
});
