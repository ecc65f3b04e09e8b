"""Reservation of stock for a prescription (бронирование товарных запасов под рецепт): packages
of the earliest-expiring batches held for ``days`` days, released when the prescription is
cancelled or the reservation lapses (the periodic sweep, :func:`lapse_expired`), consumed when
the prescription is dispensed.

A reservation raises ``stock_batch.reserved`` (the quantity stays: the packages are still on the
shelf) and, for a marked drug, sets that many ``in_stock`` packages of the batch to
``reserved`` with the reservation's id. One row per batch: a prescription whose quantity no
single batch covers is reserved across several (earliest expiry first), all or nothing.

Contract with dispensing (helper D): ``consume`` marks the prescription's active reservations
``consumed`` and puts their marked packages back to ``in_stock`` (whatever package the
pharmacist scans is then taken), but leaves ``stock_batch.reserved`` as it is — the dispense
books ``movements.book(kind='dispense', release_reserved=n)`` on a reserved batch it dispenses
from, and :func:`unreserve` gives back the reserved packages of a consumed reservation on a batch
it did not dispense from."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, func, or_, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm.attributes import set_committed_value

from pharmacy.models import Drug, Organization, Reservation, StockBatch
from pharmacy.stock.errors import BadMovement, StockShortage
from pharmacy.stock.movements import check_low_stock, expire_loaded_batch
from pharmacy.stock.schemas import AvailabilityRead

_TAKE = text(
    """
    WITH b AS (
        SELECT id, LEAST(:need, quantity - reserved) AS take
          FROM stock_batch WHERE id = :batch_id FOR UPDATE
    )
    UPDATE stock_batch s SET reserved = s.reserved + b.take, updated_at = now()
      FROM b
     WHERE s.id = b.id AND b.take > 0
    RETURNING b.take
    """
)

_GIVE_BACK = text(
    """
    UPDATE stock_batch SET reserved = reserved - :n, updated_at = now()
     WHERE id = :batch_id AND reserved >= :n
    RETURNING id
    """
)

_MARK_PACKAGES = text(
    """
    UPDATE marked_package SET status = 'reserved', reservation_id = :reservation_id, changed_at = now()
     WHERE sgtin IN (
        SELECT sgtin FROM marked_package
         WHERE batch_id = :batch_id AND status = 'in_stock'
         ORDER BY received_at, sgtin
         LIMIT :n
         FOR UPDATE SKIP LOCKED
     )
    """
)

_FREE_PACKAGES = text(
    """
    UPDATE marked_package SET status = 'in_stock', reservation_id = NULL, changed_at = now()
     WHERE reservation_id = ANY(:ids) AND status = 'reserved'
    """
)


def _nsi_valid(on: date) -> ColumnElement[bool]:
    return and_(Drug.valid_from <= on, or_(Drug.valid_to.is_(None), Drug.valid_to >= on))


async def reserve(
    session: AsyncSession,
    *,
    prescription_id: uuid.UUID,
    pharmacy_id: uuid.UUID,
    inn: str,
    dosage_form: str,
    dosage: str,
    quantity: int,
    days: int,
    created_by: str,
    drug_id: uuid.UUID | None = None,
    funding_source: str | None = None,
    now: datetime | None = None,
) -> Reservation | None:
    """Hold ``quantity`` packages of the drug (``drug_id``, or any drug of the INN, form and
    dosage — compared case-insensitively) in ``pharmacy_id`` for ``days`` days: batches with
    free stock that do not expire before the reservation ends, NSI entry valid today, of
    ``funding_source`` when given, earliest expiry first. All or nothing: None (and nothing
    held) when the free stock is short. Returns the first row (earliest expiry); a reservation
    across batches has one row per batch, all found by the prescription's id."""
    if quantity <= 0:
        raise BadMovement("Количество резерва должно быть больше нуля")
    if days <= 0:
        raise BadMovement("Срок резерва — не меньше одного дня")
    moment = now or datetime.now(UTC)
    expires_at = moment + timedelta(days=days)
    today = moment.date()
    conditions = [
        StockBatch.pharmacy_id == pharmacy_id,
        StockBatch.quantity > StockBatch.reserved,
        StockBatch.expiry_date >= expires_at.date(),
        _nsi_valid(today),
    ]
    if drug_id is not None:
        conditions.append(StockBatch.drug_id == drug_id)
    else:
        conditions += [
            func.lower(Drug.inn) == inn.strip().lower(),
            func.lower(Drug.dosage_form) == dosage_form.strip().lower(),
            func.lower(Drug.dosage) == dosage.strip().lower(),
        ]
    if funding_source is not None:
        conditions.append(StockBatch.funding_source == funding_source)
    candidates = (
        await session.execute(
            select(StockBatch.id, StockBatch.drug_id)
            .join(Drug, Drug.id == StockBatch.drug_id)
            .where(*conditions)
            .order_by(StockBatch.expiry_date, StockBatch.created_at, StockBatch.id)
        )
    ).all()
    if not candidates:
        return None
    rows: list[Reservation] = []
    need = quantity
    async with session.begin_nested() as savepoint:
        for batch_id, _drug in candidates:
            taken = (await session.execute(_TAKE, {"need": need, "batch_id": batch_id})).scalar_one_or_none()
            if not taken:
                continue
            reservation = Reservation(
                id=uuid.uuid4(),
                prescription_id=prescription_id,
                pharmacy_id=pharmacy_id,
                batch_id=batch_id,
                quantity=int(taken),
                status="active",
                expires_at=expires_at,
                created_by=created_by,
            )
            session.add(reservation)
            rows.append(reservation)
            need -= int(taken)
            if need == 0:
                break
        if need > 0:
            await savepoint.rollback()
            return None
        await session.flush()
        for r in rows:
            await session.execute(
                _MARK_PACKAGES, {"reservation_id": r.id, "batch_id": r.batch_id, "n": r.quantity}
            )
    drug_of = dict(candidates)
    taken_per_drug: dict[uuid.UUID, int] = {}
    for r in rows:
        expire_loaded_batch(session, r.batch_id)
        taken_per_drug[drug_of[r.batch_id]] = taken_per_drug.get(drug_of[r.batch_id], 0) + r.quantity
    for drug, taken_of_drug in taken_per_drug.items():
        await check_low_stock(
            session, pharmacy_id=pharmacy_id, drug_id=drug, free_change=-taken_of_drug, on=today
        )
    return rows[0]


