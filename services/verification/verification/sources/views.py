"""The sources API's rules: which source, which batches a caller sees (region-wide roles all;
others what their organization uploaded and the SMEV answers), the upload job. No SQL here."""

from __future__ import annotations

import uuid

from fastapi import Request
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.auth import Principal
from oms_kit.errors import NotFound
from oms_kit.jobs import JobRead, job_read, receive_upload, submit_job
from oms_kit.pagination import Page, PageParams
from verification.sources.adapter import GovernmentSource
from verification.sources.catalogue import ADAPTERS, UnknownSource, adapter_for
from verification.sources.jobs import SOURCE_ANSWERS
from verification.sources.repository import SourceRepository
from verification.sources.schemas import BatchCounts, BatchRead, KindRead, RejectionRead, SourceRead

ANSWER_MEDIA_TYPES = ["text/csv", "application/xml", "text/xml"]


def _source(code: str) -> GovernmentSource:
    try:
        return adapter_for(code)
    except UnknownSource as exc:
        raise NotFound(str(exc), field="code") from exc


def _scope(principal: Principal) -> uuid.UUID | None:
    return None if principal.region_wide else principal.org_id


async def list_sources(session: AsyncSession) -> list[SourceRead]:
    repo = SourceRepository(session)
    records = await repo.counts_by_kind()
    batches = await repo.batch_summary()
    return [
        SourceRead(
            code=s.code,
            name=s.name,
            kinds=[KindRead(kind=k.kind, title=k.title, records=records.get(k.kind, 0)) for k in s.kinds],
            batches=batches.get(s.code, (0, None))[0],
            last_received_at=batches.get(s.code, (0, None))[1],
        )
        for s in ADAPTERS.values()
    ]


async def list_batches(
    session: AsyncSession, principal: Principal, code: str, paging: PageParams
) -> Page[BatchRead]:
    source = _source(code)
    rows, total = await SourceRepository(session).batches(
        source.code, organization_id=_scope(principal), limit=paging.limit, offset=paging.offset
    )
    items = [BatchRead(**{**r, "counts": BatchCounts(**(r["counts"] or {}))}) for r in rows]
    return Page(items=items, total=total, limit=paging.limit, offset=paging.offset)


async def list_rejections(
    session: AsyncSession, principal: Principal, code: str, batch_id: uuid.UUID, paging: PageParams
) -> Page[RejectionRead]:
    source = _source(code)
    repo = SourceRepository(session)
    batch = await repo.batch(batch_id)
    scope = _scope(principal)
    if (
        batch is None
        or batch["source"] != source.code
        or (scope is not None and batch["organization_id"] not in (None, scope))
    ):
        raise NotFound("Нет такого ответа источника", field="batch_id")
    rows = await repo.rejections(batch_id, limit=paging.limit, offset=paging.offset)
    items = [RejectionRead(row_no=r, field=f, message=m) for r, f, m in rows]
    return Page(
        items=items, total=await repo.rejection_count(batch_id), limit=paging.limit, offset=paging.offset
    )


async def start_upload(session: AsyncSession, principal: Principal, request: Request, code: str) -> JobRead:
    source = _source(code)
    job = await submit_job(
        session,
        SOURCE_ANSWERS,
        principal,
        params={"source": source.code},
        title=f"Загрузка ответа: {source.name}",
        organization_id=principal.org_id,
    )
    await receive_upload(
        session, job, request, name=f"{source.code}-answer", allowed_media_types=ANSWER_MEDIA_TYPES
    )
    return await job_read(session, job)
