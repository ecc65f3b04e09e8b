"""All SQL of dispensing: the checks' lookups, the deferred-service list, the packages taken by a
dispense (one conditional UPDATE, so two counters never take the same package), the dispense
rows."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TypeVar

from sqlalchemy import (
    ColumnElement,
    String,
    and_,
    bindparam,
    case,
    exists,
    false,
    func,
    insert,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import UUID as PgUUID
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import configure_mappers
from sqlalchemy.orm.instrumentation import manager_of_class

from oms_kit.db import asyncpg_connection
from oms_kit.events.envelope import EventPayload
from oms_kit.events.outbox import _envelope
from pharmacy.beneficiaries.entitlement_rows import CategoryRow, EntitlementRow, entitlement_pairs
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
from pharmacy.stock import movements

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


def _free_for(prescription_id: uuid.UUID) -> ColumnElement[int]:
    """Packages of the batch free for this prescription: ``quantity - reserved`` plus what its
    active reservations hold on the batch."""
    held = (
        select(func.coalesce(func.sum(Reservation.quantity), 0))
        .where(
            Reservation.batch_id == StockBatch.id,
            Reservation.prescription_id == prescription_id,
            Reservation.status == "active",
        )
        .scalar_subquery()
    )
    return StockBatch.quantity - StockBatch.reserved + held


async def batches(
    session: AsyncSession, batch_ids: Sequence[uuid.UUID], prescription_id: uuid.UUID
) -> dict[uuid.UUID, tuple[StockBatch, Drug, int]]:
    """The batches with their drug and the packages free for the prescription (:func:`_free_for`)."""
    if not batch_ids:
        return {}
    stmt = (
        select(StockBatch, Drug, _free_for(prescription_id))
        .join(Drug, Drug.id == StockBatch.drug_id)
        .where(StockBatch.id.in_(list(batch_ids)))
    )
    return {b.id: (b, d, int(n)) for b, d, n in (await session.execute(stmt)).all()}


async def active_reservations(session: AsyncSession, prescription_id: uuid.UUID) -> list[Reservation]:
    stmt = select(Reservation).where(
        Reservation.prescription_id == prescription_id, Reservation.status == "active"
    )
    return list((await session.scalars(stmt)).all())


def _claim_sql(*, sgtins: str, pharmacy_id: str, reservations: str, dispense_id: str) -> str:
    """The claim of scanned packages (the one mechanism that keeps two counters from taking one
    package): the rows locked in SGTIN order, then updated only while still in stock here or
    reserved by this prescription's reservations — PostgreSQL re-checks the condition against
    the row a concurrent holder committed. Arguments: the statement's placeholders."""
    taken = f"(status = 'in_stock' OR (status = 'reserved' AND reservation_id = ANY({reservations})))"
    return f"""
    UPDATE marked_package
       SET status = 'dispensed', dispense_id = {dispense_id}, reservation_id = NULL, changed_at = now()
     WHERE sgtin IN (
        SELECT sgtin FROM marked_package
         WHERE sgtin = ANY({sgtins}) AND pharmacy_id = {pharmacy_id} AND {taken}
         ORDER BY sgtin
         FOR UPDATE
     )
       AND {taken}
    RETURNING sgtin
    """  # noqa: S608 (the placeholders only)


