/** Field errors of query parameters (`query.surname`) shown at a search form's fields. */
import { ApiProblem } from "../../api/problem";

/**
 * The problem with `query.<name>` errors renamed `body.<name>`, so components/Form's Field
 * shows them at the inputs of a search form (it reads `body.<name>`).
 */
export function queryErrorsAsBody(error: unknown): unknown {
  if (!(error instanceof ApiProblem)) return error;
  return new ApiProblem({
    status: error.status,
    title: error.title,
    type: error.type,
    detail: error.detail,
    instance: error.instance,
    requestId: error.requestId,
    retryAfter: error.retryAfter,
    fieldErrors: error.fieldErrors.map((e) => (e.field.startsWith("query.") ? { ...e, field: `body.${e.field.slice(6)}` } : e)),
  });
}

/** True when the problem is a 403 (the section is for others). */
export function isForbidden(error: unknown): boolean {
  return error instanceof ApiProblem && error.status === 403;
}

/** A 422 whose every error is about a field under `prefix` (shown at the fields already). */
export function onlyFieldErrors(error: unknown, prefix: string): boolean {
  return (
    error instanceof ApiProblem &&
    error.status === 422 &&
    error.fieldErrors.length > 0 &&
    error.fieldErrors.every((e) => e.field.startsWith(prefix))
  );
}
