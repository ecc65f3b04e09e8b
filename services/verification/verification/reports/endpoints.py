"""``/runs/{run_id}/savings``, ``/runs/{run_id}/statistics``, ``/runs/{run_id}/report.xlsx|.pdf``
and ``/statistics/trends``."""

import asyncio
import uuid
from typing import Annotated

from fastapi import Depends, Response

from oms_kit.app import secure_router
from oms_kit.audit import audit_access
from oms_kit.auth import Principal, require_permission
from oms_kit.db import DbSession
from oms_kit.errors import problem_responses
from oms_kit.jobs.disposition import attachment
from verification.reports import service
from verification.reports.document import build
from verification.reports.pdf import render_pdf
from verification.reports.schemas import RunSavingsRead, RunStatisticsRead, TrendsRead
from verification.reports.xlsx import render_xlsx

router = secure_router(prefix="/runs", tags=["reports"], responses=problem_responses(401, 403))
trends_router = secure_router(prefix="/statistics", tags=["reports"], responses=problem_responses(401, 403))
CanRead = Annotated[Principal, Depends(require_permission("verification.run:read"))]
CanReadSavings = Annotated[Principal, Depends(require_permission("verification.savings:read"))]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@router.get(
    "/{run_id}/savings",
    operation_id="reports-savings",
    summary="Экономия проверки по основаниям и районам и прогноз ассигнований на следующий год",
    responses=problem_responses(404, 409),
)
async def run_savings(session: DbSession, principal: CanReadSavings, run_id: uuid.UUID) -> RunSavingsRead:
    return await service.savings(session, principal, run_id)


@router.get(
    "/{run_id}/statistics",
    operation_id="reports-statistics",
    summary="Статистика проверки: исключённые по основаниям, районам, возрасту и полу; сопоставление",
    responses=problem_responses(404, 409),
)
async def run_statistics(session: DbSession, principal: CanRead, run_id: uuid.UUID) -> RunStatisticsRead:
    return await service.statistics(session, principal, run_id)


async def _report(session: DbSession, principal: Principal, run_id: uuid.UUID, kind: str) -> bytes:
    stats, savings = await service.report_data(session, principal, run_id)
    report = build(stats, savings)
    content = await asyncio.to_thread(render_pdf if kind == "pdf" else render_xlsx, report)
    # Aggregates only, no person: the report is recorded as an export of the run.
    await audit_access(
        session, principal, action="export", resource=f"verification_run:{run_id}:report.{kind}"
    )
    return content


@router.get(
    "/{run_id}/report.xlsx",
    operation_id="reports-report-xlsx",
    summary="Статистический отчёт проверки (XLSX)",
    response_class=Response,
    responses={**problem_responses(404, 409), 200: {"content": {XLSX: {}}}},
)
async def report_xlsx(session: DbSession, principal: CanReadSavings, run_id: uuid.UUID) -> Response:
    content = await _report(session, principal, run_id, "xlsx")
    return Response(
        content,
        media_type=XLSX,
        headers={"Content-Disposition": attachment(f"verification-report-{run_id}.xlsx")},
    )


@router.get(
    "/{run_id}/report.pdf",
    operation_id="reports-report-pdf",
    summary="Статистический отчёт проверки для печати (PDF)",
    response_class=Response,
    responses={**problem_responses(404, 409, 503), 200: {"content": {"application/pdf": {}}}},
)
async def report_pdf(session: DbSession, principal: CanReadSavings, run_id: uuid.UUID) -> Response:
    content = await _report(session, principal, run_id, "pdf")
    return Response(
        content,
        media_type="application/pdf",
        headers={"Content-Disposition": attachment(f"verification-report-{run_id}.pdf")},
    )


@trends_router.get(
    "/trends",
    operation_id="reports-trends",
    summary="Динамика по проверкам: численность регистра, исключённые, экономия",
)
async def trends(session: DbSession, principal: CanRead) -> TrendsRead:
    return await service.trends(session, principal)
