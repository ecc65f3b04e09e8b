"""Rules of the deviation search and list.

The search (``search``) always covers the whole region — the medians of a peer group need every
MO of it — and runs as a job (``finance.deviation_search``): started by ``POST
/deviations/searches``, by the demo after seeding, and meant to follow the monthly figures (see
docs/architecture.md, «Finance: deviations»). Its findings are upserted by (MO, month, kind,
metric): a re-run changes the figures of a finding, never duplicates it or its event, and keeps
its acknowledgement; a new finding is published as ``finance.deviation.detected`` through the
outbox in the same transaction. The list is scoped like every MO figure: own MO, founded MOs,
the region; FOMS (consolidated only) gets 403."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from finance.deviations import detect
from finance.deviations.repository import DeviationRepository
from finance.deviations.schemas import AcknowledgeIn, DeviationPage, DeviationRead
from finance.events.published import DeviationDetected
from finance.months import month_text, parse_month_text
from finance.scope import mo_scope
from oms_kit.audit import audit_access
from oms_kit.auth import Principal
from oms_kit.errors import Conflict, NotFound
from oms_kit.events import add_events
from oms_kit.pagination import PageParams

SOURCE = "finance"
Progress = Callable[[int, int | None, str], Awaitable[None]]


async def _no_progress(done: int, total: int | None, stage: str) -> None:
    return None


async def search(
    session: AsyncSession,
    *,
    wages_threshold: float = detect.WAGES_SHARE_THRESHOLD,
    progress: Progress = _no_progress,
) -> dict[str, Any]:
    """Search every MO's months; store the findings, publish the new ones. Returns counts."""
    repo = DeviationRepository(session)
    await repo.lock_search()  # one search at a time: the nightly one, a job, the demo
    await progress(0, 4, "Сбор показателей")
    figures = await repo.figures()
    profiles = await repo.profiles()
    not_allowed = await repo.not_allowed()
    fixed_assets = await repo.fixed_assets()
    await progress(1, 4, "Поиск выбросов и нарушений правил")
    findings = detect.search(figures, profiles, not_allowed, fixed_assets, wages_threshold=wages_threshold)
    await progress(2, 4, "Сохранение отклонений")
    new = await repo.save(findings)
    await progress(3, 4, "Публикация событий")
    if new:
        await add_events(
            session,
            [
                (
                    DeviationDetected(
                        deviation_id=deviation_id,
                        mo_id=f.mo_id,
                        month=f.month,
                        kind=f.kind,
                        metric=f.metric,
                        value=f.value,
                        expected=f.expected,
                        score=f.score,
                        explanation=f.explanation,
                    ),
                    str(f.mo_id),
                )
                for deviation_id, f in new
            ],
            source=SOURCE,
        )
    await progress(4, 4, "Готово")
    by_kind: dict[str, int] = {}
    for f in findings:
        by_kind[f.kind] = by_kind.get(f.kind, 0) + 1
    return {
        "mo_months": len(figures),
        "found": len(findings),
        "new": len(new),
        "by_kind": by_kind,
    }


def _read(row: Any) -> DeviationRead:
    d = row.Deviation
    return DeviationRead(
        id=d.id,
        mo_id=d.mo_id,
        mo_name=row.mo_name,
        mo_code=row.mo_code,
        month=month_text(d.month),
        kind=d.kind,
        metric=d.metric,
        value=d.value,
        expected=d.expected,
        score=d.score,
        explanation=d.explanation,
        status=d.status,
        acknowledged_by=d.acknowledged_by,
        acknowledged_at=d.acknowledged_at,
        comment=d.comment,
        detected_at=d.detected_at,
    )


async def list_deviations(
    session: AsyncSession,
    principal: Principal,
    paging: PageParams,
    *,
    mo_id: uuid.UUID | None,
    month: str | None,
    kind: str | None,
    status: str | None,
) -> DeviationPage:
    scope = await mo_scope(session, principal)
    scope.ensure_per_mo()
    if mo_id is not None:
        scope.ensure(mo_id)
    wanted: date | None = parse_month_text(month, "month") if month is not None else None
    repo = DeviationRepository(session)
    rows, total = await repo.page(
        scope, mo_id=mo_id, month=wanted, kind=kind, status=status, limit=paging.limit, offset=paging.offset
    )
    return DeviationPage(
        items=[_read(r) for r in rows],
        total=total,
        limit=paging.limit,
        offset=paging.offset,
        new_by_kind=await repo.counts(scope),
    )


async def get_deviation(
    session: AsyncSession, principal: Principal, deviation_id: uuid.UUID
) -> DeviationRead:
    scope = await mo_scope(session, principal)
    scope.ensure_per_mo()
    repo = DeviationRepository(session)
    deviation = await repo.get(deviation_id, scope)
    if deviation is None or not scope.sees(deviation.mo_id):
        raise NotFound("Отклонение не найдено")
    return _read(await repo.row(deviation_id))


async def acknowledge(
    session: AsyncSession, principal: Principal, deviation_id: uuid.UUID, body: AcknowledgeIn
) -> DeviationRead:
    """The deviation was looked into: who, when and what they say. Once."""
    scope = await mo_scope(session, principal)
    scope.ensure_per_mo()
    repo = DeviationRepository(session)
    deviation = await repo.get(deviation_id, scope, lock=True)
    if deviation is None or not scope.sees(deviation.mo_id):
        raise NotFound("Отклонение не найдено")
    if deviation.status == "acknowledged":
        raise Conflict(
            f"Отклонение уже рассмотрено: {deviation.acknowledged_by}, "
            f"{deviation.acknowledged_at:%d.%m.%Y %H:%M}"
            if deviation.acknowledged_at
            else "Отклонение уже рассмотрено"
        )
    await repo.acknowledge(deviation, principal.subject, body.comment or None, datetime.now(UTC))
    await audit_access(
        session,
        principal,
        action="update",
        resource=f"deviation:{deviation_id}",
        reason=f"рассмотрено: {body.comment}" if body.comment else "рассмотрено",
    )
    return _read(await repo.row(deviation_id))
