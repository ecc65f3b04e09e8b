"""Reading the track-and-trace reports and resending one. Services never commit."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.auth.principal import Principal
from oms_kit.errors import Conflict, NotFound
from pharmacy.marking.trace import repository
from pharmacy.marking.trace.documents import SCHEMES
from pharmacy.marking.trace.repository import ReportFilter
from pharmacy.marking.trace.schemas import (
    TraceErrorRead,
    TraceReportPage,
    TraceReportRead,
    TraceReportSummary,
)
from pharmacy.models.prescription import TraceReport
from pharmacy.scope import scope_of

REPORT_NOT_FOUND = "Отчёт для МДЛП не найден"
RESENDABLE = ("failed", "rejected")


def summary(report: TraceReport) -> TraceReportSummary:
    return TraceReportSummary.model_validate(
        {**_fields(report), "action_id": SCHEMES.get(report.operation, (0, ""))[0]}
    )


def _fields(report: TraceReport) -> dict[str, Any]:
    return {c: getattr(report, c) for c in TraceReportSummary.model_fields if hasattr(report, c)}


def read(report: TraceReport) -> TraceReportRead:
    details = report.details or {}
    return TraceReportRead.model_validate(
        {
            **summary(report).model_dump(),
            "document": report.document,
            "ticket": details.get("ticket"),
            "errors": [TraceErrorRead.model_validate(e) for e in details.get("errors") or []],
        }
    )


async def search(
    session: AsyncSession, principal: Principal, f: ReportFilter, order: list[Any], limit: int, offset: int
) -> TraceReportPage:
    scope = await scope_of(session, principal)
    rows, total = await repository.search(session, scope, f, order, limit, offset)
    counts = await repository.counts_by_status(session, scope, f)
    return TraceReportPage(
        items=[summary(r) for r in rows], total=total, limit=limit, offset=offset, by_status=counts
    )


async def one(session: AsyncSession, principal: Principal, report_id: uuid.UUID) -> TraceReportRead:
    scope = await scope_of(session, principal)
    report = await repository.get(session, scope, report_id)
    if report is None:
        raise NotFound(REPORT_NOT_FOUND)
    return read(report)


async def resend(session: AsyncSession, principal: Principal, report_id: uuid.UUID) -> TraceReportRead:
    """Queue a failed or rejected report again — with the same document and the same
    idempotency key; the attempts start over."""
    scope = await scope_of(session, principal)
    report = await repository.get(session, scope, report_id, lock=True)
    if report is None or (not scope.whole_region and report.pharmacy_id not in scope.pharmacy_writable):
        raise NotFound(REPORT_NOT_FOUND)
    if report.status not in RESENDABLE:
        raise Conflict(
            f"Повторно отправить можно только отклонённый или не отправленный отчёт; этот — «{report.status}»"
        )
    details = dict(report.details or {})
    history = list(details.get("history") or [])
    history.append(
        {"status": report.status, "error": report.error, "attempts": report.attempts, "by": principal.subject}
    )
    details["history"] = history
    report.details = details
    report.status = "queued"
    report.attempts = 0
    report.next_attempt_at = None
    report.error = None
    await session.flush()
    return read(report)
