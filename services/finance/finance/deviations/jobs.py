"""The deviation search as a job (``finance.deviation_search``) with its progress: one
transaction (findings and their events commit together or not at all)."""

from __future__ import annotations

from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from finance.deviations import service
from finance.deviations.detect import WAGES_SHARE_THRESHOLD
from oms_kit.audit import audit_access
from oms_kit.auth import Principal
from oms_kit.jobs import JobContext, JobKind, JobRead, job_read, submit_job


async def run_search(ctx: JobContext) -> dict[str, Any]:
    threshold = float(ctx.params.get("wages_share_threshold", WAGES_SHARE_THRESHOLD))

    async def progress(done: int, total: int | None, stage: str) -> None:
        await ctx.progress(done, total, stage=stage)

    async with ctx.transaction() as session:
        return await service.search(session, wages_threshold=threshold, progress=progress)


DEVIATION_SEARCH = JobKind(
    name="finance.deviation_search",
    title="Поиск отклонений в доходах и расходах МО",
    read_permission="finance.budget:read",
    write_permission="finance.deviation:search",
    run=run_search,
)


async def start_search(session: AsyncSession, principal: Principal, params: dict[str, Any]) -> JobRead:
    """The search started by a person: the job queued and who started it audited."""
    job = await submit_job(session, DEVIATION_SEARCH, principal, params=params)
    await audit_access(session, principal, action="create", resource=f"deviation:search:{job.id}")
    return await job_read(session, job)
