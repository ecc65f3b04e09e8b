import { describe, expect, it } from "vitest";
import { ApiProblem } from "../../api/problem";
import { isForbidden, onlyFieldErrors, queryErrorsAsBody } from "./problems";

const problem = (status: number, fields: string[]) =>
  new ApiProblem({ status, title: "Ошибка", requestId: "r-1", fieldErrors: fields.map((field) => ({ field, message: `про ${field}` })) });

describe("search problems", () => {
  it("moves query errors to body names for the form's fields, keeping the rest", () => {
    const moved = queryErrorsAsBody(problem(422, ["query.surname", "body.x", "query"])) as ApiProblem;
    expect(moved.errorsFor("body.surname")).toEqual(["про query.surname"]);
    expect(moved.fieldErrors.map((e) => e.field)).toEqual(["body.surname", "body.x", "query"]);
    expect(moved.requestId).toBe("r-1");
    expect(queryErrorsAsBody("x")).toBe("x");
  });

  it("knows when the fields already say it all", () => {
    expect(onlyFieldErrors(problem(422, ["query.snils"]), "query.")).toBe(true);
    expect(onlyFieldErrors(problem(422, ["query.snils", "body"]), "query.")).toBe(false);
    expect(onlyFieldErrors(problem(409, ["query.snils"]), "query.")).toBe(false);
    expect(isForbidden(problem(403, []))).toBe(true);
  });
});
