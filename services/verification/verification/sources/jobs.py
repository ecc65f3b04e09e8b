"""Loading an uploaded answer file as a background job (``verification.source_answers``)."""

from __future__ import annotations

import asyncio
import tempfile
from typing import Any

from oms_kit.jobs import JobContext, JobFailed, JobKind
from verification.sources.adapter import UnsupportedFormat
from verification.sources.catalogue import UnknownSource, adapter_for
from verification.sources.service import load_answer_stream

FAILED = "Ответ источника не загружен"


async def run_load(ctx: JobContext) -> dict[str, Any]:
    inputs = await ctx.input_files()
    if not inputs:
        raise JobFailed(FAILED, "К заданию не приложен файл")
    upload = inputs[0]
    try:
        adapter = adapter_for(str(ctx.params.get("source")))
    except UnknownSource as exc:
        raise JobFailed(FAILED, str(exc)) from exc
    await ctx.progress(0, stage="Чтение файла")
    with tempfile.TemporaryFile(prefix="oms-source-answer-") as spool:
        async for chunk in ctx.read_file(upload.id):
            await asyncio.to_thread(spool.write, chunk)
        spool.seek(0)
        await ctx.progress(0, stage="Загрузка сведений")
        try:
            async with ctx.transaction() as session:
                result = await load_answer_stream(
                    session,
                    adapter,
                    spool,
                    upload.media_type,
                    sha256=upload.sha256,
                    file_name=upload.name,
                    organization_id=ctx.principal_org_id or ctx.organization_id,
                    received_by=ctx.created_by,
                )
        except UnsupportedFormat as exc:
            raise JobFailed("Файл не распознан", str(exc)) from exc
    await ctx.progress(result.rows, result.rows, stage="Готово")
    return {
        "source": adapter.code,
        "batch_id": str(result.batch_id),
        "repeated": result.repeated,
        **result.counts(),
    }


SOURCE_ANSWERS = JobKind(
    name="verification.source_answers",
    title="Загрузка ответа источника сведений",
    read_permission="verification.source:read",
    write_permission="verification.source:write",
    run=run_load,
)
