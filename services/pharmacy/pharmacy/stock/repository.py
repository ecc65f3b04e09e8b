"""All SQL of the stock API (the booking itself is ``movements.book``; reservations are in
``reservations``)."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    and_,
    case,
    cast,
    func,
    literal,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY, insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.types import String

from pharmacy.models import (
    Drug,
    DrugGtin,
    InventoryLine,
    MarkedPackage,
    Organization,
    StockBatch,
    StockDocument,
    StockMovement,
)

PHARMACY_KINDS = ("pharmacy", "warehouse")


async def drug(session: AsyncSession, drug_id: uuid.UUID) -> Drug | None:
    return await session.get(Drug, drug_id)


async def drug_by_gtin(session: AsyncSession, gtin: str) -> Drug | None:
    return (
        await session.scalars(
            select(Drug).join(DrugGtin, DrugGtin.drug_id == Drug.id).where(DrugGtin.gtin == gtin)
        )
    ).one_or_none()


async def gtins_of(session: AsyncSession, drug_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, set[str]]:
    out: dict[uuid.UUID, set[str]] = {d: set() for d in drug_ids}
    rows = await session.execute(
        select(DrugGtin.drug_id, DrugGtin.gtin).where(DrugGtin.drug_id.in_(list(drug_ids)))
    )
    for drug_id, gtin in rows:
        out[drug_id].add(gtin)
    return out


async def organization(session: AsyncSession, org_id: uuid.UUID) -> Organization | None:
    return await session.get(Organization, org_id)


async def counterparties(session: AsyncSession, *, exclude: uuid.UUID | None) -> Sequence[Organization]:
    """The region's pharmacies and warehouses (the organizations' copy), by kind and code."""
    query = select(Organization).where(Organization.kind.in_(PHARMACY_KINDS))
    if exclude is not None:
        query = query.where(Organization.id != exclude)
    query = query.order_by(Organization.kind, Organization.code, Organization.name)
    return (await session.scalars(query)).all()


async def receipt(
    session: AsyncSession, pharmacy_id: uuid.UUID, number: str, day: date
) -> StockDocument | None:
    return (
        await session.scalars(
            select(StockDocument).where(
                StockDocument.kind == "receipt",
                StockDocument.pharmacy_id == pharmacy_id,
                StockDocument.number == number,
                StockDocument.doc_date == day,
            )
        )
    ).one_or_none()


async def claim_receipt(session: AsyncSession, document: StockDocument) -> bool:
    """Insert the receipt document unless the same invoice is already there (the partial unique
    index decides between concurrent requests). False — a repeat."""
    values = {
        c.key: getattr(document, c.key)
        for c in StockDocument.__table__.columns
        if getattr(document, c.key) is not None
    }
    stmt = (
        insert(StockDocument)
        .values(**values)
        .on_conflict_do_nothing(
            index_elements=["pharmacy_id", "number", "doc_date"], index_where=text("kind = 'receipt'")
        )
        .returning(StockDocument.id)
    )
    return (await session.execute(stmt)).scalar_one_or_none() is not None


async def add_document(session: AsyncSession, document: StockDocument) -> StockDocument:
    session.add(document)
    await session.flush()
    return document


async def document(
    session: AsyncSession, document_id: uuid.UUID, *, lock: bool = False
) -> StockDocument | None:
    stmt = (
        select(StockDocument).where(StockDocument.id == document_id).execution_options(populate_existing=True)
    )
    if lock:
        stmt = stmt.with_for_update()
    return (await session.scalars(stmt)).one_or_none()


async def movements_of_document(session: AsyncSession, document_id: uuid.UUID) -> Sequence[StockMovement]:
    return (
        await session.scalars(
            select(StockMovement)
            .where(StockMovement.document_id == document_id)
            .order_by(StockMovement.booked_at, StockMovement.id)
        )
    ).all()


async def documents(
    session: AsyncSession, condition: ColumnElement[bool] | None, kind: str | None, limit: int, offset: int
) -> tuple[Sequence[StockDocument], int]:
    conditions: list[ColumnElement[bool]] = []
    if condition is not None:
        conditions.append(condition)
    if kind:
        conditions.append(StockDocument.kind == kind)
    total = await session.scalar(select(func.count()).select_from(StockDocument).where(*conditions)) or 0
    rows = (
        await session.scalars(
            select(StockDocument)
            .where(*conditions)
            .order_by(StockDocument.created_at.desc(), StockDocument.id)
            .limit(limit)
            .offset(offset)
        )
    ).all()
    return rows, total


async def batch_by_identity(
    session: AsyncSession, pharmacy_id: uuid.UUID, drug_id: uuid.UUID, series: str, funding: str
) -> StockBatch | None:
    return (
        await session.scalars(
            select(StockBatch).where(
                StockBatch.pharmacy_id == pharmacy_id,
                StockBatch.drug_id == drug_id,
                StockBatch.series == series,
                StockBatch.funding_source == funding,
            )
        )
    ).one_or_none()


async def ensure_batch(
    session: AsyncSession,
    *,
    pharmacy_id: uuid.UUID,
    drug_id: uuid.UUID,
    series: str,
    funding: str,
    expiry: date,
    price: Decimal,
    low_threshold: int | None,
) -> StockBatch:
    """The batch of this identity, created empty when new (concurrent creators meet on the
    unique identity)."""
    await session.execute(
        insert(StockBatch)
        .values(
            id=uuid.uuid4(),
            pharmacy_id=pharmacy_id,
            drug_id=drug_id,
            series=series,
            funding_source=funding,
            expiry_date=expiry,
            unit_price=price,
            low_threshold=low_threshold,
        )
        .on_conflict_do_nothing(constraint="uq_stock_batch_identity")
    )
    found = await batch_by_identity(session, pharmacy_id, drug_id, series, funding)
    assert found is not None
    return found


async def batches(
    session: AsyncSession, ids: Collection[uuid.UUID]
) -> dict[uuid.UUID, tuple[StockBatch, Drug]]:
    rows = await session.execute(
        select(StockBatch, Drug)
        .join(Drug, Drug.id == StockBatch.drug_id)
        .where(StockBatch.id.in_(list(ids)))
        .execution_options(populate_existing=True)
    )
    return {b.id: (b, d) for b, d in rows}


async def packages(
    session: AsyncSession, sgtins: Collection[str], *, lock: bool = False
) -> dict[str, MarkedPackage]:
    if not sgtins:
        return {}
    stmt = (
        select(MarkedPackage)
        .where(MarkedPackage.sgtin.in_(list(sgtins)))
        .order_by(MarkedPackage.sgtin)
        .execution_options(populate_existing=True)
    )
    if lock:
        stmt = stmt.with_for_update()
    return {p.sgtin: p for p in (await session.scalars(stmt)).all()}


async def batch_packages(session: AsyncSession, batch_id: uuid.UUID, statuses: Collection[str]) -> list[str]:
    return list(
        (
            await session.scalars(
                select(MarkedPackage.sgtin)
                .where(MarkedPackage.batch_id == batch_id, MarkedPackage.status.in_(list(statuses)))
                .order_by(MarkedPackage.sgtin)
            )
        ).all()
    )


async def add_packages(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    if rows:
        await session.execute(insert(MarkedPackage).values(rows))


async def set_packages(
    session: AsyncSession,
    sgtins: Collection[str],
    *,
    status: str,
    batch_id: uuid.UUID | None = None,
    pharmacy_id: uuid.UUID | None = None,
) -> None:
    values: dict[str, Any] = {"status": status, "changed_at": func.now(), "reservation_id": None}
    if batch_id is not None:
        values["batch_id"] = batch_id
    if pharmacy_id is not None:
        values["pharmacy_id"] = pharmacy_id
    await session.execute(
        update(MarkedPackage)
        .where(MarkedPackage.sgtin.in_(list(sgtins)))
        .values(**values)
        .execution_options(synchronize_session=False)
    )


async def dispensed_on(
    session: AsyncSession, sgtins: Collection[str]
) -> dict[str, tuple[datetime, str | None]]:
    """When each package left the stock (its latest outgoing movement) and the paper behind it."""
    rows = await session.execute(
        text(
            "SELECT DISTINCT ON (s) s, m.booked_at, m.document FROM stock_movement m, "
            "unnest(m.sgtins) AS s WHERE m.sgtins && CAST(:codes AS varchar(27)[]) "
            "AND s = ANY(CAST(:codes AS varchar(27)[])) AND m.quantity < 0 ORDER BY s, m.booked_at DESC"
        ),
        {"codes": list(sgtins)},
    )
    return {r[0]: (r[1], r[2]) for r in rows}


async def inventory_lines(
    session: AsyncSession, document_id: uuid.UUID
) -> list[tuple[InventoryLine, StockBatch, Drug]]:
    rows = await session.execute(
        select(InventoryLine, StockBatch, Drug)
        .join(StockBatch, StockBatch.id == InventoryLine.batch_id)
        .join(Drug, Drug.id == StockBatch.drug_id)
        .where(InventoryLine.document_id == document_id)
        .order_by(Drug.inn, Drug.trade_name, StockBatch.series)
        .execution_options(populate_existing=True)
    )
    return [(line, batch, d) for line, batch, d in rows]


async def upsert_inventory_line(
    session: AsyncSession, document_id: uuid.UUID, batch_id: uuid.UUID, counted: int, codes: list[str] | None
) -> None:
    stmt = insert(InventoryLine).values(
        document_id=document_id, batch_id=batch_id, counted_quantity=counted, codes=codes
    )
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=["document_id", "batch_id"],
            set_={"counted_quantity": stmt.excluded.counted_quantity, "codes": stmt.excluded.codes},
        )
    )


async def fix_inventory_line(
    session: AsyncSession, document_id: uuid.UUID, batch_id: uuid.UUID, book_quantity: int, difference: int
) -> None:
    await session.execute(
        update(InventoryLine)
        .where(InventoryLine.document_id == document_id, InventoryLine.batch_id == batch_id)
        .values(book_quantity=book_quantity, difference=difference)
        .execution_options(synchronize_session=False)
    )


async def mark_posted(session: AsyncSession, document_id: uuid.UUID, by: str) -> None:
    await session.execute(
        update(StockDocument)
        .where(StockDocument.id == document_id)
        .values(status="posted", posted_by=by, posted_at=func.now())
        .execution_options(synchronize_session=False)
    )


# --- the stock list -------------------------------------------------------------------------


@dataclass(frozen=True)
class StockFilter:
    pharmacy_id: uuid.UUID | None = None
    q: str | None = None
    drug_id: uuid.UUID | None = None
    funding_source: str | None = None
    expiring_within_days: int | None = None
    below_threshold: bool = False
    include_empty: bool = False


def stock_query(
    scope_condition: ColumnElement[bool] | None, f: StockFilter, today: date, default_threshold: int
) -> Any:
    """One row per batch with the drug's free stock in the pharmacy beside it (a window over the
    pharmacy × drug), as a subquery the list sorts, pages and exports."""
    free = StockBatch.quantity - StockBatch.reserved
    drug_free = func.sum(case((StockBatch.expiry_date >= today, free), else_=0)).over(
        partition_by=(StockBatch.pharmacy_id, StockBatch.drug_id)
    )
    threshold = func.coalesce(
        func.max(StockBatch.low_threshold).over(partition_by=(StockBatch.pharmacy_id, StockBatch.drug_id)),
        default_threshold,
    )
    conditions: list[ColumnElement[bool]] = []
    if scope_condition is not None:
        conditions.append(scope_condition)
    if f.pharmacy_id is not None:
        conditions.append(StockBatch.pharmacy_id == f.pharmacy_id)
    if f.drug_id is not None:
        conditions.append(StockBatch.drug_id == f.drug_id)
    if f.q:
        like = f"%{f.q.strip()}%"
        conditions.append(or_(Drug.inn.ilike(like), Drug.trade_name.ilike(like)))
    inner = (
        select(
            StockBatch.id.label("batch_id"),
            StockBatch.pharmacy_id,
            Organization.name.label("pharmacy_name"),
            Drug.id.label("drug_id"),
            Drug.inn,
            Drug.trade_name,
            Drug.dosage_form,
            Drug.dosage,
            Drug.marked,
            StockBatch.series,
            StockBatch.expiry_date,
            cast(StockBatch.expiry_date - literal(today), Integer).label("days_to_expiry"),
            StockBatch.funding_source,
            StockBatch.unit_price,
            StockBatch.quantity,
            StockBatch.reserved,
            free.label("free"),
            cast(drug_free, Integer).label("drug_free"),
            cast(threshold, Integer).label("threshold"),
        )
        .join(Drug, Drug.id == StockBatch.drug_id)
        .outerjoin(Organization, Organization.id == StockBatch.pharmacy_id)
        .where(*conditions)
    ).subquery("stock")
    outer: list[ColumnElement[bool]] = []
    if not f.include_empty:
        outer.append(inner.c.quantity > 0)
    if f.funding_source:
        outer.append(inner.c.funding_source == f.funding_source)
    if f.expiring_within_days is not None:
        outer.append(inner.c.days_to_expiry <= f.expiring_within_days)
    if f.below_threshold:
        outer.append(inner.c.drug_free < inner.c.threshold)
    return inner, and_(*outer) if outer else None


async def stock_rows(
    session: AsyncSession,
    inner: Any,
    condition: ColumnElement[bool] | None,
    order: list[Any],
    limit: int | None,
    offset: int,
) -> tuple[list[dict[str, Any]], int]:
    base = select(inner)
    if condition is not None:
        base = base.where(condition)
    total = await session.scalar(select(func.count()).select_from(base.subquery())) or 0
    stmt = base.order_by(*order, inner.c.batch_id).offset(offset)
    if limit is not None:
        stmt = stmt.limit(limit)
    rows = (await session.execute(stmt)).mappings().all()
    return [dict(r) for r in rows], total


# --- the stock card -------------------------------------------------------------------------


async def card_batches(
    session: AsyncSession, pharmacy_id: uuid.UUID, drug_id: uuid.UUID
) -> Sequence[StockBatch]:
    return (
        await session.scalars(
            select(StockBatch)
            .where(StockBatch.pharmacy_id == pharmacy_id, StockBatch.drug_id == drug_id)
            .order_by(StockBatch.expiry_date, StockBatch.series)
        )
    ).all()


async def card_movements(
    session: AsyncSession,
    pharmacy_id: uuid.UUID,
    drug_id: uuid.UUID,
    since: datetime | None,
    until: datetime | None,
    limit: int,
    offset: int,
) -> tuple[list[dict[str, Any]], int, int]:
    """Every movement of the drug in the pharmacy in time order, the running balance over all
    its batches computed over the whole history (so a page or a period starts at the right
    balance). ``offset`` < 0: the last ``limit`` movements. Returns rows, total, the offset."""
    running = (
        select(
            StockMovement.id,
            StockMovement.booked_at,
            StockMovement.kind,
            StockMovement.quantity,
            func.sum(StockMovement.quantity)
            .over(order_by=(StockMovement.booked_at, StockMovement.id))
            .label("balance"),
            StockMovement.batch_id,
            StockBatch.series,
            StockMovement.balance_after.label("batch_balance"),
            StockMovement.document,
            StockMovement.document_id,
            StockMovement.reason,
            StockMovement.counterparty_id,
            StockMovement.prescription_id,
            StockMovement.sgtins,
            StockMovement.booked_by,
        )
        .join(StockBatch, StockBatch.id == StockMovement.batch_id)
        .where(StockMovement.pharmacy_id == pharmacy_id, StockMovement.drug_id == drug_id)
    ).subquery("card")
    conditions: list[ColumnElement[bool]] = []
    if since is not None:
        conditions.append(running.c.booked_at >= since)
    if until is not None:
        conditions.append(running.c.booked_at < until)
    total = await session.scalar(select(func.count()).select_from(running).where(*conditions)) or 0
    if offset < 0:  # the last page
        offset = max(total - limit, 0)
    rows = (
        await session.execute(
            select(running)
            .where(*conditions)
            .order_by(running.c.booked_at, running.c.id)
            .limit(limit)
            .offset(offset)
        )
    ).mappings()
    return [dict(r) for r in rows], total, offset


async def package_history(session: AsyncSession, sgtin: str) -> Sequence[StockMovement]:
    return (
        await session.scalars(
            select(StockMovement)
            .where(StockMovement.sgtins.contains(cast([sgtin], ARRAY(String(27)))))
            .order_by(StockMovement.booked_at, StockMovement.id)
        )
    ).all()
