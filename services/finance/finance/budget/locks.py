"""Locked months: once a report over an MO's months is accepted, their figures (budget
entries, payment orders and their classification) no longer change — every writer asks here
first, in its transaction, and refuses the whole write (409) naming the months."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from finance.models import PeriodLock
from finance.months import first_of_month, month_label
from oms_kit.errors import Conflict


async def locked_months(session: AsyncSession, mo_id: uuid.UUID, months: Iterable[date]) -> list[PeriodLock]:
    wanted = sorted({first_of_month(m) for m in months})
    if not wanted:
        return []
    rows = await session.scalars(
        select(PeriodLock)
        .where(PeriodLock.mo_id == mo_id, PeriodLock.month.in_(wanted))
        .order_by(PeriodLock.month)
    )
    return list(rows)


async def ensure_months_open(session: AsyncSession, mo_id: uuid.UUID, months: Iterable[date]) -> None:
    """Conflict (409) when any of ``months`` (any day in them) of the MO is locked."""
    locks = await locked_months(session, mo_id, months)
    if locks:
        names = ", ".join(month_label(lock.month) for lock in locks)
        raise Conflict(f"Период закрыт, изменения не принимаются: {names} ({locks[0].reason})")
