"""All SQL of prescriptions: the per-series counter, the rows, the search, what a prescription
carries with it (reservations, dispense, deferred service)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from pharmacy.models import DeferredService, Prescription, PrescriptionCounter

OPEN_STATUSES = ("issued", "deferred")


async def next_number(session: AsyncSession, series: str) -> int:
    """The next number of ``series``: one ``INSERT … ON CONFLICT DO UPDATE … RETURNING``, so the
    counter row stays locked until the issuing transaction ends — concurrent issues wait for
    each other, and a rolled-back issue gives its number back (the series stays gapless)."""
    stmt = insert(PrescriptionCounter).values(series=series, last_number=1)
    upsert = stmt.on_conflict_do_update(
        index_elements=[PrescriptionCounter.series],
        set_={"last_number": PrescriptionCounter.last_number + 1},
    ).returning(PrescriptionCounter.last_number)
    number: int = (await session.execute(upsert)).scalar_one()
    return number


async def open_for_persons(session: AsyncSession, person_ids: Sequence[uuid.UUID]) -> list[Prescription]:
    """The open (issued or deferred) prescriptions of these person ids, locked for the change."""
    if not person_ids:
        return []
    stmt = (
        select(Prescription)
        .where(Prescription.person_id.in_(person_ids), Prescription.status.in_(OPEN_STATUSES))
        .order_by(Prescription.issued_on, Prescription.series, Prescription.number)
        .with_for_update()
    )
    return list((await session.scalars(stmt)).all())


async def cancel_deferred(session: AsyncSession, prescription_id: uuid.UUID) -> int:
    """The prescription's deferred-service entry (waiting or ready) cancelled."""
    result = await session.execute(
        update(DeferredService)
        .where(
            DeferredService.prescription_id == prescription_id,
            DeferredService.status.in_(("waiting", "ready")),
        )
        .values(status="cancelled")
    )
    return int(getattr(result, "rowcount", 0) or 0)


async def mark_cancelled(
    session: AsyncSession, prescription: Prescription, *, reason: str, at: datetime
) -> None:
    prescription.status = "cancelled"
    prescription.cancel_reason = reason[:500]
    prescription.cancelled_at = at
    prescription.updated_at = at
    await session.flush()
