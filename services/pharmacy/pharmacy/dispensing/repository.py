"""All SQL of dispensing: the checks' lookups, the deferred-service list, the packages taken by a
dispense (one conditional UPDATE, so two counters never take the same package), the dispense
rows."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import String, and_, bindparam, case, exists, false, func, insert, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import UUID as PgUUID
from sqlalchemy.ext.asyncio import AsyncSession

from pharmacy.models import (
    Beneficiary,
    DeferredService,
    Dispense,
    DispenseItem,
    Drug,
    DrugGtin,
    DrugListItem,
    MarkedPackage,
    Organization,
    Prescription,
    Reservation,
    StockBatch,
    TraceReport,
)

# --- the checks ---------------------------------------------------------------------------

_INN_ON_LIST = text(
    "SELECT EXISTS (SELECT 1 FROM drug_list, unnest(drug_list.inns) AS i(inn) "
    "WHERE drug_list.code = :code AND lower(i.inn) = lower(:inn))"
)


# Statements of the dispense's hot path are built once (bound parameters): building the
# expression on every call was a good part of a dispense's Python time.
_LINKED = select(
    exists().where(
        and_(
            DrugListItem.drug_list_code == bindparam("code"),
            DrugListItem.drug_id == bindparam("drug_id", type_=PgUUID(as_uuid=True)),
        )
    )
)
_NUMBER_TAKEN = select(
    exists().where(
        Prescription.series == bindparam("series"),
        Prescription.number == bindparam("number"),
        Prescription.id != bindparam("own", type_=PgUUID(as_uuid=True)),
    )
)


async def drug_on_list(session: AsyncSession, list_code: str, drug_id: uuid.UUID, inn: str) -> bool:
    """The drug is on the list: linked to it, or its МНН is among the list's МНН."""
    linked = await session.scalar(_LINKED, {"code": list_code, "drug_id": drug_id})
    if linked:
        return True
    return bool(await session.scalar(_INN_ON_LIST, {"code": list_code, "inn": inn}))


async def deferred_since(session: AsyncSession, prescription_id: uuid.UUID) -> date | None:
    """The day the prescription was accepted for deferred service (not cancelled), if it was."""
    return await session.scalar(
        select(DeferredService.requested_on).where(
            DeferredService.prescription_id == prescription_id, DeferredService.status != "cancelled"
        )
    )


async def number_taken_by_another(session: AsyncSession, series: str, number: int, own: uuid.UUID) -> bool:
    return bool(await session.scalar(_NUMBER_TAKEN, {"series": series, "number": number, "own": own}))


async def dispense_of(session: AsyncSession, prescription_id: uuid.UUID) -> Dispense | None:
    return await session.scalar(select(Dispense).where(Dispense.prescription_id == prescription_id))


# --- deferred service ----------------------------------------------------------------------


async def waiting_of_pharmacy(
    session: AsyncSession, pharmacy_id: uuid.UUID
) -> Sequence[tuple[DeferredService, Prescription]]:
    """The pharmacy's waiting deferred entries with their prescriptions, oldest first."""
    stmt = (
        select(DeferredService, Prescription)
        .join(Prescription, Prescription.id == DeferredService.prescription_id)
        .where(
            DeferredService.pharmacy_id == pharmacy_id,
            DeferredService.status == "waiting",
            Prescription.status == "deferred",
        )
        .order_by(
            DeferredService.requested_on, DeferredService.registered_at, DeferredService.prescription_id
        )
    )
    return [(d, p) for d, p in (await session.execute(stmt)).all()]