async def _close(
    session: AsyncSession,
    condition: ColumnElement[bool],
    *,
    status: str,
    reason: str,
    at: datetime,
    give_back: bool,
) -> list[Reservation]:
    """Close the active reservations matching ``condition`` (rows locked; a concurrent closer
    waits and then finds them closed). ``give_back``: lower the batches' reserved."""
    locked = list(
        (
            await session.scalars(
                select(Reservation)
                .where(Reservation.status == "active", condition)
                .order_by(Reservation.batch_id, Reservation.id)
                .with_for_update(skip_locked=status == "lapsed")
                .execution_options(populate_existing=True)
            )
        ).all()
    )
    # Another transaction may have closed a row between our snapshot and the lock.
    closed = [r for r in locked if r.status == "active"]
    if not closed:
        return []
    ids = [r.id for r in closed]
    await session.execute(
        update(Reservation)
        .where(Reservation.id.in_(ids), Reservation.status == "active")
        .values(status=status, closed_at=at, closed_reason=reason)
        .execution_options(synchronize_session=False)
    )
    if give_back:
        per_batch: dict[uuid.UUID, int] = {}
        for r in closed:
            per_batch[r.batch_id] = per_batch.get(r.batch_id, 0) + r.quantity
        for batch_id, n in sorted(per_batch.items()):
            await unreserve(session, batch_id, n)
    await session.execute(_FREE_PACKAGES, {"ids": ids})
    for r in closed:
        set_committed_value(r, "status", status)
        set_committed_value(r, "closed_at", at)
        set_committed_value(r, "closed_reason", reason)
    return closed


async def unreserve(session: AsyncSession, batch_id: uuid.UUID, quantity: int) -> None:
    """Give back ``quantity`` reserved packages of a batch to its free stock."""
    if quantity <= 0:
        return
    done = (await session.execute(_GIVE_BACK, {"n": quantity, "batch_id": batch_id})).scalar_one_or_none()
    if done is None:
        raise StockShortage(f"Недостаточно резерва: в партии {batch_id} меньше {quantity} уп. в резерве")
    expire_loaded_batch(session, batch_id)


