"""The run an endpoint works on: visible to the caller (its organization's, every run for the
region's roles — as ``/runs``), and finished when the endpoint needs its outcomes."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.auth import Principal
from oms_kit.errors import Conflict, NotFound
from verification.models import VerificationRun
from verification.runs.repository import RunRepository
from verification.runs.service import RUN_NOT_FOUND, org_scope
from verification.runs.stages import DECISIONS

RUN_NOT_FINISHED = "Проверка ещё не завершена: её итоги появятся после этапа «Итоги и решения»"


async def visible_run(
    session: AsyncSession, principal: Principal, run_id: uuid.UUID, *, finished: bool = True
) -> VerificationRun:
    """The run, or 404 when the caller may not see it; 409 when ``finished`` and it is not."""
    found = await RunRepository(session).get(run_id, org_scope(principal))
    if found is None:
        raise NotFound(RUN_NOT_FOUND)
    run = found[0]
    if finished and run.finished_stage != DECISIONS:
        raise Conflict(RUN_NOT_FINISHED)
    return run
