import { describe, expect, it } from "vitest";
import { ApiProblem } from "../api/problem";
import { shouldRetry } from "./queryClient";

const problem = (status: number) => new ApiProblem({ status, title: "x" });

describe("shouldRetry", () => {
  it("retries no answer and gateway errors, at most twice", () => {
    expect(shouldRetry(0, problem(0))).toBe(true);
    expect(shouldRetry(1, problem(502))).toBe(true);
    expect(shouldRetry(2, problem(504))).toBe(false);
  });
  it("never retries client errors or programming errors", () => {
    for (const status of [400, 401, 403, 404, 409, 422, 429, 500]) expect(shouldRetry(0, problem(status))).toBe(false);
    expect(shouldRetry(0, new TypeError("x"))).toBe(false);
  });
});
