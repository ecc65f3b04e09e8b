"""The ``blocking`` and ``scoring`` stages: the linkage model (trained on the run's register, or
the previous run's reused) and the pairs — duplicates within the register, then the register
against each source's records — scored by Splink (``verification.linkage``) in a worker thread
and copied into ``linkage_pair``.

The inputs leave PostgreSQL as CSV files (``COPY … TO``) read into Arrow, and the pairs come
back the same way: no Python object per record. Duplicates are scored first, then the
register against every source's records at once. An incremental run scores only the subjects
that are new or changed (against the whole register and every source) and the unchanged ones
against the source records received since the previous run; the previous run's other pairs
are copied over in SQL."""

from __future__ import annotations

import asyncio
import random
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.csv as pacsv

from verification.linkage import PAIR_SCHEMA, PERSON_SCHEMA, LinkageModel, dedupe, link, train
from verification.rules import REGISTER, Thresholds
from verification.runs.pipeline_repository import PipelineRepository, RunScope
from verification.runs.stages import Transaction
from verification.sources import ADAPTERS

SOURCES: tuple[str, ...] = tuple(ADAPTERS)
# Registers larger than this train on a uniform sample of this many records (see training_sample).
TRAINING_SAMPLE = 300_000
EMPTY_PAIRS = PAIR_SCHEMA.empty_table()
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


def training_sample(people: pa.Table, size: int = TRAINING_SAMPLE, seed: int = 42) -> pa.Table:
    """At most ``size`` records of the register, drawn uniformly (the same ones for the same
    register): the model's parameters do not depend on the register's size — the chance that
    two random records match, the u by random pairs and the m of the duplicate pairs found in
    the sample's blocks are the same on a uniform sample — and training costs by the records."""
    if people.num_rows <= size:
        return people
    chosen = sorted(random.Random(seed).sample(range(people.num_rows), size))  # noqa: S311  (a sample, not a secret)
    return people.take(pa.array(chosen, type=pa.int64()))


@dataclass
class ScoringSettings:
    thresholds: Thresholds = field(default_factory=Thresholds)
    memory_limit: str = "2GB"  # DuckDB per linkage call (the engine's default)

    def review_floor(self) -> float:
        """Pairs below every review threshold are not kept."""
        return min([self.thresholds.default.review, *(t.review for t in self.thresholds.by_source.values())])

    def by_source(self) -> dict[str, tuple[float, float]]:
        """(accept, review) of each source and of the register's duplicates."""
        out = {}
        for name in (*SOURCES, REGISTER):
            threshold = self.thresholds.for_kind(REGISTER if name == REGISTER else f"{name}.*")
            out[name] = (threshold.accept, threshold.review)
        return out


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
        trained_model = await asyncio.to_thread(
            train, training_sample(people), memory_limit=settings.memory_limit
        )
        model, trained = trained_model.save(), True
    async with transaction() as session:
        await PipelineRepository(session).save_model(scope.id, model)
    return model, trained


async def _store(
    transaction: Transaction,
    run_id: uuid.UUID,
    pairs: pa.Table,
    path: Path,
    settings: ScoringSettings,
    *,
    duplicates: bool,
) -> int:
    if pairs.num_rows == 0:
        return 0
    await asyncio.to_thread(write_pairs_csv, pairs, path)
    async with transaction() as session:
        return await PipelineRepository(session).write_pairs(
            run_id, path, duplicates=duplicates, thresholds=settings.by_source()
        )


async def _read(path: Path) -> pa.Table:
    return await asyncio.to_thread(read_people, path)


