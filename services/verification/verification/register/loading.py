"""Loading a run's register from a TFOMS file: rows are read and validated in a worker thread
a batch ahead while the previous batch is written, each batch in its own transaction (the run
job's ``JobContext.transaction``), so a crash loses at most the batch in flight and a reload
of the same file writes only what is missing (subjects and entries are keyed, rejections per
row and field). Rules live in ``validation`` and ``subjects``, SQL in ``repository``."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Iterator
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from verification.register.columns import TITLES
from verification.register.reader import RegisterFile, RowShape, open_register
from verification.register.repository import RegisterCounts, RegisterRepository
from verification.register.subjects import (
    REGISTRY_PERSON,
    RepeatedKeys,
    alternative_keys,
    fingerprint,
    subject_key,
)
from verification.register.validation import RegisterRow, RowErrors, validate_row

BATCH_ROWS = 10_000
WRITERS = 2  # connections writing batches at once (a PostgreSQL backend each)
ROW_FIELD = "row"  # the problem is the row as a whole (shape, broken XML)
Transaction = Callable[[], AbstractAsyncContextManager[AsyncSession]]
Progress = Callable[[int, int | None], Awaitable[None]]


@dataclass
class ParsedBatch:
    """Rows of one batch: staged tuples (``repository.STAGE_COLUMNS``) and the problems of
    the rejected rows (row number, field, Russian message)."""

    staged: list[tuple[Any, ...]] = field(default_factory=list)
    rejections: list[tuple[int, str, str]] = field(default_factory=list)
    rows: int = 0


@dataclass(frozen=True)
class LoadResult:
    """What a load read (``rows_read``, ``rejected_rows``, ``problems``), what the run holds
    now (``entries``), the file format and the header names the register ignored."""

    file_format: str
    rows_read: int
    entries: int
    rejected_rows: int
    problems: int
    ignored_columns: list[str]

    def as_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def stage_row(row: RegisterRow, key: str, alt_keys: list[str] | None = None) -> tuple[Any, ...]:
    return (
        row.row_no,
        key,
        row.surname,
        row.first_name,
        row.patronymic,
        row.birth_date,
        row.sex,
        row.snils,
        row.enp,
        row.doc_type,
        row.doc_series,
        row.doc_number,
        row.address,
        row.district,
        fingerprint(row),
        alt_keys,
    )


class RegisterParser:
    """Turns the rows of one file into batches; keeps the repeats of subject keys across
    batches (``subjects.RepeatedKeys``), so it is one per file and read in order. With
    ``aliasing`` (subjects of earlier runs exist) a row with a first ЕНП or СНИЛС key carries
    its alternative keys (``subjects.alternative_keys``); without, none are computed."""

    def __init__(self, rows: Iterator[tuple[int, Any]], today: date, *, aliasing: bool = False) -> None:
        self._rows = rows
        self._today = today
        self._keys = RepeatedKeys()
        self._aliasing = aliasing

    def next_batch(self, size: int = BATCH_ROWS) -> ParsedBatch:
        batch = ParsedBatch()
        today = self._today
        for row_no, cells in self._rows:
            batch.rows += 1
            if isinstance(cells, RowShape):
                batch.rejections.append((row_no, ROW_FIELD, str(cells)))
            else:
                try:
                    row = validate_row(row_no, cells, today)
                except RowErrors as exc:
                    batch.rejections.extend((row_no, f, m) for f, m in exc.errors)
                else:
                    key = subject_key(row, cells.get(REGISTRY_PERSON))
                    unique = self._keys.unique(key)
                    alt = alternative_keys(row, key) if self._aliasing and unique == key else None
                    batch.staged.append(stage_row(row, unique, alt))
            if batch.rows >= size:
                break
        return batch


async def load_rows(
    run_id: uuid.UUID,
    rows: Iterator[tuple[int, Any]],
    *,
    today: date,
    transaction: Transaction,
    progress: Callable[[int], Awaitable[None]] | None = None,
    batch_rows: int = BATCH_ROWS,
    writers: int = WRITERS,
) -> tuple[int, int]:
    """Validate and write ``rows`` (of ``reader.RegisterFile.rows()``) as the run's register;
    returns (rows read, entries new to the run).

    The rows are parsed in a worker thread a batch ahead and written by ``writers``
    connections at once, each batch in its own transaction: one connection's writes keep
    one PostgreSQL backend (one core) busy, and the batches of one file touch disjoint
    subjects, so they never wait for each other's locks (with aliases two rows may reach one
    subject: ``RegisterRepository.write_batch`` gives the later one a subject of its own)."""
    async with transaction() as session:  # once per load: skipped on a first run (see repository)
        aliasing = await RegisterRepository(session).aliasing(run_id)
    parser = RegisterParser(rows, today, aliasing=aliasing)
    batches: asyncio.Queue[ParsedBatch | None] = asyncio.Queue(maxsize=writers)
    totals = {"read": 0, "written": 0}

    async def write() -> None:
        while (batch := await batches.get()) is not None:
            async with transaction() as session:
                totals["written"] += await RegisterRepository(session).write_batch(
                    run_id, batch.staged, batch.rejections, aliasing=aliasing
                )
            totals["read"] += batch.rows
            if progress is not None:
                await progress(totals["read"])

    async def parse() -> None:
        while (batch := await asyncio.to_thread(parser.next_batch, batch_rows)).rows:
            await batches.put(batch)
        for _ in range(writers):  # (a failed writer cancels the group: no end marks needed)
            await batches.put(None)

    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(parse())
            for _ in range(writers):
                group.create_task(write())
    except BaseExceptionGroup as failed:  # the first failure as itself (a job's cancel, a crash)
        raise failed.exceptions[0]  # noqa: B904  (it carries its own traceback)
    return totals["read"], totals["written"]


async def load_register_file(
    run_id: uuid.UUID,
    path: Path,
    *,
    today: date,
    transaction: Transaction,
    progress: Progress | None = None,
    batch_rows: int = BATCH_ROWS,
    writers: int = WRITERS,
) -> LoadResult:
    """Load the TFOMS register file at ``path`` into the run. A file that is no register
    (format, missing required columns) raises ``NotATable`` before anything is written;
    bad rows are rejected one by one and the valid rows load."""
    register: RegisterFile = await asyncio.to_thread(open_register, path)
    try:

        async def report(done: int) -> None:
            if progress is not None:
                await progress(done, register.estimate(done))

        read, _ = await load_rows(
            run_id,
            register.rows(),
            today=today,
            transaction=transaction,
            progress=report,
            batch_rows=batch_rows,
            writers=writers,
        )
    finally:
        register.close()
    return await finish_load(run_id, read, transaction, file_format=register.format, ignored=register.ignored)


async def finish_load(
    run_id: uuid.UUID, read: int, transaction: Transaction, *, file_format: str, ignored: list[str]
) -> LoadResult:
    """After the rows of a load (a file's or the registry's): fresh statistics when anything
    was read, and what the run holds now."""
    async with transaction() as session:
        repository = RegisterRepository(session)
        if read:
            await repository.analyze()
        counts: RegisterCounts = await repository.counts(run_id)
    return LoadResult(
        file_format=file_format,
        rows_read=read,
        entries=counts.entries,
        rejected_rows=counts.rejected_rows,
        problems=counts.problems,
        ignored_columns=ignored,
    )


def field_title(field_code: str) -> str:
    """The Russian name of a field of the error report («СНИЛС», «Строка целиком»)."""
    return TITLES.get(field_code, field_code)
