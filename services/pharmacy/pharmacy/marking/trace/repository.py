"""All SQL of the track-and-trace reports: what a queued report is built from and the row it
writes, the sender's claims (``FOR UPDATE SKIP LOCKED``, so several processes share the queue
without sending a report twice at once), the list and one report within the caller's scope."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from pharmacy.models import Dispense, MarkedPackage, Organization, StockBatch, StockMovement
from pharmacy.models.prescription import TraceReport
from pharmacy.scope import PharmacyScope


async def claim(session: AsyncSession, status: str, now: datetime, limit: int) -> list[TraceReport]:
    """Reports in ``status`` whose next attempt is due, oldest first (by the clock of the
    statement that queued them, so reports of one transaction go in the order queued; the id
    only settles a tie), locked for this transaction; rows another sender holds are skipped."""
    rows = await session.scalars(
        select(TraceReport)
        .where(
            TraceReport.status == status,
            or_(TraceReport.next_attempt_at.is_(None), TraceReport.next_attempt_at <= now),
        )
        .order_by(TraceReport.created_at, TraceReport.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(rows)


async def registered_places(session: AsyncSession) -> list[tuple[uuid.UUID, str | None]]:
    """Pharmacies and warehouses this service knows (id, code)."""
    rows = await session.execute(
        select(Organization.id, Organization.code).where(Organization.kind.in_(("pharmacy", "warehouse")))
    )
    return [(row[0], row[1]) for row in rows]


@dataclass(frozen=True)
class ReportFilter:
    status: str | None = None
    operation: str | None = None
    pharmacy_id: uuid.UUID | None = None
    date_from: date | None = None
    date_to: date | None = None
    sgtin: str | None = None
    dispense_id: uuid.UUID | None = None


def _conditions(scope: PharmacyScope, f: ReportFilter) -> list[Any]:
    conditions: list[Any] = []
    in_scope = scope.pharmacy_condition(TraceReport.pharmacy_id)
    if in_scope is not None:
        conditions.append(in_scope)
    if f.status:
        conditions.append(TraceReport.status == f.status)
    if f.operation:
        conditions.append(TraceReport.operation == f.operation)
    if f.pharmacy_id:
        conditions.append(TraceReport.pharmacy_id == f.pharmacy_id)
    if f.date_from:
        conditions.append(TraceReport.created_at >= datetime.combine(f.date_from, time.min).astimezone())
    if f.date_to:
        conditions.append(
            TraceReport.created_at < datetime.combine(f.date_to + timedelta(days=1), time.min).astimezone()
        )
    if f.sgtin:
        conditions.append(TraceReport.sgtins.contains([f.sgtin]))
    if f.dispense_id:
        conditions.append(TraceReport.dispense_id == f.dispense_id)
    return conditions


async def search(
    session: AsyncSession, scope: PharmacyScope, f: ReportFilter, order: list[Any], limit: int, offset: int
) -> tuple[list[TraceReport], int]:
    conditions = _conditions(scope, f)
    total = await session.scalar(select(func.count()).select_from(TraceReport).where(*conditions)) or 0
    rows = await session.scalars(
        select(TraceReport).where(*conditions).order_by(*order, TraceReport.id).limit(limit).offset(offset)
    )
    return list(rows), total


async def counts_by_status(session: AsyncSession, scope: PharmacyScope, f: ReportFilter) -> dict[str, int]:
    conditions = _conditions(scope, ReportFilter(**{**f.__dict__, "status": None}))
    rows = await session.execute(
        select(TraceReport.status, func.count()).where(*conditions).group_by(TraceReport.status)
    )
    return {row[0]: row[1] for row in rows}


async def get(
    session: AsyncSession, scope: PharmacyScope, report_id: uuid.UUID, *, lock: bool = False
) -> TraceReport | None:
    query = select(TraceReport).where(TraceReport.id == report_id)
    in_scope = scope.pharmacy_condition(TraceReport.pharmacy_id)
    if in_scope is not None:
        query = query.where(in_scope)
    if lock:
        query = query.with_for_update()
    return await session.scalar(query)


# --- what queue_disposal reads to build a report, and the row it writes -------------------------


async def organization_code(session: AsyncSession, organization_id: uuid.UUID) -> str | None:
    return await session.scalar(select(Organization.code).where(Organization.id == organization_id))


async def dispensed_at(session: AsyncSession, dispense_id: uuid.UUID) -> datetime | None:
    return await session.scalar(select(Dispense.dispensed_at).where(Dispense.id == dispense_id))


async def last_return_of(
    session: AsyncSession, pharmacy_id: uuid.UUID, sgtins: list[str]
) -> StockMovement | None:
    """The latest return movement of this pharmacy that moved any of these packages."""
    return await session.scalar(
        select(StockMovement)
        .where(
            StockMovement.pharmacy_id == pharmacy_id,
            StockMovement.kind == "return",
            StockMovement.sgtins.overlap(sgtins),
        )
        .order_by(StockMovement.booked_at.desc())
        .limit(1)
    )


async def funding_source_of(session: AsyncSession, sgtin: str) -> str | None:
    return await session.scalar(
        select(StockBatch.funding_source)
        .join(MarkedPackage, MarkedPackage.batch_id == StockBatch.id)
        .where(MarkedPackage.sgtin == sgtin)
    )


async def unit_prices(session: AsyncSession, sgtins: list[str]) -> dict[str, Decimal]:
    rows = await session.execute(
        select(MarkedPackage.sgtin, StockBatch.unit_price)
        .join(StockBatch, MarkedPackage.batch_id == StockBatch.id)
        .where(MarkedPackage.sgtin.in_(sgtins))
    )
    return {row[0]: row[1] for row in rows}


async def add_report(session: AsyncSession, report: TraceReport) -> None:
    session.add(report)
    await session.flush()
