/** RFC 7807 problems (docs/api.md, "Errors") as a typed error the UI can branch on. */
import type { components } from "./generated/gateway";

type ProblemBody = components["schemas"]["Problem"];

export interface FieldError {
  /** Where the error is, e.g. `body.login` or `query.limit`. */
  field: string;
  message: string;
  type?: string;
}

export class ApiProblem extends Error {
  override readonly name = "ApiProblem";
  readonly type: string;
  readonly title: string;
  readonly status: number;
  readonly detail: string | null;
  readonly instance: string | null;
  readonly requestId: string | null;
  readonly fieldErrors: FieldError[];
  /** Seconds to wait before trying again (`Retry-After` of a 429), when given. */
  readonly retryAfter: number | null;

  constructor(init: {
    status: number;
    title: string;
    type?: string;
    detail?: string | null;
    instance?: string | null;
    requestId?: string | null;
    fieldErrors?: FieldError[];
    retryAfter?: number | null;
  }) {
    super(init.detail ? `${init.title}: ${init.detail}` : init.title);
    this.status = init.status;
    this.title = init.title;
    this.type = init.type ?? "about:blank";
    this.detail = init.detail ?? null;
    this.instance = init.instance ?? null;
    this.requestId = init.requestId ?? null;
    this.fieldErrors = init.fieldErrors ?? [];
    this.retryAfter = init.retryAfter ?? null;
  }

  /** The messages of one field (`body.login`), for a form. */
  errorsFor(field: string): string[] {
    return this.fieldErrors.filter((e) => e.field === field).map((e) => e.message);
  }

  get isUnauthorized(): boolean {
    return this.status === 401;
  }
}

const FALLBACK_TITLES: Record<number, string> = {
  400: "Некорректный запрос",
  401: "Требуется вход",
  403: "Недостаточно прав",
  404: "Не найдено",
  409: "Конфликт",
  422: "Некорректные данные запроса",
  429: "Слишком много запросов",
  500: "Внутренняя ошибка",
  502: "Сервис недоступен",
  503: "Сервис недоступен",
  504: "Сервис не ответил вовремя",
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function str(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

function fieldErrorsOf(value: unknown): FieldError[] {
  if (!Array.isArray(value)) return [];
  return value.filter(isRecord).map((e) => {
    const fe: FieldError = { field: str(e.field) ?? "", message: str(e.message) ?? "" };
    const type = str(e.type);
    if (type) fe.type = type;
    return fe;
  });
}

/**
 * Builds an ApiProblem from an error answer: its status and its parsed body (a problem
 * object, some other JSON, a text, or nothing — a proxy's HTML page, a network error).
 */
export function toApiProblem(status: number, body: unknown, headers?: Headers | null): ApiProblem {
  const requestId = headers?.get("x-request-id") ?? null;
  const retry = Number.parseInt(headers?.get("retry-after") ?? "", 10);
  const retryAfter = Number.isFinite(retry) && retry >= 0 ? retry : null;
  const fallbackTitle = FALLBACK_TITLES[status] ?? `Ошибка ${status}`;
  if (isRecord(body) && typeof body.title === "string") {
    const p = body as Partial<ProblemBody> & Record<string, unknown>;
    return new ApiProblem({
      status: typeof p.status === "number" ? p.status : status,
      title: p.title ?? fallbackTitle,
      type: str(p.type) ?? "about:blank",
      detail: str(p.detail),
      instance: str(p.instance),
      requestId: str(p.request_id) ?? requestId,
      fieldErrors: fieldErrorsOf(p.errors),
      retryAfter,
    });
  }
  return new ApiProblem({
    status,
    title: fallbackTitle,
    detail: typeof body === "string" && body.length > 0 && body.length < 300 && !body.startsWith("<") ? body : null,
    requestId,
    retryAfter,
  });
}

/** A network failure (no answer at all) as a problem with status 0. */
export function networkProblem(cause: unknown): ApiProblem {
  const p = new ApiProblem({
    status: 0,
    title: "Нет связи с сервером",
    type: "urn:oms:problem:network",
    detail: cause instanceof Error ? cause.message : null,
  });
  return p;
}
