"""Resume after a crash at each stage: the job dies after a finished stage (the pipeline built
with ``crash_after``: the stage is recorded, the job stays running as after a process crash),
the stale check queues it again, and attempt 2 starts from the next stage. The outcomes equal
those of an uninterrupted run with the same model, and nothing is written or published twice.
Also: a run cancelled in the middle stops at a stage boundary, shows as cancelled and publishes
nothing."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from tests.runs.run_support import (
    World,
    crash_queued,
    create_run,
    job_state,
    make_world,
    run_queued,
    table_counts,
)

from oms_kit.jobs import JobRunner
from oms_kit.jobs.repository import JobRepository
from verification.linkage import LinkageModel
from verification.register.writer import register_csv
from verification.runs.pipeline import RunPipeline, run_kind
from verification.runs.stages import STAGES

SIZE = 1_500


@pytest.fixture(scope="module")
async def world(service_dir: Path, fresh_database: Callable[[Path], Awaitable[str]]) -> AsyncIterator[World]:
    w = await make_world(await fresh_database(service_dir), SIZE, seed=11)
    yield w
    await w.database.dispose()


async def _outcomes(world: World, run_id: uuid.UUID) -> dict[uuid.UUID, tuple[Any, ...]]:
    async with world.database.sessions() as session:
        rows = await session.execute(
            text(
                "SELECT subject_id, outcome, reason, reasons, months_excluded, duplicate_of FROM outcome "
                "WHERE run_id = :id"
            ),
            {"id": run_id},
        )
        return {r[0]: tuple(r[1:]) for r in rows}


@pytest.fixture(scope="module")
async def baseline(world: World) -> tuple[uuid.UUID, LinkageModel]:
    """An uninterrupted run (it trains the model the resumed runs are given)."""
    kind = run_kind(RunPipeline())
    run_id = await create_run(world, kind, register_csv(world.register.records))
    await run_queued(world, kind)
    assert (await job_state(world, run_id))["status"] == "succeeded"
    async with world.database.sessions() as session:
        doc = await session.scalar(
            text("SELECT linkage_model FROM verification_run WHERE id = :id"), {"id": run_id}
        )
    return run_id, LinkageModel.load(doc)


@pytest.mark.parametrize("stage", STAGES)
async def test_a_run_resumes_after_a_crash_at_each_stage(
    world: World, baseline: tuple[uuid.UUID, LinkageModel], stage: str
) -> None:
    base_id, model = baseline
    crashing = run_kind(RunPipeline(model=model, crash_after=stage))
    run_id = await create_run(world, crashing, register_csv(world.register.records))
    await crash_queued(world, crashing)
    crashed = await job_state(world, run_id)
    assert crashed["status"] == "queued" and crashed["finished_stage"] == stage

    resumed = run_kind(RunPipeline(model=model))
    await run_queued(world, resumed)
    state = await job_state(world, run_id)
    assert state["status"] == "succeeded", state
    assert state["attempts"] == 2 and state["finished_stage"] == "decisions"
    # Attempt 2 ran only the stages after the crash: the crashed stage's timing stays attempt 1's.
    assert all(f"seconds_{s}" in state["counts"] for s in STAGES)

    assert await _outcomes(world, run_id) == await _outcomes(world, base_id)
    tables, base_tables = await table_counts(world, run_id), await table_counts(world, base_id)
    assert tables["entries"] == base_tables["entries"] == SIZE
    assert tables["pairs"] == tables["pair_keys"] == base_tables["pairs"]
    assert tables["outcomes"] == base_tables["outcomes"] > 0
    assert tables["completed_events"] == 1
    assert tables["excluded_events"] == base_tables["excluded_events"] > 0


async def test_a_cancelled_run_stops_and_publishes_nothing(
    world: World, baseline: tuple[uuid.UUID, LinkageModel]
) -> None:
    kind = run_kind(RunPipeline(model=baseline[1]))
    run_id = await create_run(world, kind, register_csv(world.register.records))
    runner = JobRunner(world.database, [kind], world.settings)
    await runner.claim_and_start()
    while (await job_state(world, run_id))["finished_stage"] is None:  # noqa: ASYNC110
        await asyncio.sleep(0.02)
    async with world.database.sessions() as session, session.begin():
        job_id = await session.scalar(
            text("SELECT job_id FROM verification_run WHERE id = :id"), {"id": run_id}
        )
        assert await JobRepository(session).request_cancel(job_id) is not None
    while runner.running:  # noqa: ASYNC110
        await asyncio.sleep(0.05)
    state = await job_state(world, run_id)
    assert state["status"] == "cancelled", state
    assert state["finished_stage"] in ("loading", "blocking", "scoring")
    tables = await table_counts(world, run_id)
    assert tables["completed_events"] == 0 and tables["excluded_events"] == 0
