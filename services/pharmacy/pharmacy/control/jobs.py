"""The control run as a job (``pharmacy.control_run``) with its progress: the period's dispenses
are judged in chunks, each chunk in its own transaction (a chunk's results replace the previous
ones at once), then the run's summary is written."""

from __future__ import annotations

import uuid
from typing import Any

from oms_kit.auth import Principal
from oms_kit.jobs import JobContext, JobFailed, JobKind
from pharmacy.control import repository, service


async def run_job(ctx: JobContext) -> dict[str, Any]:
    run_id = uuid.UUID(str(ctx.params["run_id"]))
    actor = Principal(subject=ctx.created_by, org_id=ctx.principal_org_id or uuid.UUID(int=0))
    async with ctx.transaction() as session:
        run = await repository.run(session, run_id)
        if run is None:
            raise JobFailed("Контроль не проведён", "Запись о контроле не найдена")
        ids = await repository.dispense_ids(session, run.period_from, run.period_to, run.pharmacy_id)
    await ctx.progress(0, len(ids), stage="Проверка отпущенных рецептов")
    try:
        for start in range(0, len(ids), service.CHUNK):
            async with ctx.transaction() as session:
                run = await repository.run(session, run_id)
                assert run is not None
                await service.check_dispenses(session, run, ids[start : start + service.CHUNK], actor)
            await ctx.progress(min(start + service.CHUNK, len(ids)), len(ids))
    except BaseException:
        async with ctx.transaction() as session:
            run = await repository.run(session, run_id)
            if run is not None:
                await service.finish_run(session, run, failed=True)
        raise
    async with ctx.transaction() as session:
        run = await repository.run(session, run_id)
        assert run is not None
        await service.finish_run(session, run)
        summary = {
            "run_id": str(run.id),
            "checked": run.checked,
            "with_violations": run.with_violations,
            "violations": run.violations,
            "amount": str(run.amount),
            "withheld": str(run.withheld),
        }
    await ctx.progress(len(ids), len(ids), stage="Готово")
    return summary


CONTROL_RUN = JobKind(
    name="pharmacy.control_run",
    title="Медико-экономический контроль отпущенных рецептов",
    read_permission="pharmacy.control:read",
    write_permission="pharmacy.control:write",
    run=run_job,
)
