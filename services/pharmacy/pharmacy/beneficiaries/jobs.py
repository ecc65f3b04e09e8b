"""The load of the federal register of beneficiaries runs as a job (``pharmacy.federal_register_load``)
with its progress: read the file, check its lines, apply the diff in one transaction (a failure
leaves nothing half-written)."""

from __future__ import annotations

import asyncio
import csv
import io
import uuid
from datetime import date
from typing import Any

from oms_kit.auth import Principal
from oms_kit.jobs import JobContext, JobFailed, JobKind
from pharmacy.beneficiaries import service
from pharmacy.beneficiaries.federal_file import RegisterFileError, read_register


async def run_load(ctx: JobContext) -> dict[str, Any]:
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
    await ctx.progress(0, 1, stage="Сравнение с регистром и запись")
    actor = Principal(subject=ctx.created_by, org_id=ctx.principal_org_id or uuid.UUID(int=0))
    async with ctx.transaction() as session:
        load = await service.apply_federal_register(
            session, parsed, as_of=as_of, file_name=inputs[0].name, data=data, actor=actor, job_id=ctx.job_id
        )
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
        }
        report = diff_report(load.changes, load.problems)
    await ctx.write_file("diff-report.csv", "text/csv", report)
    await ctx.progress(1, 1, stage="Готово")
    return result


KINDS = {"new": "новая льгота", "changed": "изменена", "ended": "окончена", "problem": "ошибка строки"}


def diff_report(changes: list[dict[str, Any]], problems: list[dict[str, Any]]) -> bytes:
    """The load's differences and line problems as CSV (UTF-8 with BOM, «;»; SNILS masked)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(["Строка", "Вид", "КодЛьготы", "СНИЛС", "Сообщение"])
    for c in changes:
        writer.writerow([c.get("line") or "", KINDS[c["kind"]], c["category"], c["snils_masked"], ""])
    for p in problems:
        writer.writerow(
            [p["line"], KINDS["problem"], "", "", f"{p['field'] or ''}: {p['message']}".lstrip(": ")]
        )
    return ("\ufeff" + out.getvalue()).encode("utf-8")


FEDERAL_REGISTER_LOAD = JobKind(
    name="pharmacy.federal_register_load",
    title="Загрузка федерального регистра льготников",
    read_permission="pharmacy.beneficiary:read",
    write_permission="pharmacy.beneficiary:write",
    run=run_load,
)
