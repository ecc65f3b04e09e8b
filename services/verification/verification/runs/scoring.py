"""The ``blocking`` and ``scoring`` stages: the linkage model (trained on the run's register, or
the previous run's reused) and the pairs — duplicates within the register, then the register
against each source's records — scored by Splink (``verification.linkage``) in a worker thread
and copied into ``linkage_pair``.

The inputs leave PostgreSQL as CSV files (``COPY … TO``) read into Arrow, and the pairs come
back the same way: no Python object per record. An incremental run scores only the subjects
that are new or changed (against the whole register and every source) and the unchanged ones
against the source records received since the previous run; the previous run's other pairs
are copied over in SQL."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv

from verification.linkage import PERSON_SCHEMA, LinkageModel, dedupe, link, train
from verification.rules import REGISTER, Thresholds
from verification.runs.pipeline_repository import PipelineRepository, RunScope
from verification.runs.stages import Transaction
from verification.sources import ADAPTERS

SOURCES: tuple[str, ...] = tuple(ADAPTERS)
Progress = Callable[[int, int], Awaitable[None]]


def read_people(path: Path) -> pa.Table:
    """A CSV file of linkage columns (``COPY … TO`` with a header) as a ``PERSON_SCHEMA`` table."""
    return pacsv.read_csv(
        path,
        convert_options=pacsv.ConvertOptions(
            column_types=PERSON_SCHEMA, strings_can_be_null=True, quoted_strings_can_be_null=True
        ),
        read_options=pacsv.ReadOptions(block_size=16 << 20),
    ).cast(PERSON_SCHEMA)


def write_pairs_csv(pairs: pa.Table, path: Path) -> None:
    pacsv.write_csv(pairs, path)


@dataclass
class ScoringSettings:
    thresholds: Thresholds = field(default_factory=Thresholds)
    memory_limit: str = "3GB"

    def review_floor(self) -> float:
        """Pairs below every review threshold are not kept."""
        return min([self.thresholds.default.review, *(t.review for t in self.thresholds.by_source.values())])

    def of(self, source: str) -> tuple[float, float]:
        t = (
            self.thresholds.for_kind(f"{source}.any")
            if source != REGISTER
            else self.thresholds.for_kind(REGISTER)
        )
        return t.accept, t.review


async def choose_model(
    transaction: Transaction,
    scope: RunScope,
    folder: Path,
    settings: ScoringSettings,
    injected: LinkageModel | None = None,
) -> tuple[dict[str, Any], bool]:
    """The ``blocking`` stage: the run's model (trained here, or the previous run's, or one
    injected by the caller) stored with the run; returns (its JSON, whether it was trained)."""
    if injected is not None:
        model, trained = injected.save(), False
    elif scope.previous_model is not None:
        model, trained = scope.previous_model, False
    else:
        path = folder / "train.csv"
        async with transaction() as session:
            await PipelineRepository(session).export_register(scope.id, path)
        people = await asyncio.to_thread(read_people, path)
        trained_model = await asyncio.to_thread(train, people, memory_limit=settings.memory_limit)
        model, trained = trained_model.save(), True
    async with transaction() as session:
        await PipelineRepository(session).save_model(scope.id, model)
    return model, trained


async def _store(
    transaction: Transaction,
    run_id: uuid.UUID,
    pairs: pa.Table,
    path: Path,
    *,
    duplicates: bool,
    accept: float,
    review: float,
) -> int:
    if pairs.num_rows == 0:
        return 0
    await asyncio.to_thread(write_pairs_csv, pairs, path)
    async with transaction() as session:
        return await PipelineRepository(session).write_pairs(
            run_id, path, duplicates=duplicates, accept=accept, review=review
        )


async def score(
    transaction: Transaction,
    scope: RunScope,
    model_doc: dict[str, Any],
    folder: Path,
    settings: ScoringSettings,
    progress: Progress,
) -> dict[str, Any]:
    """The ``scoring`` stage; returns its counts. Starts by deleting the run's pairs (a resumed
    stage writes them again, never twice)."""
    model = LinkageModel.load(model_doc)
    floor = settings.review_floor()
    async with transaction() as session:
        repo = PipelineRepository(session)
        await repo.clear_pairs(scope.id)
        changed: list[uuid.UUID] | None = None
        carried = 0
        new_records = 0
        if scope.previous_run_id is not None:
            changed = await repo.changed_subjects(scope.id, scope.previous_run_id)
            accept, _ = settings.of(REGISTER)
            carried = await repo.carry_over_pairs(scope.id, scope, scope.previous_run_id, accept)
            assert scope.previous_created_at is not None
            new_records = await repo.count_new_source_records(scope, scope.previous_created_at)
        everyone = folder / "register.csv"
        await repo.export_register(scope.id, everyone)
        if changed is not None:
            await repo.export_register(scope.id, folder / "changed.csv", only=changed)
            await repo.export_register(scope.id, folder / "unchanged.csv", excluding=changed)
    counts: dict[str, Any] = {"pairs_carried_over": carried, "new_source_records": new_records}
    steps = 1 + len(SOURCES)
    register = await asyncio.to_thread(read_people, everyone)
    changed_people = (
        await asyncio.to_thread(read_people, folder / "changed.csv") if changed is not None else None
    )
    unchanged_people = (
        await asyncio.to_thread(read_people, folder / "unchanged.csv") if changed is not None else None
    )
    counts["rescored_subjects"] = register.num_rows if changed_people is None else changed_people.num_rows
    await progress(0, steps)

    # Within the register.
    accept, review = settings.of(REGISTER)
    pairs_path = folder / "pairs.csv"
    if changed_people is None:
        result = await asyncio.to_thread(dedupe, register, model, floor, memory_limit=settings.memory_limit)
        duplicate_pairs = result.pairs
    else:
        assert unchanged_people is not None
        duplicate_pairs = await _incremental_duplicates(
            changed_people, unchanged_people, model, floor, settings
        )
    counts["duplicate_pairs"] = await _store(
        transaction, scope.id, duplicate_pairs, pairs_path, duplicates=True, accept=accept, review=review
    )
    await progress(1, steps)

    # The register against each source.
    for done, source in enumerate(SOURCES, start=2):
        accept, review = settings.of(source)
        found = 0
        jobs: list[tuple[pa.Table, Any]] = []
        if changed_people is None:
            jobs.append((register, None))
        else:
            jobs.append((changed_people, None))
            assert unchanged_people is not None
            jobs.append((unchanged_people, scope.previous_created_at))
        for people, received_after in jobs:
            if people.num_rows == 0:
                continue
            path = folder / f"{source}.csv"
            async with transaction() as session:
                await PipelineRepository(session).export_source(
                    scope, source, path, received_after=received_after
                )
            records = await asyncio.to_thread(read_people, path)
            if records.num_rows == 0:
                continue
            pairs = await asyncio.to_thread(
                link, people, records, model, floor, memory_limit=settings.memory_limit
            )
            found += await _store(
                transaction, scope.id, pairs, pairs_path, duplicates=False, accept=accept, review=review
            )
        counts[f"pairs_{source}"] = found
        await progress(done, steps)
    return counts


async def _incremental_duplicates(
    changed: pa.Table, unchanged: pa.Table, model: LinkageModel, floor: float, settings: ScoringSettings
) -> pa.Table:
    """Duplicate pairs that involve a new or changed subject: among themselves and with the rest."""
    parts: list[pa.Table] = []
    if changed.num_rows >= 2:
        parts.append(
            (await asyncio.to_thread(dedupe, changed, model, floor, memory_limit=settings.memory_limit)).pairs
        )
    if changed.num_rows and unchanged.num_rows:
        parts.append(
            await asyncio.to_thread(
                link, changed, unchanged, model, floor, memory_limit=settings.memory_limit
            )
        )
    if not parts:
        return pa.table({"left_id": pa.array([], pa.string())})
    return pa.concat_tables(parts)