async def release_for_prescription(session: AsyncSession, prescription_id: uuid.UUID, *, reason: str) -> int:
    """Release the prescription's active reservations (cancelled, person died, reserved
    elsewhere): reserved packages back to free stock. Returns how many packages were released
    (0 — nothing was reserved; a second call releases nothing)."""
    closed = await _close(
        session,
        Reservation.prescription_id == prescription_id,
        status="released",
        reason=reason[:40],
        at=datetime.now(UTC),
        give_back=True,
    )
    return sum(r.quantity for r in closed)


async def consume(session: AsyncSession, prescription_id: uuid.UUID) -> list[Reservation]:
    """At the dispense: the prescription's active reservations become ``consumed`` and are
    returned (empty — nothing was reserved); their marked packages are back ``in_stock``;
    ``stock_batch.reserved`` is left for the dispense to lower (see the module's doc)."""
    return await _close(
        session,
        Reservation.prescription_id == prescription_id,
        status="consumed",
        reason="dispensed",
        at=datetime.now(UTC),
        give_back=False,
    )


async def lapse_expired(session: AsyncSession, now: datetime) -> int:
    """The sweep: every active reservation whose ``expires_at`` has passed becomes ``lapsed``,
    its packages free again. Rows another transaction holds are skipped (the next sweep takes
    them). Returns how many reservations lapsed."""
    closed = await _close(
        session,
        Reservation.expires_at <= now,
        status="lapsed",
        reason="expired",
        at=now,
        give_back=True,
    )
    return len(closed)


# Free packages of one drug in one pharmacy on a date (the API's answer, returned as is).
Availability = AvailabilityRead


async def availability(
    session: AsyncSession,
    pharmacy_ids: Collection[uuid.UUID] | None,
    *,
    inn: str | None = None,
    drug_ids: Collection[uuid.UUID] | None = None,
    on: date,
) -> list[Availability]:
    """Per pharmacy × drug with free stock on ``on`` (NSI entry valid that day): the free
    packages. ``pharmacy_ids`` None — every pharmacy; ``inn`` compared case-insensitively.
    Ordered by pharmacy name, then INN and trade name."""
    if pharmacy_ids is not None and not pharmacy_ids:
        return []
    free = StockBatch.quantity - StockBatch.reserved
    conditions = [StockBatch.expiry_date >= on, StockBatch.quantity > StockBatch.reserved, _nsi_valid(on)]
    if pharmacy_ids is not None:
        conditions.append(StockBatch.pharmacy_id.in_(list(pharmacy_ids)))
    if inn:
        conditions.append(func.lower(Drug.inn) == inn.strip().lower())
    if drug_ids is not None:
        conditions.append(StockBatch.drug_id.in_(list(drug_ids)))
    stmt = (
        select(
            StockBatch.pharmacy_id,
            Organization.name,
            Drug.id,
            Drug.inn,
            Drug.trade_name,
            Drug.dosage_form,
            Drug.dosage,
            func.sum(free),
            func.coalesce(func.sum(free).filter(StockBatch.funding_source == "federal"), 0),
            func.coalesce(func.sum(free).filter(StockBatch.funding_source == "regional"), 0),
            func.min(StockBatch.expiry_date),
        )
        .join(Drug, Drug.id == StockBatch.drug_id)
        .outerjoin(Organization, Organization.id == StockBatch.pharmacy_id)
        .where(*conditions)
        .group_by(StockBatch.pharmacy_id, Organization.name, Drug.id)
        .order_by(Organization.name, Drug.inn, Drug.trade_name, StockBatch.pharmacy_id)
    )
    return [
        Availability(
            pharmacy_id=r[0],
            pharmacy_name=r[1],
            drug_id=r[2],
            inn=r[3],
            trade_name=r[4],
            dosage_form=r[5],
            dosage=r[6],
            free=int(r[7]),
            free_federal=int(r[8]),
            free_regional=int(r[9]),
            nearest_expiry=r[10],
        )
        for r in (await session.execute(stmt)).all()
    ]
