"""The register import and export as background jobs (``registry.person_import``,
``registry.person_export``)."""

from __future__ import annotations

import asyncio
import csv
import tempfile
import uuid
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import IO, Any

from oms_kit.jobs import JobContext, JobFailed, JobKind
from oms_kit.tenancy import OrganizationCopyRepository
from registry.models import Organization
from registry.person_import import export
from registry.person_import.columns import COLUMNS
from registry.person_import.pipeline import import_rows
from registry.person_import.reader import NotATable, open_table
from registry.person_import.reference import load_reference
from registry.person_import.report import MEDIA_TYPE as REPORT_MEDIA_TYPE
from registry.person_import.report import ErrorReport
from registry.person_import.staging import Actor, analyze

FAILED = "Импорт регистра не выполнен"
IMPORT_REASON = "Импорт файла регистра застрахованных лиц"
EXPORT_PAGE = 5_000
CSV_MEDIA_TYPE = "text/csv"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def _spool(ctx: JobContext, file_id: uuid.UUID, path: Path) -> None:
    """The upload onto local disk, chunk by chunk (XLSX needs a seekable file)."""
    with path.open("wb") as out:
        async for chunk in ctx.read_file(file_id):
            await asyncio.to_thread(out.write, chunk)


def _actor(ctx: JobContext, reason: str) -> Actor:
    org_id = ctx.principal_org_id or ctx.organization_id
    assert org_id is not None
    return Actor(
        subject=ctx.created_by,
        kind=str(ctx.params.get("actor_kind", "user")),
        org_id=org_id,
        reason=reason,
        request_id=str(ctx.job_id),
    )


async def run_import(ctx: JobContext) -> dict[str, Any]:
    inputs = await ctx.input_files()
    if not inputs:
        raise JobFailed(FAILED, "К заданию не приложен файл")
    source = inputs[0]
    await ctx.progress(0, stage="Чтение файла")
    with tempfile.TemporaryDirectory(prefix="oms-person-import-") as folder:
        path = Path(folder) / "upload"
        await _spool(ctx, source.id, path)
        try:
            table = await asyncio.to_thread(open_table, path)
        except NotATable as exc:
            raise JobFailed("Файл не распознан", str(exc)) from exc
        report = ErrorReport()
        try:
            async with ctx.transaction() as session:
                ref = await load_reference(session, date.today())

            async def progress(done: int) -> None:
                await ctx.progress(done, table.estimate(done), stage="Загрузка записей")

            summary = await import_rows(
                table.rows(),
                ref=ref,
                prefix=int(ctx.params["id_prefix"]),
                actor=_actor(ctx, IMPORT_REASON),
                transaction=ctx.transaction,
                report=report,
                progress=progress,
                writers=int(ctx.params.get("writers", 1)),
            )
            if summary.imported:
                async with ctx.transaction() as session:
                    await analyze(session)
            result: dict[str, Any] = {**summary.as_dict(), "file_format": table.format}
            if report.count:
                stem = Path(source.name).stem or "register"
                written = await ctx.write_file(f"{stem}-errors.csv", REPORT_MEDIA_TYPE, report.content())
                result["error_file_id"] = str(written.id)
        finally:
            report.close()
            table.close()
    await ctx.progress(summary.rows_total, summary.rows_total, stage="Готово")
    return result


PERSON_IMPORT = JobKind(
    name="registry.person_import",
    title="Импорт регистра застрахованных лиц",
    read_permission="registry.person:write",
    write_permission="registry.person:write",
    run=run_import,
)


# --- export --------------------------------------------------------------------------------


class _Writer:
    """Rows of the export into a temporary file: CSV (UTF-8 with BOM, «;») or XLSX."""

    def __init__(self, file_format: str) -> None:
        self.format = file_format
        self._file: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115  (closed by close())
        if file_format == "xlsx":
            from openpyxl import Workbook

            self._book = Workbook(write_only=True)
            self._sheet = self._book.create_sheet("Регистр")
            self._sheet.append(list(COLUMNS))
        else:
            self._file.write("\ufeff".encode())
            self._text = _Lines()
            self._csv = csv.writer(self._text, delimiter=";", lineterminator="\r\n")
            self._csv.writerow(COLUMNS)
            self._flush()

    def _flush(self) -> None:
        self._file.write(self._text.take().encode("utf-8"))

    def add(self, rows: list[dict[str, Any]]) -> None:
        cells = [[r.get(c) for c in COLUMNS] for r in rows]
        if self.format == "xlsx":
            for line in cells:
                self._sheet.append(line)
        else:
            self._csv.writerows([["" if v is None else v for v in line] for line in cells])
            self._flush()

    async def content(self) -> AsyncIterator[bytes]:
        if self.format == "xlsx":
            await asyncio.to_thread(self._book.save, self._file)
        self._file.seek(0)
        while chunk := self._file.read(1024 * 1024):
            yield chunk

    def close(self) -> None:
        self._file.close()


class _Lines:
    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)

    def take(self) -> str:
        text, self.parts = "".join(self.parts), []
        return text


async def run_export(ctx: JobContext) -> dict[str, Any]:
    params = ctx.params
    on = date.fromisoformat(str(params["on"]))
    scope = export.ExportScope(
        on=on,
        mo_id=uuid.UUID(params["mo_id"]) if params.get("mo_id") else None,
        org_kind=params.get("scope_kind"),
        org_id=uuid.UUID(params["scope_org_id"]) if params.get("scope_org_id") else None,
    )
    file_format = str(params.get("format", "csv"))
    actor = _actor(ctx, f"Выгрузка регистра застрахованных лиц на {on:%d.%m.%Y}")
    writer = _Writer(file_format)
    count, after = 0, export.LOWEST
    try:
        async with ctx.transaction() as session:
            codes = {
                org_id: code
                for org_id, code in await OrganizationCopyRepository(session, Organization).codes()
                if code
            }
        await ctx.progress(0, stage="Выгрузка записей")
        while True:
            async with ctx.transaction() as session:
                ids = await export.page_of_persons(session, scope, after, EXPORT_PAGE)
                if not ids:
                    break
                facts = await export.facts_of(session, ids, on)
                await export.audit_export(
                    session,
                    ids,
                    actor=actor.subject,
                    kind=actor.kind,
                    org_id=actor.org_id,
                    reason=actor.reason,
                )
            rows = export.rows_of(ids, facts, on, codes)
            await asyncio.to_thread(writer.add, rows)
            count += len(ids)
            after = ids[-1]
            await ctx.progress(count, stage="Выгрузка записей")
        name = f"register-{on.isoformat()}.{file_format}"
        media_type = XLSX_MEDIA_TYPE if file_format == "xlsx" else CSV_MEDIA_TYPE
        written = await ctx.write_file(name, media_type, writer.content())
    finally:
        writer.close()
    await ctx.progress(count, count or 1, stage="Готово")
    return {"persons": count, "file_id": str(written.id), "format": file_format, "on": on.isoformat()}


PERSON_EXPORT = JobKind(
    name="registry.person_export",
    title="Выгрузка регистра застрахованных лиц",
    read_permission="registry.person:read",
    run=run_export,
)
