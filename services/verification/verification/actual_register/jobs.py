"""The export jobs: ``verification.actual_register`` (CSV/XLSX/XML) and
``verification.exclusions`` (CSV/XLSX), a page of persons per transaction, each page audited."""

from __future__ import annotations

import asyncio
import uuid
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


def _principal(ctx: JobContext) -> Principal:
    org_id = ctx.principal_org_id or ctx.organization_id
    assert org_id is not None
    return Principal(subject=ctx.created_by, org_id=org_id)


async def run_actual_register(ctx: JobContext) -> dict[str, Any]:
    run_id = uuid.UUID(str(ctx.params["run_id"]))
    file_format = str(ctx.params.get("format", "csv"))
    as_of = date.fromisoformat(str(ctx.params["as_of"]))
    name = f"actual-register-{as_of.isoformat()}.{file_format}"
    writer: TableWriter | PersListWriter = (
        PersListWriter(ELEMENTS, as_of=as_of, file_name=name.rsplit(".", 1)[0])
        if file_format == "xml"
        else TableWriter(file_format, COLUMNS, "Регистр")
    )
    principal, count, after = _principal(ctx), 0, LOWEST
    try:
        await ctx.progress(0, stage="Выгрузка актуального регистра")
        while True:
            async with ctx.transaction() as session:
                repo = ExportRepository(session)
                rows = await repo.actual_page(run_id, after, PAGE)
                if not rows:
                    break
                await repo.audit(
                    principal,
                    [r["subject_id"] for r in rows],
                    resource=f"verification_run:{run_id}:actual_register",
                    reason=f"Выгрузка актуального регистра неработающих на {as_of:%d.%m.%Y}",
                )
            cells = [register_cells(r) for r in rows]
            if isinstance(writer, PersListWriter):
                await asyncio.to_thread(writer.add, cells)
            else:
                await asyncio.to_thread(writer.add, [[c[k] for k in COLUMNS] for c in cells])
            count += len(rows)
            after = (rows[-1]["row_no"], rows[-1]["subject_id"])
            await ctx.progress(count, stage="Выгрузка актуального регистра")
        written = await ctx.write_file(name, MEDIA_TYPES[file_format], writer.content())
    finally:
        writer.close()
    await ctx.progress(count, count or 1, stage="Готово")
    return {"persons": count, "file_id": str(written.id), "format": file_format, "run_id": str(run_id)}


async def run_exclusions(ctx: JobContext) -> dict[str, Any]:
    run_id = uuid.UUID(str(ctx.params["run_id"]))
    file_format = str(ctx.params.get("format", "csv"))
    as_of = date.fromisoformat(str(ctx.params["as_of"]))
    writer = TableWriter(file_format, [title for _, title in EXCLUSION_COLUMNS], "Исключённые")
    principal, count, after = _principal(ctx), 0, LOWEST
    try:
        await ctx.progress(0, stage="Выгрузка списка исключённых")
        while True:
            async with ctx.transaction() as session:
                repo = ExportRepository(session)
                rows = await repo.excluded_page(run_id, after, PAGE)
                if not rows:
                    break
                ids = sorted(
                    {
                        uuid.UUID(item["record_id"])
                        for r in rows
                        for item in r["evidence"].get("items", [])
                        if item.get("record_id")
                    }
                )
                records = await repo.source_records(ids)
                await repo.audit(
                    principal,
                    [r["subject_id"] for r in rows],
                    resource=f"verification_run:{run_id}:exclusions",
                    reason="Выгрузка списка исключённых из регистра неработающих",
                )
            await asyncio.to_thread(writer.add, [exclusion_cells(r, records) for r in rows])
            count += len(rows)
            after = (rows[-1]["row_no"], rows[-1]["subject_id"])
            await ctx.progress(count, stage="Выгрузка списка исключённых")
        written = await ctx.write_file(
            f"exclusions-{as_of.isoformat()}.{file_format}", MEDIA_TYPES[file_format], writer.content()
        )
    finally:
        writer.close()
    await ctx.progress(count, count or 1, stage="Готово")
    return {"persons": count, "file_id": str(written.id), "format": file_format, "run_id": str(run_id)}


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
