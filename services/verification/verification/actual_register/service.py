"""Starting the exports of a run (no SQL): the run visible to the caller and finished."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.auth import Principal
from oms_kit.jobs import JobKind, JobRead, job_read, submit_job
from verification.actual_register.jobs import ACTUAL_REGISTER_EXPORT, EXCLUSIONS_EXPORT
from verification.review.access import visible_run


async def _start(
    session: AsyncSession, principal: Principal, run_id: uuid.UUID, kind: JobKind, file_format: str
) -> JobRead:
    run = await visible_run(session, principal, run_id)
    job = await submit_job(
        session,
        kind,
        principal,
        params={"run_id": str(run.id), "format": file_format, "as_of": run.as_of.isoformat()},
    )
    return await job_read(session, job)


async def export_actual_register(
    session: AsyncSession, principal: Principal, run_id: uuid.UUID, file_format: str
) -> JobRead:
    return await _start(session, principal, run_id, ACTUAL_REGISTER_EXPORT, file_format)


async def export_exclusions(
    session: AsyncSession, principal: Principal, run_id: uuid.UUID, file_format: str
) -> JobRead:
    return await _start(session, principal, run_id, EXCLUSIONS_EXPORT, file_format)
