"""The deviation search as a job (``finance.deviation_search``) with its progress: one
transaction (findings and their events commit together or not at all)."""

from __future__ import annotations

from typing import Any

from finance.deviations import service
from finance.deviations.detect import WAGES_SHARE_THRESHOLD
from oms_kit.jobs import JobContext, JobKind


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
    write_permission="finance.deviation:write",
    run=run_search,
)
