"""The NSI import as a background job: the uploaded file → parsed → a new version (or none, if
the content is already stored), an error report for rejected rows and a diff against the
previous version as downloadable files."""

from __future__ import annotations

from datetime import date
from typing import Any

from oms_kit.jobs import JobContext, JobFailed, JobKind
from registry.formats.nsi import NotATable, read_table
from registry.nsi.errors import NothingToImport, VersionExists
from registry.nsi.imports import diff_report, ensure_dictionary, error_report, load_version
from registry.nsi.mapping import ColumnMap, MissingColumn, map_rows

FAILED = "Импорт справочника не выполнен"


async def run_import(ctx: JobContext) -> dict[str, Any]:
    code, version = str(ctx.params["dictionary"]), str(ctx.params["version"])
    valid_from = date.fromisoformat(str(ctx.params["valid_from"]))
    await ctx.progress(0, stage="Чтение файла")
    inputs = await ctx.input_files()
    if not inputs:
        raise JobFailed(FAILED, "К заданию не приложен файл")
    source = inputs[0]
    data = b"".join([chunk async for chunk in ctx.read_file(source.id)])
    try:
        table = read_table(data)
    except NotATable as exc:
        raise JobFailed("Файл не распознан", str(exc)) from exc

    await ctx.progress(0, stage="Проверка записей")
    async with ctx.transaction() as session:
        dictionary = await ensure_dictionary(session, code)
        if dictionary is None:
            raise JobFailed(FAILED, f"Справочника «{code}» нет")
        dictionary_name, dictionary_id = dictionary.name, dictionary.id
        try:
            mapped = map_rows(table, ColumnMap.from_json(dictionary.columns), version_valid_from=valid_from)
        except MissingColumn as exc:
            raise JobFailed("В файле нет нужной колонки", str(exc)) from exc
    report = None
    if mapped.errors:
        report = await ctx.write_file(
            f"nsi-{code}-{version}-errors.csv", "text/csv", error_report(mapped.errors)
        )

    async def progress(done: int, total: int) -> None:
        await ctx.progress(done, total, stage="Запись версии")

    try:
        async with ctx.transaction() as session:
            dictionary = await ensure_dictionary(session, code)
            assert dictionary is not None and dictionary.id == dictionary_id
            outcome = await load_version(
                session,
                dictionary,
                mapped,
                version=version,
                valid_from=valid_from,
                job_id=ctx.job_id,
                source_name=source.name,
                progress=progress,
            )
            diff = (
                await diff_report(session, outcome.previous_version_id, outcome.version_id)
                if outcome.created
                else None
            )
    except NothingToImport as exc:
        hint = " (ошибки по строкам — в файле ошибок)" if report else ""
        raise JobFailed(FAILED, f"{exc}{hint}") from exc
    except VersionExists as exc:
        raise JobFailed(FAILED, exc.detail) from exc

    result = outcome.summary()
    result["dictionary_name"] = dictionary_name
    result["file_format"] = table.format
    result["rows_total"] = len(table.rows) + len(table.problems)
    if report is not None:
        result["error_file_id"] = str(report.id)
    if diff is not None:
        previous = outcome.previous_version or "empty"
        written = await ctx.write_file(f"nsi-{code}-diff-{previous}-{version}.csv", "text/csv", diff)
        result["diff_file_id"] = str(written.id)
    await ctx.progress(outcome.rows_imported, outcome.rows_imported or 1, stage="Готово")
    return result


NSI_IMPORT = JobKind(
    name="registry.nsi_import",
    title="Импорт справочника НСИ",
    read_permission="registry.nsi:read",
    write_permission="registry.nsi:write",
    run=run_import,
)


def import_params(code: str, version: str, valid_from: date) -> dict[str, Any]:
    return {"dictionary": code, "version": version, "valid_from": valid_from.isoformat()}
