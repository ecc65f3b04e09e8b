"""RFC 7807 problem responses: validation errors, typed domain errors, and unexpected errors
without internals."""

from __future__ import annotations

import logging
from typing import Any, ClassVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from oms_kit.logging import REQUEST_ID_HEADER, current_request_id
from oms_kit.validation_messages import russian_message

PROBLEM_JSON = "application/problem+json"
log = logging.getLogger("oms.errors")


class Problem(BaseModel):
    """The body of every error response (RFC 7807)."""

    type: str = "about:blank"
    title: str
    status: int
    detail: str | None = None
    instance: str | None = None
    request_id: str | None = None
    errors: list[dict[str, Any]] | None = None


class DomainError(Exception):
    """Base of typed errors. Subclasses fix ``status``, ``code`` and ``title``. ``field`` names the
    input at fault (``"roles"``, ``"id_document.type"``): the problem then lists it in ``errors``
    like a validation error, so a form shows the message at that field."""

    status: ClassVar[int] = 400
    code: ClassVar[str] = "bad-request"
    title: ClassVar[str] = "Некорректный запрос"

    def __init__(
        self, detail: str | None = None, *, headers: dict[str, str] | None = None, field: str | None = None
    ) -> None:
        super().__init__(detail or self.title)
        self.detail = detail or self.title
        self.headers = headers or {}
        self.field = field


class NotFound(DomainError):
    status = 404
    code = "not-found"
    title = "Не найдено"


class Unauthorized(DomainError):
    status = 401
    code = "unauthorized"
    title = "Требуется аутентификация"


class Forbidden(DomainError):
    status = 403
    code = "forbidden"
    title = "Недостаточно прав"


class Conflict(DomainError):
    status = 409
    code = "conflict"
    title = "Конфликт"


class InvalidInput(DomainError):
    status = 422
    code = "invalid-input"
    title = "Некорректные данные"


class TooManyRequests(DomainError):
    status = 429
    code = "rate-limited"
    title = "Слишком много запросов"


class UpstreamTimeout(DomainError):
    status = 504
    code = "upstream-timeout"
    title = "Сервис не ответил вовремя"


class UpstreamUnavailable(DomainError):
    status = 502
    code = "upstream-unavailable"
    title = "Сервис недоступен"


def problem_response(
    status: int,
    title: str,
    *,
    detail: str | None = None,
    type_: str = "about:blank",
    request: Request | None = None,
    errors: list[dict[str, Any]] | None = None,
    headers: dict[str, str] | None = None,
) -> JSONResponse:
    # 500s are rendered outside the request middleware, where the context var is already
    # reset; the id is also kept on the request state for them.
    rid = current_request_id() or (
        getattr(request.state, "request_id", None) if request is not None else None
    )
    headers = {**(headers or {}), **({REQUEST_ID_HEADER: rid} if rid else {})}
    body = Problem(
        type=type_,
        title=title,
        status=status,
        detail=detail,
        instance=str(request.url.path) if request is not None else None,
        request_id=rid,
        errors=errors,
    )
    return JSONResponse(
        body.model_dump(exclude_none=True), status_code=status, media_type=PROBLEM_JSON, headers=headers
    )


def _field_errors(exc: RequestValidationError) -> list[dict[str, Any]]:
    out = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ())]
        out.append({"field": ".".join(loc), "message": russian_message(err), "type": err.get("type", "")})
    return out


async def _on_validation(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, RequestValidationError)
    errors = _field_errors(exc)
    fields = ", ".join(e["field"] for e in errors)
    return problem_response(
        422,
        "Некорректные данные запроса",
        detail=f"Ошибки в полях: {fields}",
        type_="urn:oms:problem:validation",
        request=request,
        errors=errors,
    )


async def _on_domain(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DomainError)
    return problem_response(
        exc.status,
        exc.title,
        detail=exc.detail,
        type_=f"urn:oms:problem:{exc.code}",
        request=request,
        headers=exc.headers,
        errors=[{"field": exc.field, "message": exc.detail, "type": exc.code}] if exc.field else None,
    )


async def _on_http(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    detail = exc.detail if isinstance(exc.detail, str) else None
    return problem_response(
        exc.status_code,
        detail or "Ошибка запроса",
        detail=detail,
        request=request,
        headers=dict(exc.headers or {}),
    )


async def _on_unexpected(request: Request, exc: Exception) -> JSONResponse:
    log.exception("unhandled error", extra={"path": request.url.path})
    return problem_response(
        500, "Внутренняя ошибка", detail="Запрос не выполнен; ошибка записана в журнал", request=request
    )


def install_problem_handlers(app: FastAPI) -> None:
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(DomainError, _on_domain)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(Exception, _on_unexpected)


def problem_responses(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """Declared error responses for an endpoint, so the generated client is typed."""
    return {
        s: {"model": Problem, "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/Problem"}}}}
        for s in statuses
    }