async def lock_waiting(session: AsyncSession, prescription_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    """Lock these entries if still waiting; ones another transaction is serving are skipped."""
    if not prescription_ids:
        return set()
    stmt = (
        select(DeferredService.prescription_id)
        .where(DeferredService.prescription_id.in_(prescription_ids), DeferredService.status == "waiting")
        .with_for_update(skip_locked=True)
    )
    return set((await session.scalars(stmt)).all())


async def mark_ready(session: AsyncSession, prescription_id: uuid.UUID, reservation_id: uuid.UUID) -> None:
    await session.execute(
        update(DeferredService)
        .where(DeferredService.prescription_id == prescription_id)
        .values(status="ready", reservation_id=reservation_id)
    )


# --- the prescription and its packages ------------------------------------------------------


async def prescription(
    session: AsyncSession,
    *,
    prescription_id: uuid.UUID | None = None,
    series: str | None = None,
    number: int | None = None,
    lock: bool = False,
) -> Prescription | None:
    """By id or by series + number; ``lock``: FOR UPDATE (two counters presenting the same
    prescription take turns)."""
    stmt = select(Prescription)
    if prescription_id is not None:
        stmt = stmt.where(Prescription.id == prescription_id)
    else:
        stmt = stmt.where(Prescription.series == series, Prescription.number == number)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return await session.scalar(stmt)


_HELD = (
    select(func.array_agg(Reservation.id))
    .where(Reservation.prescription_id == Prescription.id, Reservation.status == "active")
    .scalar_subquery()
)
_TO_DISPENSE = select(Prescription, _HELD).with_for_update(of=Prescription)
_TO_DISPENSE_BY_ID = _TO_DISPENSE.where(Prescription.id == bindparam("id", type_=PgUUID(as_uuid=True)))
_TO_DISPENSE_BY_NUMBER = _TO_DISPENSE.where(
    Prescription.series == bindparam("series"), Prescription.number == bindparam("number")
)


async def prescription_to_dispense(
    session: AsyncSession,
    *,
    prescription_id: uuid.UUID | None = None,
    series: str | None = None,
    number: int | None = None,
) -> tuple[Prescription, frozenset[uuid.UUID]] | None:
    """The prescription LOCKED (two counters presenting it take turns) with the ids of its
    active reservations, in one round trip."""
    params: dict[str, object]
    if prescription_id is not None:
        stmt, params = _TO_DISPENSE_BY_ID, {"id": prescription_id}
    else:
        stmt, params = _TO_DISPENSE_BY_NUMBER, {"series": series, "number": number}
    row = (await session.execute(stmt, params, execution_options={"populate_existing": True})).one_or_none()
    if row is None:
        return None
    return row[0], frozenset(row[1] or ())


async def packages(
    session: AsyncSession, sgtins: Sequence[str]
) -> dict[str, tuple[MarkedPackage, StockBatch, Drug]]:
    if not sgtins:
        return {}
    rows = (await session.execute(_PACKAGES, {"sgtins": list(sgtins)})).all()
    return {m.sgtin: (m, b, d) for m, b, d in rows}


_PACKAGES = (
    select(MarkedPackage, StockBatch, Drug)
    .join(StockBatch, StockBatch.id == MarkedPackage.batch_id)
    .join(Drug, Drug.id == StockBatch.drug_id)
    .where(MarkedPackage.sgtin == func.any(bindparam("sgtins", type_=ARRAY(String(27)))))
)


async def drugs_by_gtin(session: AsyncSession, gtins: Sequence[str]) -> dict[str, Drug]:
    if not gtins:
        return {}
    stmt = (
        select(DrugGtin.gtin, Drug)
        .join(Drug, Drug.id == DrugGtin.drug_id)
        .where(DrugGtin.gtin.in_(list(gtins)))
    )
    return {g: d for g, d in (await session.execute(stmt)).all()}


async def dispenses_info(
    session: AsyncSession, dispense_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, tuple[datetime, str, int]]:
    """When and by which prescription (series, number) these dispenses were made."""
    if not dispense_ids:
        return {}
    stmt = (
        select(Dispense.id, Dispense.dispensed_at, Prescription.series, Prescription.number)
        .join(Prescription, Prescription.id == Dispense.prescription_id)
        .where(Dispense.id.in_(list(dispense_ids)))
    )
    return {i: (at, s, n) for i, at, s, n in (await session.execute(stmt)).all()}


async def batches(
    session: AsyncSession, batch_ids: Sequence[uuid.UUID]
) -> dict[uuid.UUID, tuple[StockBatch, Drug]]:
    if not batch_ids:
        return {}
    stmt = (
        select(StockBatch, Drug)
        .join(Drug, Drug.id == StockBatch.drug_id)
        .where(StockBatch.id.in_(list(batch_ids)))
    )
    return {b.id: (b, d) for b, d in (await session.execute(stmt)).all()}


async def active_reservations(session: AsyncSession, prescription_id: uuid.UUID) -> list[Reservation]:
    stmt = select(Reservation).where(
        Reservation.prescription_id == prescription_id, Reservation.status == "active"
    )
    return list((await session.scalars(stmt)).all())


_CLAIM = text(
    """
    UPDATE marked_package
       SET status = 'dispensed', dispense_id = :dispense_id, reservation_id = NULL, changed_at = now()
     WHERE sgtin IN (
        SELECT sgtin FROM marked_package
         WHERE sgtin = ANY(:sgtins)
           AND pharmacy_id = :pharmacy_id
           AND (status = 'in_stock' OR (status = 'reserved' AND reservation_id = ANY(:reservations)))
         ORDER BY sgtin
         FOR UPDATE
     )
       AND (status = 'in_stock' OR (status = 'reserved' AND reservation_id = ANY(:reservations)))
    RETURNING sgtin
    """
).bindparams(
    bindparam("sgtins", type_=ARRAY(String(27))),
    bindparam("reservations", type_=ARRAY(PgUUID(as_uuid=True))),
)


async def claim_packages(
    session: AsyncSession,
    sgtins: Sequence[str],
    *,
    pharmacy_id: uuid.UUID,
    dispense_id: uuid.UUID,
    reservation_ids: Sequence[uuid.UUID],
) -> set[str]:
    """Mark the packages dispensed — only those still in stock here (or reserved by this
    prescription's reservations). Rows are locked in SGTIN order and the condition is
    re-checked after a concurrent transaction that held them commits: of two counters taking
    the same package exactly one gets it. Returns the SGTINs taken."""
    result = await session.execute(
        _CLAIM,
        {
            "sgtins": list(sgtins),
            "pharmacy_id": pharmacy_id,
            "dispense_id": dispense_id,
            "reservations": list(reservation_ids),
        },
    )
    return {r[0] for r in result.all()}


async def add_dispense(session: AsyncSession, dispense: Dispense, items: Sequence[DispenseItem]) -> None:
    """The dispense, then its items: two Core INSERTs (no unit of work on the hot path; the
    objects stay transient — the caller answers from them)."""
    await session.execute(_INSERT_DISPENSE, _columns(dispense))
    await session.execute(_INSERT_ITEM, [_columns(i) for i in items])


_INSERT_DISPENSE = insert(Dispense)
_INSERT_ITEM = insert(DispenseItem)


def _columns(row: Dispense | DispenseItem) -> dict[str, object]:
    values = {c.key: getattr(row, c.key) for c in row.__table__.columns}
    values["id"] = values["id"] or uuid.uuid4()
    return values


_SET_DISPENSED = text(
    "UPDATE prescription SET status = 'dispensed', pharmacy_id = :pharmacy_id, updated_at = now() "
    "WHERE id = :id"
).bindparams(
    bindparam("id", type_=PgUUID(as_uuid=True)), bindparam("pharmacy_id", type_=PgUUID(as_uuid=True))
)


async def set_dispensed(session: AsyncSession, prescription_id: uuid.UUID, pharmacy_id: uuid.UUID) -> None:
    await session.execute(_SET_DISPENSED, {"id": prescription_id, "pharmacy_id": pharmacy_id})


async def serve_deferred(session: AsyncSession, prescription_id: uuid.UUID, on: date) -> None:
    await session.execute(
        update(DeferredService)
        .where(
            DeferredService.prescription_id == prescription_id,
            DeferredService.status.in_(("waiting", "ready")),
        )
        .values(status="served", served_on=on)
        .execution_options(synchronize_session=False)
    )


async def dispense_items(
    session: AsyncSession, dispense_id: uuid.UUID
) -> list[tuple[DispenseItem, StockBatch]]:
    stmt = (
        select(DispenseItem, StockBatch)
        .join(StockBatch, StockBatch.id == DispenseItem.batch_id)
        .where(DispenseItem.dispense_id == dispense_id)
        .order_by(DispenseItem.sgtin, StockBatch.series)
    )
    return [(i, b) for i, b in (await session.execute(stmt)).all()]


async def trace_report_of(session: AsyncSession, dispense_id: uuid.UUID) -> uuid.UUID | None:
    return await session.scalar(select(TraceReport.id).where(TraceReport.dispense_id == dispense_id).limit(1))


async def beneficiary_of(session: AsyncSession, person_id: uuid.UUID) -> Beneficiary | None:
    return await session.scalar(select(Beneficiary).where(Beneficiary.person_id == person_id))


async def matching_drugs(session: AsyncSession, inn: str) -> list[Drug]:
    """Drugs of the МНН (the caller narrows by form and dosage as people write them)."""
    return list(
        (await session.scalars(select(Drug).where(func.lower(Drug.inn) == inn.strip().lower()))).all()
    )


async def free_packages(
    session: AsyncSession, pharmacy_id: uuid.UUID, drug_ids: Sequence[uuid.UUID], on: date
) -> int:
    if not drug_ids:
        return 0
    value = await session.scalar(
        select(func.coalesce(func.sum(StockBatch.quantity - StockBatch.reserved), 0)).where(
            StockBatch.pharmacy_id == pharmacy_id,
            StockBatch.drug_id.in_(list(drug_ids)),
            StockBatch.expiry_date >= on,
        )
    )
    return int(value or 0)


async def deferred_entry(session: AsyncSession, prescription_id: uuid.UUID) -> DeferredService | None:
    return await session.get(DeferredService, prescription_id)


async def add_deferred(session: AsyncSession, entry: DeferredService) -> None:
    session.add(entry)
    await session.flush()


async def set_deferred(session: AsyncSession, prescription_id: uuid.UUID) -> None:
    await session.execute(
        update(Prescription)
        .where(Prescription.id == prescription_id)
        .values(status="deferred", updated_at=func.now())
        .execution_options(synchronize_session=False)
    )


@dataclass(frozen=True)
class DeferredFilter:
    pharmacy_ids: frozenset[uuid.UUID] | None  # None — region-wide
    pharmacy_id: uuid.UUID | None = None
    statuses: tuple[str, ...] = ("waiting", "ready")
    kind: str | None = None
    inn: str | None = None


async def deferred_list(
    session: AsyncSession, f: DeferredFilter
) -> list[tuple[DeferredService, Prescription, str | None]]:
    """Ready ones first (stock reserved on arrival), then by request (the deadline follows it)."""
    stmt = (
        select(DeferredService, Prescription, Organization.name)
        .join(Prescription, Prescription.id == DeferredService.prescription_id)
        .outerjoin(Organization, Organization.id == DeferredService.pharmacy_id)
        .where(DeferredService.status.in_(f.statuses))
    )
    if f.pharmacy_ids is not None:
        stmt = stmt.where(DeferredService.pharmacy_id.in_(f.pharmacy_ids) if f.pharmacy_ids else false())
    if f.pharmacy_id is not None:
        stmt = stmt.where(DeferredService.pharmacy_id == f.pharmacy_id)
    if f.kind is not None:
        stmt = stmt.where(DeferredService.kind == f.kind)
    if f.inn:
        stmt = stmt.where(func.lower(Prescription.inn).startswith(f.inn.strip().lower(), autoescape=True))
    ready_first = case(
        (DeferredService.status == "ready", 0), (DeferredService.status == "waiting", 1), else_=2
    )
    stmt = stmt.order_by(
        ready_first,
        DeferredService.deadline,
        DeferredService.requested_on,
        Prescription.series,
        Prescription.number,
    )
    return [(d, p, n) for d, p, n in (await session.execute(stmt)).all()]
