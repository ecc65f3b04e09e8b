"""Track-and-trace reports (МДЛП): the list with filters, one report with its XML and the
system's ticket, resending a failed or rejected one.

Who: ``pharmacy.marking:read`` / ``:write`` (pharmacists — their pharmacy; TFOMS and the health
authority — the region)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Path, Query

from oms_kit.app import secure_router
from oms_kit.auth import Principal, require_permission
from oms_kit.db import DbSession
from oms_kit.errors import problem_responses
from oms_kit.pagination import Paging, sorting
from pharmacy.marking.trace import service
from pharmacy.marking.trace.repository import ReportFilter
from pharmacy.marking.trace.schemas import Operation, ReportStatus, TraceReportPage, TraceReportRead
from pharmacy.models.prescription import TraceReport

router = secure_router(tags=["marking"], responses=problem_responses(401, 403))
CanRead = Annotated[Principal, Depends(require_permission("pharmacy.marking:read"))]
CanWrite = Annotated[Principal, Depends(require_permission("pharmacy.marking:write"))]
ReportId = Annotated[uuid.UUID, Path(description="Идентификатор отчёта")]

SORTS = {
    "created_at": TraceReport.created_at,
    "status": TraceReport.status,
    "operation": TraceReport.operation,
    "attempts": TraceReport.attempts,
    "sent_at": TraceReport.sent_at,
    "answered_at": TraceReport.answered_at,
}
Sorting = Annotated[list[Any], Depends(sorting(SORTS, "-created_at"))]


def _filter(
    status: Annotated[ReportStatus | None, Query(description="Статус отчёта")] = None,
    operation: Annotated[Operation | None, Query(description="Операция")] = None,
    pharmacy_id: Annotated[uuid.UUID | None, Query(description="Аптека")] = None,
    date_from: Annotated[date | None, Query(description="Создан не раньше (ГГГГ-ММ-ДД)")] = None,
    date_to: Annotated[date | None, Query(description="Создан не позже (ГГГГ-ММ-ДД)")] = None,
    sgtin: Annotated[
        str | None, Query(pattern=r"^\d{14}[A-Za-z0-9]{13}$", description="Отчёты с этой упаковкой (SGTIN)")
    ] = None,
    dispense_id: Annotated[uuid.UUID | None, Query(description="Отчёты об этом отпуске")] = None,
) -> ReportFilter:
    return ReportFilter(status, operation, pharmacy_id, date_from, date_to, sgtin, dispense_id)


@router.get(
    "/marking/reports",
    operation_id="marking-report-list",
    summary="Отчёты о выбытии упаковок для МДЛП: список с фильтрами",
)
async def list_reports(
    session: DbSession,
    principal: CanRead,
    paging: Paging,
    order: Sorting,
    f: Annotated[ReportFilter, Depends(_filter)],
) -> TraceReportPage:
    return await service.search(session, principal, f, order, paging.limit, paging.offset)


@router.get(
    "/marking/reports/{report_id}",
    operation_id="marking-report-get",
    summary="Отчёт для МДЛП: XML документа, квитанция, ошибки",
    responses=problem_responses(404),
)
async def get_report(session: DbSession, principal: CanRead, report_id: ReportId) -> TraceReportRead:
    return await service.one(session, principal, report_id)


@router.post(
    "/marking/reports/{report_id}/resend",
    operation_id="marking-report-resend",
    summary="Отправить отклонённый или не отправленный отчёт повторно (с тем же ключом)",
    responses=problem_responses(404, 409),
)
async def resend_report(session: DbSession, principal: CanWrite, report_id: ReportId) -> TraceReportRead:
    return await service.resend(session, principal, report_id)
