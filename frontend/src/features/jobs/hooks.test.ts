import { describe, expect, it } from "vitest";
import { jobsUrl } from "./hooks";

describe("jobsUrl", () => {
  it("asks the service for the user's own jobs instead of filtering a window in the browser", () => {
    expect(jobsUrl("registry", { limit: 25, offset: 50, status: "running", mine: true })).toBe(
      "/api/registry/jobs?limit=25&offset=50&status=running&mine=true",
    );
  });

  it("leaves out filters that are not set", () => {
    expect(jobsUrl("finance", { limit: 10, offset: 0, status: null, mine: false })).toBe("/api/finance/jobs?limit=10&offset=0");
  });
});