async def score(
    transaction: Transaction,
    scope: RunScope,
    model_doc: dict[str, Any],
    folder: Path,
    settings: ScoringSettings,
    progress: Progress,
) -> dict[str, Any]:
    """The ``scoring`` stage; returns its counts. Starts by deleting the run's pairs (a resumed
    stage writes them again, never twice). Three steps, each reported: the inputs, the
    duplicates within the register, the register against the records of every source at once
    (one Splink link: the register is normalised and blocked once, not once per source; the
    pairs are told apart by their record's source in SQL)."""
    model = LinkageModel.load(model_doc)
    floor = settings.review_floor()
    timings: dict[str, float] = {}
    clock = time.monotonic()
    incremental = scope.previous_run_id is not None
    async with transaction() as session:
        repo = PipelineRepository(session)
        await repo.clear_pairs(scope.id)
        changed: list[uuid.UUID] = []
        carried = new_records = 0
        if scope.previous_run_id is not None:
            changed = await repo.changed_subjects(scope.id, scope.previous_run_id)
            carried = await repo.carry_over_pairs(
                scope.id, scope, scope.previous_run_id, settings.by_source()[REGISTER][0]
            )
            assert scope.previous_created_at is not None
            new_records = await repo.count_new_source_records(scope, scope.previous_created_at)
            await repo.export_register(scope.id, folder / "changed.csv", only=changed)
            await repo.export_register(scope.id, folder / "unchanged.csv", excluding=changed)
            await repo.export_sources(
                scope, SOURCES, folder / "new_sources.csv", received_after=scope.previous_created_at
            )
        elif (folder / "train.csv").exists():
            # Exported by this attempt's blocking stage: the register has not changed since.
            (folder / "train.csv").rename(folder / "register.csv")
        else:
            await repo.export_register(scope.id, folder / "register.csv")
        await repo.export_sources(scope, SOURCES, folder / "sources.csv")
        used = await repo.sources_used(scope, SOURCES)
    counts: dict[str, Any] = {"pairs_carried_over": carried, "new_source_records": new_records}
    counts["sources_used"] = used  # batches and records by source, for the run page
    await progress(1, 3)
    timings["export"] = time.monotonic() - clock
    pairs_path = folder / "pairs.csv"
    sources = await _read(folder / "sources.csv")
    counts["source_records"] = sources.num_rows

    clock = time.monotonic()
    if not incremental:
        register = await _read(folder / "register.csv")
        counts["rescored_subjects"] = register.num_rows
        duplicates = await _dedupe(register, model, floor, settings)
        await _store(transaction, scope.id, duplicates, pairs_path, settings, duplicates=True)
        await progress(2, 3)
        timings["dedupe"] = time.monotonic() - clock
        clock = time.monotonic()
        links = await _link(register, sources, model, floor, settings)
        await _store(transaction, scope.id, links, pairs_path, settings, duplicates=False)
    else:
        changed_people, unchanged = await _read(folder / "changed.csv"), await _read(folder / "unchanged.csv")
        counts["rescored_subjects"] = changed_people.num_rows
        # Duplicates involving a new or changed subject: among themselves and with the rest.
        await _store(
            transaction,
            scope.id,
            await _dedupe(changed_people, model, floor, settings),
            pairs_path,
            settings,
            duplicates=True,
        )
        await _store(
            transaction,
            scope.id,
            await _link(changed_people, unchanged, model, floor, settings),
            pairs_path,
            settings,
            duplicates=True,
        )
        await progress(2, 3)
        timings["dedupe"] = time.monotonic() - clock
        clock = time.monotonic()
        # The changed against every source; the unchanged against what arrived since.
        for people, records in (
            (changed_people, sources),
            (unchanged, await _read(folder / "new_sources.csv")),
        ):
            links = await _link(people, records, model, floor, settings)
            await _store(transaction, scope.id, links, pairs_path, settings, duplicates=False)
    await progress(3, 3)
    timings["link"] = time.monotonic() - clock
    async with transaction() as session:
        by_source = await PipelineRepository(session).pairs_by_source(scope.id)
    counts["duplicate_pairs"] = by_source.pop(REGISTER, 0)
    counts.update({f"pairs_{source}": by_source.get(source, 0) for source in SOURCES})
    counts.update({f"seconds_scoring_{step}": round(t, 2) for step, t in timings.items()})
    return counts


async def _dedupe(people: pa.Table, model: LinkageModel, floor: float, settings: ScoringSettings) -> pa.Table:
    if people.num_rows < 2:
        return EMPTY_PAIRS
    result = await asyncio.to_thread(dedupe, people, model, floor, memory_limit=settings.memory_limit)
    return result.pairs


async def _link(
    left: pa.Table, right: pa.Table, model: LinkageModel, floor: float, settings: ScoringSettings
) -> pa.Table:
    if left.num_rows == 0 or right.num_rows == 0:
        return EMPTY_PAIRS
    return await asyncio.to_thread(link, left, right, model, floor, memory_limit=settings.memory_limit)
