"""A refused dispense (or scan, or deferral) as one RFC 7807 problem listing EVERY failed check:
``errors`` is ``[{field, message, type}]`` with ``type`` (and ``field``, unless a request field
is at fault — ``codes[2]``) the check's code (``expired``, ``code_dispensed``…); ``detail`` joins
the messages. 422 for a prescription or package that may not be dispensed, 409 when it is a
conflict with what already happened (dispensed before, a package taken by another counter)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from oms_kit.errors import Conflict, InvalidInput, problem_response
from pharmacy.dispensing.checks import (
    ALREADY_DISPENSED,
    CANCELLED,
    CODE_DISPENSED,
    CODE_RESERVED,
    STOCK_INSUFFICIENT,
    Violation,
)

CONFLICT_CODES = frozenset(
    {ALREADY_DISPENSED, CANCELLED, CODE_DISPENSED, CODE_RESERVED, STOCK_INSUFFICIENT, "already_deferred"}
)


def _detail(violations: Sequence[Violation]) -> str:
    return "; ".join(v.message for v in violations)


class DispenseRefused(InvalidInput):
    """422: the checks refused it."""

    code = "dispense-refused"
    title = "Отпуск невозможен: не пройдены проверки"

    def __init__(self, violations: Sequence[Violation]) -> None:
        super().__init__(_detail(violations))
        self.violations = list(violations)


class DispenseConflict(Conflict):
    """409: dispensed before, or a package another counter took."""

    code = "dispense-conflict"
    title = "Отпуск невозможен: уже отпущено"

    def __init__(self, violations: Sequence[Violation]) -> None:
        super().__init__(_detail(violations))
        self.violations = list(violations)


def refuse(violations: Sequence[Violation]) -> DispenseRefused | DispenseConflict:
    """The error for these violations: 409 if any is a conflict, else 422."""
    if any(v.code in CONFLICT_CODES for v in violations):
        return DispenseConflict(violations)
    return DispenseRefused(violations)


async def _on_refused(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, DispenseRefused | DispenseConflict)
    errors: list[dict[str, Any]] = [v.as_error() for v in exc.violations]
    return problem_response(
        exc.status,
        exc.title,
        detail=exc.detail,
        type_=f"urn:oms:problem:{exc.code}",
        request=request,
        errors=errors,
    )


def install(app: FastAPI) -> FastAPI:
    """Render the refusals with all their checks (one problem, ``errors`` per check)."""
    app.add_exception_handler(DispenseRefused, _on_refused)
    app.add_exception_handler(DispenseConflict, _on_refused)
    return app
