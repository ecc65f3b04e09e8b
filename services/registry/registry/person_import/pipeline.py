"""The import loop shared by the job and the demo generator: rows are parsed and validated in
a worker thread a batch ahead, while earlier batches are written, each in its own transaction
— by ``writers`` connections at once when the caller's transactions are independent (the job),
so PostgreSQL's work spreads over the server's cores.

Batches written at once cannot see each other's uncommitted persons, so the identifiers
(SNILS, ENP, document) of batches in flight are held here: a later row repeating one is
reported as a conflict before it reaches the database, as a repeat within one batch is."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AbstractAsyncContextManager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from registry.person_import.ids import person_id
from registry.person_import.reader import Cells, RowShape
from registry.person_import.report import ErrorReport
from registry.person_import.staging import STAGE_COLUMNS, Actor, BatchOutcome, write_batch
from registry.person_import.validation import Reference, RowErrors, validate_row

BATCH_ROWS = 5_000
Transaction = Callable[[], AbstractAsyncContextManager[AsyncSession]]
Progress = Callable[[int], Awaitable[None]]
ROW_FIELD = "—"  # the error is about the row as a whole


@dataclass
class Parsed:
    staged: list[tuple[Any, ...]] = field(default_factory=list)
    errors: list[tuple[int, str, str]] = field(default_factory=list)
    rows: int = 0


@dataclass
class ImportSummary:
    rows_total: int = 0
    imported: int = 0
    already_imported: int = 0
    rejected: int = 0
    errors: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


def parse_batch(
    rows: Iterator[tuple[int, Cells | RowShape]], ref: Reference, prefix: int, size: int
) -> Parsed:
    parsed = Parsed()
    for row_no, cells in rows:
        parsed.rows += 1
        if isinstance(cells, RowShape):
            parsed.errors.append((row_no, ROW_FIELD, str(cells)))
        else:
            try:
                parsed.staged.append(validate_row(cells, ref, person_id(prefix, row_no), row_no))
            except RowErrors as exc:
                parsed.errors.extend((row_no, f, m) for f, m in exc.errors)
        if parsed.rows >= size:
            break
    return parsed


_IDENTIFIERS = tuple(
    (field_name, STAGE_COLUMNS.index(column), STAGE_COLUMNS.index(qualifier) if qualifier else None)
    for field_name, column, qualifier in (
        ("snils", "snils", None),
        ("enp", "enp", None),
        ("document_number", "doc_key", "doc_type"),
    )
)
_ROW_NO = STAGE_COLUMNS.index("row_no")
Key = tuple[str, Any, Any]


class InFlight:
    """Identifiers of the batches being written now (claimed in file order, released at commit)."""

    def __init__(self) -> None:
        self._held: set[Key] = set()

    def claim(
        self, staged: list[tuple[Any, ...]]
    ) -> tuple[list[tuple[Any, ...]], set[Key], list[tuple[int, str]]]:
        """``(rows to write, keys they hold, (row, field) conflicts with earlier batches)``."""
        rows: list[tuple[Any, ...]] = []
        keys: set[Key] = set()
        clashes: list[tuple[int, str]] = []
        for row in staged:
            mine = [
                (name, row[index], row[qualifier] if qualifier is not None else None)
                for name, index, qualifier in _IDENTIFIERS
                if row[index] is not None
            ]
            taken = [key[0] for key in mine if key in self._held]
            if taken:
                clashes.extend((row[_ROW_NO], name) for name in taken)
                continue
            rows.append(row)
            keys.update(mine)
        self._held |= keys
        return rows, keys, clashes

    def release(self, keys: set[Key]) -> None:
        self._held -= keys


CONFLICT_MESSAGES = {
    "snils": "СНИЛС уже принадлежит другой персоне регистра (или встречается в файле выше)",
    "enp": "ЕНП уже принадлежит другой персоне регистра (или встречается в файле выше)",
    "document_number": "Документ с такими видом, серией и номером уже принадлежит другой персоне",
}


async def _batches(
    rows: Iterator[tuple[int, Cells | RowShape]], ref: Reference, prefix: int, size: int
) -> AsyncIterator[Parsed]:
    pending = asyncio.create_task(asyncio.to_thread(parse_batch, rows, ref, prefix, size))
    try:
        while True:
            parsed = await pending
            if parsed.rows == 0:
                return
            pending = asyncio.create_task(asyncio.to_thread(parse_batch, rows, ref, prefix, size))
            yield parsed
    finally:
        if not pending.done():
            pending.cancel()
            await asyncio.gather(pending, return_exceptions=True)


async def import_rows(
    rows: Iterator[tuple[int, Cells | RowShape]],
    *,
    ref: Reference,
    prefix: int,
    actor: Actor,
    transaction: Transaction,
    report: ErrorReport,
    progress: Progress | None = None,
    batch_rows: int = BATCH_ROWS,
    writers: int = 1,
) -> ImportSummary:
    """Import ``rows``; each batch is written in one ``transaction()`` (committed on exit),
    up to ``writers`` batches at once (1 when ``transaction`` hands out one shared session)."""
    summary = ImportSummary()
    in_flight = InFlight()
    writing: set[asyncio.Task[BatchOutcome]] = set()

    async def write(staged: list[tuple[Any, ...]], keys: set[Key]) -> BatchOutcome:
        try:
            async with transaction() as session:
                return await write_batch(session, staged, actor)
        finally:
            in_flight.release(keys)

    def book(outcome: BatchOutcome) -> None:
        summary.imported += outcome.imported
        summary.already_imported += outcome.already_imported
        for row_no, field_name in outcome.conflicts:
            report.add(row_no, field_name, CONFLICT_MESSAGES[field_name])

    async def settle(until: int) -> None:
        nonlocal writing
        while len(writing) > until:
            done, writing = await asyncio.wait(writing, return_when=asyncio.FIRST_COMPLETED)
            for task in done:
                book(task.result())

    try:
        async for parsed in _batches(rows, ref, prefix, batch_rows):
            summary.rows_total += parsed.rows
            for row_no, field_name, message in parsed.errors:
                report.add(row_no, field_name, message)
            staged, keys, clashes = in_flight.claim(parsed.staged)
            for row_no, field_name in clashes:
                report.add(row_no, field_name, CONFLICT_MESSAGES[field_name])
            await settle(writers - 1)
            if staged:
                writing.add(asyncio.create_task(write(staged, keys)))
            if progress is not None:
                await progress(summary.rows_total)  # read and handed to a writer
        await settle(0)
        if progress is not None:
            await progress(summary.rows_total)
    finally:
        for task in writing:
            task.cancel()
        await asyncio.gather(*writing, return_exceptions=True)
    summary.rejected = len(report.rows)
    summary.errors = report.count
    return summary
