"""The export jobs: ``verification.actual_register`` (CSV/XLSX/XML) and
``verification.exclusions`` (CSV/XLSX), a page of persons per transaction, each page audited."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from oms_kit.auth import Principal
from oms_kit.jobs import JobContext, JobKind
from verification.actual_register.repository import LOWEST, ExportRepository
from verification.actual_register.rows import EXCLUSION_COLUMNS, exclusion_cells, register_cells
from verification.actual_register.writers import MEDIA_TYPES, PersListWriter, TableWriter
from verification.register.columns import COLUMNS, XML_ELEMENTS

PAGE = 5_000
ELEMENTS = {code: name for name, code in XML_ELEMENTS.items()}  # column code → PERS element
Writer = TableWriter | PersListWriter
# A page of rows after a (row number, subject) key, turned into the writer's rows.
Page = Callable[
    [ExportRepository, uuid.UUID, tuple[int, uuid.UUID]], Awaitable[tuple[list[dict[str, Any]], list[Any]]]
]


@dataclass(frozen=True)
class Export:
    name: str  # file name stem
    stage: str  # Russian, shown while the job runs
    resource: str  # audit resource suffix
    reason: str  # audit reason


async def _actual_page(
    repo: ExportRepository, run_id: uuid.UUID, after: tuple[int, uuid.UUID]
) -> tuple[list[dict[str, Any]], list[Any]]:
    rows = await repo.actual_page(run_id, after, PAGE)
    return rows, [register_cells(r) for r in rows]


async def _excluded_page(
    repo: ExportRepository, run_id: uuid.UUID, after: tuple[int, uuid.UUID]
) -> tuple[list[dict[str, Any]], list[Any]]:
    rows = await repo.excluded_page(run_id, after, PAGE)
    ids = sorted(
        {
            uuid.UUID(item["record_id"])
            for r in rows
            for item in r["evidence"].get("items", [])
            if item.get("record_id")
        }
    )
    records = await repo.source_records(ids)
    return rows, [exclusion_cells(r, records) for r in rows]


async def _export(
    ctx: JobContext, export: Export, writer: Writer, page: Page, add: Callable[[Sequence[Any]], None]
) -> dict[str, Any]:
    run_id = uuid.UUID(str(ctx.params["run_id"]))
    file_format = str(ctx.params.get("format", "csv"))
    org_id = ctx.principal_org_id or ctx.organization_id
    assert org_id is not None
    principal = Principal(subject=ctx.created_by, org_id=org_id)
    count, after = 0, LOWEST
    try:
        await ctx.progress(0, stage=export.stage)
        while True:
            async with ctx.transaction() as session:
                repo = ExportRepository(session)
                rows, cells = await page(repo, run_id, after)
                if not rows:
                    break
                await repo.audit(
                    principal,
                    [r["subject_id"] for r in rows],
                    resource=f"verification_run:{run_id}:{export.resource}",
                    reason=export.reason,
                )
            await asyncio.to_thread(add, cells)
            count += len(rows)
            after = (rows[-1]["row_no"], rows[-1]["subject_id"])
            await ctx.progress(count, stage=export.stage)
        written = await ctx.write_file(
            f"{export.name}.{file_format}", MEDIA_TYPES[file_format], writer.content()
        )
    finally:
        writer.close()
    await ctx.progress(count, count or 1, stage="Готово")
    return {"persons": count, "file_id": str(written.id), "format": file_format, "run_id": str(run_id)}


async def run_actual_register(ctx: JobContext) -> dict[str, Any]:
    as_of = date.fromisoformat(str(ctx.params["as_of"]))
    export = Export(
        name=f"actual-register-{as_of.isoformat()}",
        stage="Выгрузка актуального регистра",
        resource="actual_register",
        reason=f"Выгрузка актуального регистра неработающих на {as_of:%d.%m.%Y}",
    )
    if ctx.params.get("format") == "xml":
        xml = PersListWriter(ELEMENTS, as_of=as_of, file_name=export.name)
        return await _export(ctx, export, xml, _actual_page, xml.add)
    table = TableWriter(str(ctx.params.get("format", "csv")), COLUMNS, "Регистр")
    return await _export(
        ctx, export, table, _actual_page, lambda cells: table.add([[c[k] for k in COLUMNS] for c in cells])
    )


async def run_exclusions(ctx: JobContext) -> dict[str, Any]:
    as_of = date.fromisoformat(str(ctx.params["as_of"]))
    export = Export(
        name=f"exclusions-{as_of.isoformat()}",
        stage="Выгрузка списка исключённых",
        resource="exclusions",
        reason="Выгрузка списка исключённых из регистра неработающих",
    )
    table = TableWriter(
        str(ctx.params.get("format", "csv")), [t for _, t in EXCLUSION_COLUMNS], "Исключённые"
    )
    return await _export(ctx, export, table, _excluded_page, table.add)


ACTUAL_REGISTER_EXPORT = JobKind(
    name="verification.actual_register",
    title="Выгрузка актуального регистра неработающего населения",
    read_permission="verification.run:read",
    run=run_actual_register,
)
EXCLUSIONS_EXPORT = JobKind(
    name="verification.exclusions",
    title="Выгрузка списка исключённых из регистра",
    read_permission="verification.run:read",
    run=run_exclusions,
)
EXPORT_JOBS = [ACTUAL_REGISTER_EXPORT, EXCLUSIONS_EXPORT]
