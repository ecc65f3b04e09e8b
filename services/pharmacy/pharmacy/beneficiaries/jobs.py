"""The load of the federal register of beneficiaries runs as a job (``pharmacy.federal_register_load``)
with its progress: read the file, check its lines, ask the registry of insured persons for the
SNILS with no person here yet (outside any transaction; the registry down — the load goes on
unmatched), apply the diff in one transaction (a failure leaves nothing half-written). The
re-matching of the beneficiaries still without a person (``pharmacy.federal_register_match``)
asks and applies the same way."""

from __future__ import annotations

import asyncio
import csv
import io
import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from typing import Any

from oms_kit.auth import Principal
from oms_kit.jobs import JobContext, JobFailed, JobKind
from pharmacy.beneficiaries import register_match, service
from pharmacy.beneficiaries.federal_file import RegisterFileError, read_register
from pharmacy.beneficiaries.registry_persons import RegistryPersons

MATCH_STAGE = "Сопоставление с регистром застрахованных"


def _actor(ctx: JobContext) -> Principal:
    return Principal(subject=ctx.created_by, org_id=ctx.principal_org_id or uuid.UUID(int=0))


async def _look_up(
    ctx: JobContext, registry: RegistryPersons | None, snils: set[str]
) -> register_match.Lookup:
    await ctx.progress(0, len(snils), stage=MATCH_STAGE)
    lookup = await register_match.look_up(registry, snils)
    await ctx.progress(len(snils), len(snils))
    return lookup


def _matching_result(outcome: dict[str, Any]) -> dict[str, Any]:
    result = {k: outcome[k] for k in ("status", "title", "detail", "matched", "unmatched")}
    result["reasons"] = outcome.get("reasons", {})  # none in loads before the counts
    return result


async def run_load(ctx: JobContext, registry: RegistryPersons | None = None) -> dict[str, Any]:
    inputs = await ctx.input_files()
    if not inputs:
        raise JobFailed("Федеральный регистр не загружен", "К заданию не приложен файл")
    size = inputs[0].size
    await ctx.progress(0, size, stage="Чтение файла")
    chunks: list[bytes] = []
    async for chunk in ctx.read_file(inputs[0].id):
        chunks.append(chunk)
        await ctx.progress(sum(len(c) for c in chunks), size)
    data = b"".join(chunks)
    await ctx.progress(0, 1, stage="Разбор и проверка строк")
    try:
        parsed = await asyncio.to_thread(read_register, data)
    except RegisterFileError as exc:
        raise JobFailed(exc.title, exc.detail) from exc
    as_of = parsed.as_of or date.fromisoformat(str(ctx.params["as_of"]))
    async with ctx.transaction() as session:
        todo = await service.snils_to_match(session, {ln.snils for ln in parsed.lines})
    lookup = await _look_up(ctx, registry, todo)
    await ctx.progress(0, 1, stage="Сравнение с регистром и запись")
    async with ctx.transaction() as session:
        load = await service.apply_federal_register(
            session,
            parsed,
            as_of=as_of,
            file_name=inputs[0].name,
            data=data,
            actor=_actor(ctx),
            job_id=ctx.job_id,
            lookup=lookup,
        )
        matching = load.matching or {}
        result = {
            "load_id": str(load.id),
            "as_of": as_of.isoformat(),
            "lines": load.lines,
            "new": load.new,
            "changed": load.changed,
            "ended": load.ended,
            "unchanged": load.unchanged,
            "refusals": load.refusals,
            "problems": len(load.problems),
            "matching": _matching_result(matching),
        }
        report = diff_report(load.changes, load.problems, matching)
    await ctx.write_file("diff-report.csv", "text/csv", report)
    await ctx.progress(1, 1, stage="Готово")
    return result


KINDS = {
    "new": "новая льгота",
    "changed": "изменена",
    "ended": "окончена",
    "problem": "ошибка строки",
    "unmatched": "не сопоставлен",
    "matching": "сопоставление не выполнено",
}

TAKEN_OVER = "льгота, внесённая вручную, теперь по федеральному регистру"


def diff_report(
    changes: list[dict[str, Any]], problems: list[dict[str, Any]], matching: dict[str, Any] | None = None
) -> bytes:
    """The load's differences, line problems and lines with no registry person (or why the
    matching was not done) as CSV (UTF-8 with BOM, «;»; SNILS masked)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Строка", "Вид", "КодЛьготы", "СНИЛС", "Сообщение"])
    for c in changes:
        taken = TAKEN_OVER if c.get("source_was") else ""
        writer.writerow([c.get("line") or "", KINDS[c["kind"]], c["category"], c["snils_masked"], taken])
    for p in problems:
        writer.writerow(
            [p["line"], KINDS["problem"], "", "", f"{p['field'] or ''}: {p['message']}".lstrip(": ")]
        )
    _matching_rows(writer, matching or {})
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _matching_rows(writer: Any, matching: dict[str, Any]) -> None:
    if matching.get("status") == "unavailable":
        message = f"{matching['title']}: {matching['detail']}; лиц без сопоставления: {matching['unmatched']}"
        writer.writerow(["", KINDS["matching"], "", "", message])
    for u in matching.get("lines", []):
        writer.writerow([u.get("line") or "", KINDS["unmatched"], "", u["snils_masked"], u["message"]])


async def run_match(ctx: JobContext, registry: RegistryPersons | None = None) -> dict[str, Any]:
    async with ctx.transaction() as session:
        todo = await service.snils_to_match(session)
    lookup = await _look_up(ctx, registry, todo)
    await ctx.progress(0, 1, stage="Запись")
    async with ctx.transaction() as session:
        outcome = (await service.rematch(session, _actor(ctx), lookup)).as_dict()
    await ctx.write_file("matching-report.csv", "text/csv", diff_report([], [], outcome))
    await ctx.progress(1, 1, stage="Готово")
    return _matching_result(outcome)


def _kind(
    name: str, title: str, run: Callable[[JobContext, RegistryPersons | None], Awaitable[dict[str, Any]]]
) -> Callable[[RegistryPersons | None], JobKind]:
    def kind(registry: RegistryPersons | None) -> JobKind:
        async def handler(ctx: JobContext) -> dict[str, Any]:
            return await run(ctx, registry)

        return JobKind(
            name=name,
            title=title,
            read_permission="pharmacy.beneficiary:read",
            write_permission="pharmacy.beneficiary:write",
            run=handler,
        )

    return kind


# The job kinds asking ``registry`` (main.py makes them with the app's registry client).
load_kind = _kind("pharmacy.federal_register_load", "Загрузка федерального регистра льготников", run_load)
match_kind = _kind(
    "pharmacy.federal_register_match", "Сопоставление льготников с регистром застрахованных", run_match
)


# What the endpoints submit (the kind's name and title); the app runs the kinds made with its
# registry client (main.py).
FEDERAL_REGISTER_LOAD = load_kind(None)
FEDERAL_REGISTER_MATCH = match_kind(None)
