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
from verification.rules import Outcome, Period, Thresholds, decide, resolve_duplicates
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
        in_duplicates = {uuid.UUID(s) for p in duplicate_pairs for s in (p.left, p.right)}
        subjects = await repo.subjects_with_pairs(scope.id)
        # Registry deaths are facts without a pair (the subject is the registry person).
        facts = await RegistryDeathRepository(session).facts(scope.id)
        subjects = sorted(set(subjects) | {uuid.UUID(s) for s in facts})
        # Every fact of the run in one statement (one hash of the source records; per batch
        # it was built again for each), and the persons they are about.
        for key, found in (await repo.facts(scope.id)).items():
            facts.setdefault(key, []).extend(found)
        persons = await repo.persons(scope.id, sorted(in_duplicates.union(subjects)))
    verdicts = await asyncio.to_thread(resolve_duplicates, duplicate_pairs, persons, thresholds)
    timings["prepare"] = time.monotonic() - clock
    clock = time.monotonic()
    total = len(subjects)
    await progress(0, total)
    batches = [subjects[start : start + BATCH_SUBJECTS] for start in range(0, total, BATCH_SUBJECTS)]

    def decide_batch(batch: list[uuid.UUID]) -> list[Outcome]:
        return [
            decide(persons[key], facts.get(key, ()), period, thresholds, verdicts.get(key))
            for key in (str(s) for s in batch)
            if key in persons
        ]

    async def write(outcomes: list[Outcome], done: int) -> None:
        async with transaction() as session:
            await OutcomeRepository(session).replace(scope.id, outcomes)
        await progress(done, total)

    # A batch is written while the next one is decided (in a thread): PostgreSQL and Python
    # each keep a core busy instead of taking turns.
    writing: asyncio.Future[None] | None = None
    try:
        for number, batch in enumerate(batches):
            outcomes = await asyncio.to_thread(decide_batch, batch)
            if writing is not None:
                await writing
            writing = asyncio.ensure_future(write(outcomes, min((number + 1) * BATCH_SUBJECTS, total)))
        if writing is not None:
            await writing
    finally:
        if writing is not None and not writing.done():
            writing.cancel()
            await asyncio.gather(writing, return_exceptions=True)
    timings["decide"] = time.monotonic() - clock
    return {
        "operator_decisions_applied": decided,
        "subjects_with_pairs": total,
        **{f"seconds_rules_{step}": round(t, 2) for step, t in timings.items()},
    }
