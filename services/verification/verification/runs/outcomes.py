"""The ``rules`` stage: operators' decisions applied to the run's pairs (by stable pair key),
the duplicates resolved over the whole register (clusters and keepers), then the outcome of
every subject with a pair (or a death the registry recorded, ``verification.deaths``) decided
by ``verification.rules`` in batches and written by COPY.

A subject without any pair is kept and has no ``outcome`` row: its absence means ``keep``
(reads join ``register_entry`` to ``outcome``, as the savings' actual register does). Writing
a million such rows would cost about half a minute of foreign-key checks per run."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from verification.deaths import RegistryDeathRepository
from verification.linkage.records import PersonRecord
from verification.rules import Fact, Outcome, Period, Thresholds, decide, resolve_duplicates
from verification.rules.repository import OutcomeRepository
from verification.runs.pipeline_repository import PipelineRepository, RunScope
from verification.runs.stages import Transaction

BATCH_SUBJECTS = 20_000
Progress = Callable[[int, int], Awaitable[None]]


async def apply_rules(
    transaction: Transaction, scope: RunScope, thresholds: Thresholds, progress: Progress
) -> dict[str, Any]:
    period = Period(scope.period_from, scope.period_to)
    clock = time.monotonic()
    timings: dict[str, float] = {}
    async with transaction() as session:
        repo = PipelineRepository(session)
        await repo.clear_outcomes(scope.id)
        decided = await repo.apply_decisions(scope.id)
        duplicate_pairs = await repo.duplicate_pairs(scope.id)
        in_duplicates = sorted({p.left for p in duplicate_pairs} | {p.right for p in duplicate_pairs})
        people = await repo.persons(scope.id, [uuid.UUID(s) for s in in_duplicates])
        subjects = await repo.subjects_with_pairs(scope.id)
        # Registry deaths are facts without a pair (the subject is the registry person).
        deaths = await RegistryDeathRepository(session).facts(scope.id)
        subjects = sorted(set(subjects) | {uuid.UUID(s) for s in deaths})
    verdicts = await asyncio.to_thread(resolve_duplicates, duplicate_pairs, people, thresholds)
    timings["prepare"] = time.monotonic() - clock
    clock = time.monotonic()
    total = len(subjects)
    await progress(0, total)
    batches = [subjects[start : start + BATCH_SUBJECTS] for start in range(0, total, BATCH_SUBJECTS)]

    async def read(batch: list[uuid.UUID]) -> tuple[dict[str, PersonRecord], dict[str, list[Fact]]]:
        async with transaction() as session:
            repo = PipelineRepository(session)
            persons = await repo.persons(scope.id, batch)
            facts = await repo.facts(scope.id, batch)
            for key in (str(s) for s in batch):
                if key in deaths:
                    facts.setdefault(key, []).extend(deaths[key])
        return persons, facts

    def decide_batch(
        batch: list[uuid.UUID], persons: dict[str, PersonRecord], facts: dict[str, list[Fact]]
    ) -> list[Outcome]:
        return [
            decide(persons[key], facts.get(key, ()), period, thresholds, verdicts.get(key))
            for key in (str(s) for s in batch)
            if key in persons
        ]

    async def write(outcomes: list[Outcome], done: int) -> None:
        async with transaction() as session:
            await OutcomeRepository(session).replace(scope.id, outcomes)
        await progress(done, total)

    # Three batches in flight: the next one read, this one decided (in a thread), the last
    # one written — PostgreSQL and Python each keep a core busy instead of taking turns.
    reading = asyncio.ensure_future(read(batches[0])) if batches else None
    writing: asyncio.Future[None] | None = None
    try:
        for number, batch in enumerate(batches):
            assert reading is not None
            persons, facts = await reading
            reading = asyncio.ensure_future(read(batches[number + 1])) if number + 1 < len(batches) else None
            outcomes = await asyncio.to_thread(decide_batch, batch, persons, facts)
            if writing is not None:
                await writing
            writing = asyncio.ensure_future(write(outcomes, min((number + 1) * BATCH_SUBJECTS, total)))
        if writing is not None:
            await writing
    finally:
        for task in (reading, writing):
            if task is not None and not task.done():
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
    timings["decide"] = time.monotonic() - clock
    return {
        "operator_decisions_applied": decided,
        "subjects_with_pairs": total,
        **{f"seconds_rules_{step}": round(t, 2) for step, t in timings.items()},
    }
