"""All SQL of the MO–pharmacy attachment."""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import delete, func, select, text
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from pharmacy.models import Organization, PharmacyAttachment, StockBatch

PHARMACY = "pharmacy"
MO = "mo"

# Two changes of one MO's list are applied one after the other (the second sees the first).
_LOCK_MO = text("SELECT pg_advisory_xact_lock(hashtextextended('pharmacy.attachment:' || :mo_id, 0))")


async def pharmacies(
    session: AsyncSession,
    *,
    condition: Any | None,
    q: str | None,
    mo_id: uuid.UUID | None,
    order: list[Any],
    limit: int,
    offset: int,
) -> tuple[Sequence[Organization], int]:
    query = select(Organization).where(Organization.kind == PHARMACY)
    if condition is not None:
        query = query.where(condition)
    if q:
        pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        query = query.where(Organization.name.ilike(pattern) | Organization.code.ilike(pattern))
    if mo_id is not None:
        query = query.where(
            Organization.id.in_(
                select(PharmacyAttachment.pharmacy_id).where(PharmacyAttachment.mo_id == mo_id)
            )
        )
    total = int(await session.scalar(select(func.count()).select_from(query.subquery())) or 0)
    rows = await session.scalars(query.order_by(*order, Organization.id).limit(limit).offset(offset))
    return rows.all(), total


async def organization(session: AsyncSession, org_id: uuid.UUID, kind: str) -> Organization | None:
    return await session.scalar(
        select(Organization).where(Organization.id == org_id, Organization.kind == kind)
    )


async def known_ids(session: AsyncSession, ids: Iterable[uuid.UUID], kind: str) -> set[uuid.UUID]:
    wanted = list(set(ids))
    if not wanted:
        return set()
    found = await session.scalars(
        select(Organization.id).where(Organization.id.in_(wanted), Organization.kind == kind)
    )
    return set(found)


async def mos_of(
    session: AsyncSession, pharmacy_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, list[tuple[uuid.UUID, str | None, str | None]]]:
    """The MOs attached to each pharmacy (id, code, name), by MO code."""
    if not pharmacy_ids:
        return {}
    rows = await session.execute(
        select(PharmacyAttachment.pharmacy_id, PharmacyAttachment.mo_id, Organization.code, Organization.name)
        .outerjoin(Organization, Organization.id == PharmacyAttachment.mo_id)
        .where(PharmacyAttachment.pharmacy_id.in_(pharmacy_ids))
        .order_by(PharmacyAttachment.pharmacy_id, Organization.code, PharmacyAttachment.mo_id)
    )
    out: dict[uuid.UUID, list[tuple[uuid.UUID, str | None, str | None]]] = defaultdict(list)
    for pharmacy_id, mo_id, code, name in rows:
        out[pharmacy_id].append((mo_id, code, name))
    return out


async def pharmacies_of_mo(
    session: AsyncSession, mo_id: uuid.UUID
) -> list[tuple[uuid.UUID, str | None, str | None]]:
    """The pharmacies attached to the MO (id, code, name), by pharmacy code."""
    rows = await session.execute(
        select(PharmacyAttachment.pharmacy_id, Organization.code, Organization.name)
        .outerjoin(Organization, Organization.id == PharmacyAttachment.pharmacy_id)
        .where(PharmacyAttachment.mo_id == mo_id)
        .order_by(Organization.code, PharmacyAttachment.pharmacy_id)
    )
    return [(pid, code, name) for pid, code, name in rows]


async def replace_pharmacies_of_mo(
    session: AsyncSession, mo_id: uuid.UUID, pharmacy_ids: set[uuid.UUID]
) -> None:
    await session.execute(_LOCK_MO, {"mo_id": str(mo_id)})
    gone = delete(PharmacyAttachment).where(PharmacyAttachment.mo_id == mo_id)
    if pharmacy_ids:
        gone = gone.where(PharmacyAttachment.pharmacy_id.not_in(pharmacy_ids))
    await session.execute(gone)
    if pharmacy_ids:
        await session.execute(
            insert(PharmacyAttachment)
            .values([{"mo_id": mo_id, "pharmacy_id": p} for p in sorted(pharmacy_ids)])
            .on_conflict_do_nothing()
        )


async def stock_summaries(
    session: AsyncSession, pharmacy_ids: Sequence[uuid.UUID], on: date
) -> dict[uuid.UUID, dict[str, int]]:
    """Per pharmacy: drugs with free unexpired stock, packages held and reserved (unexpired),
    packages expiring within 30 days, expired packages not yet written off."""
    if not pharmacy_ids:
        return {}
    fresh = StockBatch.expiry_date >= on
    soon = fresh & (StockBatch.expiry_date < on + timedelta(days=30))
    free = fresh & (StockBatch.quantity > StockBatch.reserved)
    rows = await session.execute(
        select(
            StockBatch.pharmacy_id,
            func.count(func.distinct(StockBatch.drug_id)).filter(free),
            func.coalesce(func.sum(StockBatch.quantity).filter(fresh), 0),
            func.coalesce(func.sum(StockBatch.reserved).filter(fresh), 0),
            func.coalesce(func.sum(StockBatch.quantity).filter(soon), 0),
            func.coalesce(func.sum(StockBatch.quantity).filter(~fresh), 0),
        )
        .where(StockBatch.pharmacy_id.in_(pharmacy_ids))
        .group_by(StockBatch.pharmacy_id)
    )
    return {
        pid: {
            "drugs": int(drugs),
            "packages": int(packages),
            "reserved": int(reserved),
            "expiring_30_days": int(soon_n),
            "expired": int(expired),
        }
        for pid, drugs, packages, reserved, soon_n, expired in rows
    }
