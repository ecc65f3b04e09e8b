"""The review queue of possible duplicates: list it (each shown person audited as read), reject
a pair (two different people), start a scan of the register. Merging a pair is
``POST /persons/{survivor_id}/merge``, which marks the pair *merged*."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.audit import audit_access_many
from oms_kit.auth import Principal
from oms_kit.errors import Conflict, NotFound
from oms_kit.jobs import JobRead, job_read, submit_job
from oms_kit.pagination import Page, PageParams
from registry.matching.access import require_register_keeper
from registry.matching.queue_repository import DuplicateRepository
from registry.matching.repository import MatchingRepository
from registry.matching.scan import DUPLICATE_SCAN
from registry.matching.schemas import (
    DuplicateRead,
    DuplicateReject,
    DuplicateSource,
    DuplicateStatus,
    MatchReason,
    ScanRequest,
)
from registry.matching.weights import Grade
from registry.models.matching import DuplicateCandidate
from registry.person.view import summary_of


async def _reads(session: AsyncSession, rows: list[DuplicateCandidate]) -> list[DuplicateRead]:
    ids = {r.person_a for r in rows} | {r.person_b for r in rows}
    found = await MatchingRepository(session).search_rows(ids, unmerged_only=False)
    people = {p.person_id: summary_of(p) for p in found}
    return [
        DuplicateRead(
            id=r.id,
            person_a=people.get(r.person_a),
            person_b=people.get(r.person_b),
            person_a_id=r.person_a,
            person_b_id=r.person_b,
            score=r.score,
            grade=Grade(r.grade),
            reasons=[MatchReason(**reason) for reason in r.reasons],
            status=DuplicateStatus(r.status),
            source=DuplicateSource(r.source),
            job_id=r.job_id,
            found_at=r.found_at,
            resolved_at=r.resolved_at,
            resolved_by=r.resolved_by,
            resolution=r.resolution,
        )
        for r in rows
    ]


async def list_duplicates(
    session: AsyncSession,
    principal: Principal,
    *,
    status: DuplicateStatus | None,
    source: DuplicateSource | None,
    paging: PageParams,
) -> Page[DuplicateRead]:
    require_register_keeper(principal, "Очередь дубликатов")
    rows, total = await DuplicateRepository(session).page(
        status=status.value if status else None,
        source=source.value if source else None,
        limit=paging.limit,
        offset=paging.offset,
    )
    items = await _reads(session, list(rows))
    await audit_access_many(
        session,
        principal,
        [pid for r in rows for pid in (r.person_a, r.person_b)],
        action="read",
        resource="person.duplicates",
        reason="Просмотр очереди возможных дубликатов",
    )
    return Page[DuplicateRead](items=items, total=total, limit=paging.limit, offset=paging.offset)


async def reject(
    session: AsyncSession, principal: Principal, duplicate_id: uuid.UUID, data: DuplicateReject
) -> DuplicateRead:
    require_register_keeper(principal, "Решение по дубликатам")
    repo = DuplicateRepository(session)
    row = await repo.lock(duplicate_id)
    if row is None:
        raise NotFound("Пара не найдена")
    if row.status != DuplicateStatus.open.value:
        raise Conflict("По этой паре уже принято решение")
    await repo.set_status([row.id], "rejected", by=principal.subject, resolution=data.reason, resolved=True)
    await session.refresh(row)
    await audit_access_many(
        session,
        principal,
        [row.person_a, row.person_b],
        action="update",
        resource="person.duplicates",
        reason=f"Пара признана разными людьми: {data.reason}",
    )
    return (await _reads(session, [row]))[0]


async def start_scan(session: AsyncSession, principal: Principal, data: ScanRequest) -> JobRead:
    require_register_keeper(principal, "Поиск дубликатов")
    job = await submit_job(session, DUPLICATE_SCAN, principal, params={"min_grade": data.min_grade.value})
    return await job_read(session, job)