_CLAIM = _claim_sql(
    sgtins="$1::varchar[]", pharmacy_id="$2::uuid", reservations="$3::uuid[]", dispense_id="$4::uuid"
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
    conn = await session.connection()
    result = await conn.exec_driver_sql(
        _CLAIM, (list(sgtins), pharmacy_id, list(reservation_ids), dispense_id)
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


async def dispense_with(
    session: AsyncSession, dispense_id: uuid.UUID
) -> tuple[Dispense, Prescription, Drug] | None:
    """One dispense with its prescription and drug (one round trip); ``None`` if there is none."""
    stmt = (
        select(Dispense, Prescription, Drug)
        .join(Prescription, Prescription.id == Dispense.prescription_id)
        .join(Drug, Drug.id == Dispense.drug_id)
        .where(Dispense.id == dispense_id)
    )
    row = (await session.execute(stmt)).one_or_none()
    return (row[0], row[1], row[2]) if row is not None else None


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


async def batches_to_fill(
    session: AsyncSession,
    *,
    pharmacy_id: uuid.UUID,
    drug_ids: Sequence[uuid.UUID],
    prescription_id: uuid.UUID,
    on: date,
) -> list[tuple[StockBatch, Drug, int]]:
    """The pharmacy's batches of these drugs not expired on ``on`` with packages free for this
    prescription (:func:`_free_for`), earliest expiry first (FEFO), each with its drug and that
    free count."""
    if not drug_ids:
        return []
    free = _free_for(prescription_id)
    stmt = (
        select(StockBatch, Drug, free.label("free"))
        .join(Drug, Drug.id == StockBatch.drug_id)
        .where(
            StockBatch.pharmacy_id == pharmacy_id,
            StockBatch.drug_id.in_(list(drug_ids)),
            StockBatch.expiry_date >= on,
            free > 0,
        )
        .order_by(StockBatch.expiry_date, StockBatch.series, StockBatch.id)
    )
    return [(b, d, int(n)) for b, d, n in (await session.execute(stmt)).all()]


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


# --- the dispense in two statements ----------------------------------------------------------
#
# The dispense reads every fact its checks need in ONE statement (:func:`dispense_facts`) and
# writes everything but the batch booking in ONE statement (:func:`write_dispense`); the batch
# is then booked by ``stock.movements.book`` (its own conditional UPDATE). Both statements are
# plain SQL sent straight to the session's asyncpg connection, inside its transaction
# (``oms_kit.db.asyncpg_connection``: prepared once per connection by asyncpg's statement cache;
# no ORM, expression compilation or SQLAlchemy cursor layer on the hot path — measured, that
# layer cost ~0.25 ms of Python per statement, more than asyncpg itself).

_T = TypeVar("_T")


def transient(cls: type[_T], values: dict[str, Any]) -> _T:
    """A transient row object holding ``values`` as loaded attributes — as the ORM fills the
    rows it loads (straight into the instance's dict), ~20× cheaper than the constructor's
    per-attribute events. For the rows the dispense reads and answers from; never added to the
    session."""
    if not _configured:
        configure_mappers()
        _configured.append(True)
    row: _T = manager_of_class(cls).new_instance()
    row.__dict__.update(values)
    return row


_configured: list[bool] = []

_PRESCRIPTION_COLUMNS = tuple(c.key for c in Prescription.__table__.columns)
assert all(c.key == c.name for c in Prescription.__table__.columns)

_FACTS = """
SELECT {columns},
       (SELECT array_agg(r.id) FROM reservation r
         WHERE r.prescription_id = p.id AND r.status = 'active') AS x_held,
       (SELECT d.dispensed_at FROM dispense d WHERE d.prescription_id = p.id) AS x_dispensed_at,
       (SELECT ds.requested_on FROM deferred_service ds
         WHERE ds.prescription_id = p.id AND ds.status <> 'cancelled') AS x_deferred_since,
       EXISTS (SELECT 1 FROM prescription o
                WHERE o.series = p.series AND o.number = p.number AND o.id <> p.id) AS x_number_taken,
       (SELECT o.code FROM organization o WHERE o.id = $4) AS x_pharmacy_code,
       e.registered AS x_registered, e.death AS x_death, v.temporary_until AS x_temporary_until,
       v.home_region AS x_home_region, e.entitlements AS x_entitlements, e.refused AS x_refused,
       array(SELECT row(m.sgtin, m.pharmacy_id, m.status, m.reservation_id, m.dispense_id, m.batch_id,
                        b.pharmacy_id, b.drug_id, b.series, b.expiry_date, b.funding_source, b.unit_price,
                        dd.dispensed_at, dp.series, dp.number)
               FROM marked_package m
               JOIN stock_batch b ON b.id = m.batch_id
               LEFT JOIN dispense dd ON dd.id = m.dispense_id
               LEFT JOIN prescription dp ON dp.id = dd.prescription_id
              WHERE m.sgtin = ANY($2::varchar[])) AS x_packages,
       array(SELECT row(d.id, d.inn, d.trade_name, d.dosage_form, d.dosage, d.package_quantity, d.marked,
                        d.valid_from, d.valid_to,
                        array(SELECT g.gtin FROM drug_gtin g
                               WHERE g.drug_id = d.id AND g.gtin = ANY($3::varchar[])),
                        array(SELECT li.drug_list_code FROM drug_list_item li WHERE li.drug_id = d.id
                              UNION
                              SELECT dl.code FROM drug_list dl
                               WHERE EXISTS (SELECT 1 FROM unnest(dl.inns) AS i(inn)
                                              WHERE lower(i.inn) = lower(d.inn))))
               FROM drug d
              WHERE d.id IN (SELECT b.drug_id FROM marked_package m JOIN stock_batch b ON b.id = m.batch_id
                              WHERE m.sgtin = ANY($2::varchar[]))
                 OR d.id IN (SELECT g.drug_id FROM drug_gtin g WHERE g.gtin = ANY($3::varchar[]))) AS x_drugs
  FROM prescription p
 CROSS JOIN LATERAL (
        SELECT s.id || array(SELECT m.merged_id FROM person_merge m
                              WHERE m.survivor_id = s.id[1] AND NOT m.undone
                                AND m.merged_id <> s.id[1]) AS ids
          FROM (SELECT ARRAY[coalesce((SELECT pm.survivor_id FROM person_merge pm
                                        WHERE pm.merged_id = p.person_id AND NOT pm.undone
                                        ORDER BY pm.event_time DESC LIMIT 1), p.person_id)] AS id) s
       ) same
 CROSS JOIN LATERAL (
        SELECT EXISTS (SELECT 1 FROM beneficiary b WHERE b.person_id = ANY(same.ids)) AS registered,
               (SELECT min(pd.death_date) FROM person_death pd
                 WHERE pd.person_id = ANY(same.ids) AND NOT pd.retracted) AS death,
               array(SELECT row(en.category_code, en.valid_from, en.valid_to, c.name, c.funding_source,
                                c.drug_list_code, c.discount_percent, c.icd10, c.in_kind_refusable)
                       FROM entitlement en
                       JOIN beneficiary b ON b.id = en.beneficiary_id
                       JOIN benefit_category c ON c.code = en.category_code
                      WHERE b.person_id = ANY(same.ids)
                      ORDER BY en.valid_from, en.category_code) AS entitlements,
               array(SELECT r.year FROM in_kind_refusal r JOIN beneficiary b ON b.id = r.beneficiary_id
                      WHERE b.person_id = ANY(same.ids)) AS refused
       ) e
  LEFT JOIN LATERAL (
        SELECT b.temporary_until, b.home_region FROM beneficiary b
         WHERE b.person_id = ANY(same.ids)
         ORDER BY array_position(same.ids, b.person_id) LIMIT 1
       ) v ON true
 WHERE {where}
   FOR UPDATE OF p
"""
_COLUMNS_SQL = ", ".join(f"p.{c}" for c in _PRESCRIPTION_COLUMNS)
_FACTS_BY_ID = _FACTS.format(
    columns=_COLUMNS_SQL, where="p.id = $1::uuid AND $5::text IS NULL AND $6::int IS NULL"
)
_FACTS_BY_NUMBER = _FACTS.format(
    columns=_COLUMNS_SQL, where="$1::uuid IS NULL AND p.series = $5::text AND p.number = $6::int"
)


@dataclass(frozen=True, slots=True)
class ScannedPackage:
    """A scanned package as the dispense found it, its batch, and (when dispensed) when and by
    which prescription."""

    package: MarkedPackage
    batch: StockBatch
    dispensed: tuple[datetime, str, int] | None


@dataclass(frozen=True, slots=True)
class DispenseFacts:
    """Everything the dispense's checks read, in one statement (:func:`dispense_facts`)."""

    prescription: Prescription  # locked FOR UPDATE
    held: frozenset[uuid.UUID]  # active reservations' ids
    dispensed_at: datetime | None  # its dispense, if one exists
    deferred_since: date | None
    number_taken: bool
    pharmacy_code: str | None
    registered: bool
    death: date | None
    temporary_until: date | None
    home_region: str | None
    entitlements: tuple[tuple[EntitlementRow, CategoryRow], ...]
    refused_years: frozenset[int]
    packages: dict[str, ScannedPackage]  # by SGTIN
    drugs: dict[uuid.UUID, Drug]  # of the packages' batches and of the scanned GTINs
    drug_lists: dict[uuid.UUID, frozenset[str]]  # the lists each drug is on
    drug_by_gtin: dict[str, Drug]


async def dispense_facts(
    session: AsyncSession,
    *,
    prescription_id: uuid.UUID | None,
    series: str | None,
    number: int | None,
    pharmacy_id: uuid.UUID,
    sgtins: Sequence[str],
    gtins: Sequence[str],
) -> DispenseFacts | None:
    """The prescription LOCKED (two counters presenting it take turns) with its reservations,
    dispense, deferral and number's uniqueness; the person's entitlement facts (over merges);
    the scanned packages with their batches and earlier dispenses; the drugs with their GTINs
    and lists; the pharmacy's code (its МДЛП subject). One round trip."""
    sql = _FACTS_BY_ID if prescription_id is not None else _FACTS_BY_NUMBER
    conn = await asyncpg_connection(session)
    m = await conn.fetchrow(sql, prescription_id, list(sgtins), list(gtins), pharmacy_id, series, number)
    if m is None:
        return None
    prescription = transient(Prescription, {c: m[c] for c in _PRESCRIPTION_COLUMNS})
    drugs: dict[uuid.UUID, Drug] = {}
    lists: dict[uuid.UUID, frozenset[str]] = {}
    by_gtin: dict[str, Drug] = {}
    for d in m["x_drugs"]:
        drug = transient(
            Drug,
            {
                "id": d[0],
                "inn": d[1],
                "trade_name": d[2],
                "dosage_form": d[3],
                "dosage": d[4],
                "package_quantity": d[5],
                "marked": d[6],
                "valid_from": d[7],
                "valid_to": d[8],
            },
        )
        drugs[drug.id] = drug
        lists[drug.id] = frozenset(d[10] or ())
        for gtin in d[9] or ():
            by_gtin[gtin] = drug
    packages: dict[str, ScannedPackage] = {}
    for k in m["x_packages"]:
        package = transient(
            MarkedPackage,
            {
                "sgtin": k[0],
                "pharmacy_id": k[1],
                "status": k[2],
                "reservation_id": k[3],
                "dispense_id": k[4],
                "batch_id": k[5],
            },
        )
        batch = transient(
            StockBatch,
            {
                "id": k[5],
                "pharmacy_id": k[6],
                "drug_id": k[7],
                "series": k[8],
                "expiry_date": k[9],
                "funding_source": k[10],
                "unit_price": k[11],
            },
        )
        packages[k[0]] = ScannedPackage(package, batch, (k[12], k[13], k[14]) if k[12] is not None else None)
    return DispenseFacts(
        prescription=prescription,
        held=frozenset(m["x_held"] or ()),
        dispensed_at=m["x_dispensed_at"],
        deferred_since=m["x_deferred_since"],
        number_taken=m["x_number_taken"],
        pharmacy_code=m["x_pharmacy_code"],
        registered=m["x_registered"],
        death=m["x_death"],
        temporary_until=m["x_temporary_until"],
        home_region=m["x_home_region"],
        entitlements=entitlement_pairs(m["x_entitlements"]),
        refused_years=frozenset(m["x_refused"]),
        packages=packages,
        drugs=drugs,
        drug_lists=lists,
        drug_by_gtin=by_gtin,
    )


_WRITE = """
WITH audit AS (
    INSERT INTO audit_log (id, actor, actor_kind, actor_org_id, person_id, action, resource, reason,
                           request_id)
    VALUES (gen_random_uuid(), $1::text, $2::text, $3::uuid, $4::uuid, 'dispense', $5::text, NULL, $6::text)
    RETURNING 1
), claimed AS ({claim}), whole AS (
    SELECT count(*) = cardinality($8::varchar[]) AS ok FROM claimed
), d AS (
    INSERT INTO dispense (id, prescription_id, pharmacy_id, mo_id, pharmacist_subject, dispensed_at,
                          quantity, amount, funding_source, drug_id)
    SELECT $7::uuid, $11::uuid, $9::uuid, $12::uuid, $1::text, $13::timestamptz, $14::int, $15::numeric,
           $16::text, $17::uuid
      FROM whole WHERE whole.ok
    RETURNING id
), items AS (
    INSERT INTO dispense_item (id, dispense_id, batch_id, sgtin, unit_price)
    SELECT gen_random_uuid(), d.id, i.batch_id, i.sgtin, i.unit_price
      FROM d, unnest($18::uuid[], $19::varchar[], $20::numeric[]) AS i(batch_id, sgtin, unit_price)
    RETURNING 1
), prescribed AS (
    UPDATE prescription SET status = 'dispensed', pharmacy_id = $9::uuid, updated_at = now()
     WHERE id = $11::uuid AND EXISTS (SELECT 1 FROM d)
    RETURNING 1
), served AS (
    UPDATE deferred_service SET status = 'served', served_on = $21::date
     WHERE prescription_id = $11::uuid AND status IN ('waiting', 'ready') AND $22::boolean
       AND EXISTS (SELECT 1 FROM d)
    RETURNING 1
), reported AS (
    INSERT INTO trace_report (id, idempotency_key, operation, pharmacy_id, dispense_id, sgtins, document,
                              status, attempts, details)
    SELECT $23::uuid, $24::text, $25::text, $9::uuid, $7::uuid, $26::jsonb, $27::text, 'queued', 0, $28::jsonb
      FROM d WHERE $27::text IS NOT NULL
    RETURNING 1
), published AS (
    INSERT INTO outbox_event (id, type, envelope) SELECT $29::uuid, $30::text, $31::jsonb FROM d
    RETURNING 1
)"""
_WRITE = _WRITE.format(
    claim=_claim_sql(
        sgtins="$8::varchar[]", pharmacy_id="$9::uuid", reservations="$10::uuid[]", dispense_id="$7::uuid"
    )
)
_CLAIMED = "\nSELECT array(SELECT sgtin FROM claimed) AS claimed"
# …and the batch booked in the same statement (stock.movements' booking, under the claim):
_BOOKING = movements.booking_sql(
    {
        "id": "$32::uuid",
        "batch_id": "$33::uuid",
        "delta": "$34::int",
        "release": "$35::int",
        "kind": "'dispense'",
        "reason": "NULL::varchar",
        "document": "$36::text",
        "counterparty_id": "NULL::uuid",
        "prescription_id": "$11::uuid",
        "sgtins": "$37::varchar[]",
        "comment": "NULL::varchar",
        "document_id": "NULL::uuid",
        "on": "$38::date",
        "booked_by": "$1::text",
    },
    # only when the packages were claimed; and after every other row is written (their CTEs
    # read first): the batch row — which every counter of the pharmacy books — is locked last
    guard="EXISTS (SELECT 1 FROM d) AND (SELECT count(*) FROM audit) + (SELECT count(*) FROM items)"
    " + (SELECT count(*) FROM prescribed) + (SELECT count(*) FROM served)"
    " + (SELECT count(*) FROM reported) + (SELECT count(*) FROM published) >= 0",
)
_WRITE_BOOKED = (
    _WRITE  # noqa: S608 (placeholders only)
    + ","
    + _BOOKING
    + "\nSELECT array(SELECT sgtin FROM claimed) AS claimed, bk.* FROM (SELECT 1) AS one"
    + f"\nLEFT JOIN ({movements.BOOKED_COLUMNS}) AS bk ON true"
)
_WRITE = _WRITE + _CLAIMED


@dataclass(frozen=True, slots=True)
class Booking:
    """The one batch of a dispense booked down within its write statement."""

    batch_id: uuid.UUID
    delta: int  # negative
    release: int  # reserved packages given
    document: str
    sgtins: list[str] | None
    on: date


@dataclass(frozen=True, slots=True)
class AuditValues:
    actor: str
    actor_kind: str
    actor_org_id: uuid.UUID | None
    person_id: uuid.UUID
    resource: str
    request_id: str | None


@dataclass(frozen=True, slots=True)
class OutboxValues:
    id: uuid.UUID
    type: str
    envelope: str  # the envelope's JSON


def outbox_values(payload: EventPayload, *, source: str, subject: str | None) -> OutboxValues:
    """The outbox row of ``payload`` — the envelope ``oms_kit.events.add_event`` writes (its
    own builder) — for a statement that writes it along with other rows."""
    envelope = _envelope(payload, source, subject)
    return OutboxValues(envelope.id, envelope.type, envelope.model_dump_json())


_DRUG_LISTS = """
SELECT array(SELECT li.drug_list_code FROM drug_list_item li WHERE li.drug_id = $1::uuid
             UNION
             SELECT dl.code FROM drug_list dl
              WHERE EXISTS (SELECT 1 FROM unnest(dl.inns) AS i(inn) WHERE lower(i.inn) = lower($2::text)))
"""


async def drug_lists_of(session: AsyncSession, drug_id: uuid.UUID, inn: str) -> frozenset[str]:
    """The drug lists the drug is on: linked to it, or by its МНН among the list's МНН."""
    conn = await asyncpg_connection(session)
    return frozenset(await conn.fetchval(_DRUG_LISTS, drug_id, inn) or ())


async def write_dispense(
    session: AsyncSession,
    *,
    audit: AuditValues,
    dispense: Dispense,
    items: Sequence[DispenseItem],
    reservation_ids: Sequence[uuid.UUID],
    serve_deferred: bool,
    served_on: date,
    report: TraceReport | None,
    event: OutboxValues,
    booking: Booking | None = None,
) -> tuple[set[str], Mapping[str, Any] | None]:
    """In one statement: the audit row; the scanned packages claimed — only those still in stock
    here or reserved by this prescription's reservations (rows locked in SGTIN order, the
    condition re-checked after a concurrent holder commits: of two counters taking the same
    package exactly one gets it); and ONLY when every one was claimed: the dispense and its
    items, the prescription ``dispensed``, its deferred entry ``served`` (``serve_deferred``),
    the МДЛП report queued, the event in the outbox. Returns the SGTINs claimed; fewer than
    scanned — nothing but the audit row and the claims was written, and the caller refuses (its
    transaction is rolled back). With ``booking``: the batch booked down too, only when every
    package was claimed (``stock.movements.booking_sql``); the booked movement's row comes back
    (``None`` when the batch's condition refused it — the caller explains it by
    ``movements.booked``)."""
    sgtins = [i.sgtin for i in items if i.sgtin is not None]
    conn = await asyncpg_connection(session)
    booked: tuple[object, ...] = ()
    if booking is not None:
        booked = (
            uuid.uuid4(),
            booking.batch_id,
            booking.delta,
            booking.release,
            booking.document,
            booking.sgtins,
            booking.on,
        )
    row = await conn.fetchrow(
        _WRITE_BOOKED if booking is not None else _WRITE,
        *(
            audit.actor,
            audit.actor_kind,
            audit.actor_org_id,
            audit.person_id,
            audit.resource,
            audit.request_id,
            dispense.id,
            sgtins,
            dispense.pharmacy_id,
            list(reservation_ids),
            dispense.prescription_id,
            dispense.mo_id,
            dispense.dispensed_at,
            dispense.quantity,
            dispense.amount,
            dispense.funding_source,
            dispense.drug_id,
            [i.batch_id for i in items],
            [i.sgtin for i in items],
            [i.unit_price for i in items],
            served_on,
            serve_deferred,
            report.id if report is not None else None,
            report.idempotency_key if report is not None else None,
            report.operation if report is not None else None,
            json.dumps(report.sgtins) if report is not None else None,
            report.document if report is not None else None,
            json.dumps(report.details) if report is not None else None,
            event.id,
            event.type,
            event.envelope,
            *booked,
        ),
    )
    movement = row if booking is not None and row["id"] is not None else None
    return set(row["claimed"] or ()), movement
