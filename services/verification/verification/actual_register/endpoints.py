"""``/runs/{run_id}/actual-register`` and ``/runs/{run_id}/exclusions``: export jobs (202 with the
job; the file is downloaded from ``/jobs/{job_id}/files/{file_id}`` when it succeeds)."""

import uuid
from typing import Annotated, Literal

from fastapi import Depends, Query, status

from oms_kit.app import secure_router
from oms_kit.auth import Principal, require_permission
from oms_kit.db import DbSession
from oms_kit.errors import problem_responses
from oms_kit.jobs import JobRead
from verification.actual_register import service

router = secure_router(prefix="/runs", tags=["exports"], responses=problem_responses(401, 403))
CanRead = Annotated[Principal, Depends(require_permission("verification.run:read"))]


@router.get(
    "/{run_id}/actual-register",
    operation_id="exports-actual-register",
    summary="Актуальный регистр на дату проверки без исключённых (CSV, XLSX, XML) — фоновое задание",
    status_code=status.HTTP_202_ACCEPTED,
    responses=problem_responses(404, 409, 422),
)
async def export_actual_register(
    session: DbSession,
    principal: CanRead,
    run_id: uuid.UUID,
    format: Annotated[Literal["csv", "xlsx", "xml"], Query(description="Формат файла")] = "csv",
) -> JobRead:
    return await service.export_actual_register(session, principal, run_id, format)


@router.get(
    "/{run_id}/exclusions",
    operation_id="exports-exclusions",
    summary="Список исключённых: основания, месяцы, доказательства, экономия (CSV, XLSX) — фоновое задание",
    status_code=status.HTTP_202_ACCEPTED,
    responses=problem_responses(404, 409, 422),
)
async def export_exclusions(
    session: DbSession,
    principal: CanRead,
    run_id: uuid.UUID,
    format: Annotated[Literal["csv", "xlsx"], Query(description="Формат файла")] = "csv",
) -> JobRead:
    return await service.export_exclusions(session, principal, run_id, format)
