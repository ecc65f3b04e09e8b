"""A large import file is read by a job (``finance.payment_import``) with its progress; the
import row (``processing``) is made by the request, the job ends it like the request would."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from finance.exchange import repository, service
from finance.models import PaymentImport
from oms_kit.auth import Principal
from oms_kit.errors import DomainError
from oms_kit.jobs import Job, JobContext, JobFailed, JobKind, submit_job

FAILED = "Импорт платёжных документов не выполнен"


async def _fail(ctx: JobContext, import_id: uuid.UUID, title: str, detail: str) -> JobFailed:
    async with ctx.transaction() as session:
        imp = await repository.get_import(session, import_id, lock=True)
        if imp is not None:
            imp.status = "failed"
            imp.error = {"title": title, "detail": detail}
    return JobFailed(title, detail)


async def run_import(ctx: JobContext) -> dict[str, Any]:
    import_id = uuid.UUID(str(ctx.params["import_id"]))
    inputs = await ctx.input_files()
    if not inputs:
        raise await _fail(ctx, import_id, FAILED, "К заданию не приложен файл")
    size = inputs[0].size
    await ctx.progress(0, size, stage="Чтение файла")
    chunks: list[bytes] = []
    read = 0
    async for chunk in ctx.read_file(inputs[0].id):
        chunks.append(chunk)
        read += len(chunk)
        await ctx.progress(read, size)
    data = b"".join(chunks)
    await ctx.progress(0, 1, stage="Разбор и проверка документов")
    try:
        parsed = await asyncio.to_thread(service.read_file, data)
    except service.PaymentFileError as exc:
        raise await _fail(ctx, import_id, exc.title, exc.detail) from exc
    del data, chunks
    await ctx.progress(1, 1)

    async def progress(done: int, total: int | None, stage: str) -> None:
        await ctx.progress(done, total, stage=stage)

    try:
        async with ctx.transaction() as session:
            imp = await repository.get_import(session, import_id, lock=True)
            if imp is None:
                raise JobFailed(FAILED, "Импорт удалён")
            await service.process(session, imp, parsed, progress=progress)
            result = {
                "import_id": str(imp.id),
                "status": imp.status,
                "documents": imp.documents,
                "inserted": imp.inserted,
                "duplicates": imp.duplicates,
                "invalid": imp.invalid,
            }
    except DomainError as exc:  # a locked period (409): nothing written
        raise await _fail(ctx, import_id, exc.title, exc.detail) from exc
    await ctx.progress(1, 1, stage="Готово")
    return result


PAYMENT_IMPORT = JobKind(
    name="finance.payment_import",
    title="Импорт платёжных документов",
    read_permission="finance.payment_order:read",
    write_permission="finance.payment_order:write",
    run=run_import,
)


async def import_by_job(
    session: AsyncSession, principal: Principal, mo_id: uuid.UUID, file_name: str
) -> tuple[PaymentImport, Job]:
    """A large file: the import (``processing``) and the job that will read it; the request
    then attaches the upload to the job."""
    imp = service.new_import(mo_id, file_name, principal)
    job = await submit_job(
        session,
        PAYMENT_IMPORT,
        principal,
        params={"import_id": str(imp.id)},
        organization_id=mo_id,
        title=f"Импорт платёжных документов: {file_name}",
    )
    imp.job_id = job.id
    await repository.add_import(session, imp)
    return imp, job
