"""The import loop shared by the job and the demo generator: rows are parsed and validated in
a worker thread a batch ahead, while the previous batch is written in its own transaction."""

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
from registry.person_import.staging import Actor, write_batch
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
) -> ImportSummary:
    """Import ``rows``; each batch is written in one ``transaction()`` (committed on exit)."""
    summary = ImportSummary()
    async for parsed in _batches(rows, ref, prefix, batch_rows):
        summary.rows_total += parsed.rows
        for row_no, field_name, message in parsed.errors:
            report.add(row_no, field_name, message)
        if parsed.staged:
            async with transaction() as session:
                outcome = await write_batch(session, parsed.staged, actor)
            summary.imported += outcome.imported
            summary.already_imported += outcome.already_imported
            for row_no, field_name in outcome.conflicts:
                report.add(row_no, field_name, CONFLICT_MESSAGES[field_name])
        if progress is not None:
            await progress(summary.rows_total)
    summary.rejected = len(report.rows)
    summary.errors = report.count
    return summary
