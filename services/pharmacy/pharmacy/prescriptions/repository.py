"""All SQL of prescriptions: the per-series counter, the rows, the search, what a prescription
carries with it (reservations, dispense, deferred service)."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    Select,
    and_,
    any_,
    case,
    exists,
    false,
    func,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import aliased

from pharmacy.models import (
    BenefitCategory,
    DeferredService,
    Dispense,
    Drug,
    DrugList,
    DrugListItem,
    Organization,
    Prescription,
    PrescriptionCounter,
    Reservation,
)
from pharmacy.scope import PharmacyScope

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


async def open_for_persons(
    session: AsyncSession, person_ids: Sequence[uuid.UUID], *, open_on: date | None = None
) -> list[Prescription]:
    """The open (issued or deferred) prescriptions of these person ids, locked for the change;
    with ``open_on``, only those still open that day (deferred, or valid on or after it — one
    whose term ran out before is expired, not open)."""
    if not person_ids:
        return []
    conditions: list[ColumnElement[bool]] = [
        Prescription.person_id.in_(person_ids),
        Prescription.status.in_(OPEN_STATUSES),
    ]
    if open_on is not None:
        conditions.append(or_(Prescription.status == "deferred", Prescription.valid_until >= open_on))
    stmt = (
        select(Prescription)
        .where(*conditions)
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


# --- reference data the issue reads ------------------------------------------------------------


async def organization(session: AsyncSession, org_id: uuid.UUID) -> Organization | None:
    return await session.get(Organization, org_id)


async def organization_names(session: AsyncSession, ids: Iterable[uuid.UUID | None]) -> dict[uuid.UUID, str]:
    wanted = {i for i in ids if i is not None}
    if not wanted:
        return {}
    rows = await session.execute(
        select(Organization.id, Organization.name).where(Organization.id.in_(wanted))
    )
    return {i: n for i, n in rows}


async def category(session: AsyncSession, code: str) -> BenefitCategory | None:
    return await session.get(BenefitCategory, code)


async def categories(session: AsyncSession, codes: Iterable[str]) -> dict[str, BenefitCategory]:
    wanted = set(codes)
    if not wanted:
        return {}
    rows = await session.scalars(select(BenefitCategory).where(BenefitCategory.code.in_(wanted)))
    return {c.code: c for c in rows}


async def drug_list(session: AsyncSession, code: str) -> DrugList | None:
    return await session.get(DrugList, code)


async def drug(session: AsyncSession, drug_id: uuid.UUID) -> Drug | None:
    return await session.get(Drug, drug_id)


async def on_drug_list(session: AsyncSession, drug_row: Drug, list_code: str) -> bool:
    """The drug is on the list: itself (drug_list_item) or by its МНН (the list's ``inns``)."""
    listed = await session.scalar(
        select(
            exists().where(DrugListItem.drug_list_code == list_code, DrugListItem.drug_id == drug_row.id)
            | exists().where(
                DrugList.code == list_code, literal(drug_row.inn.strip().lower()) == any_(_lower_inns())
            )
        )
    )
    return bool(listed)


def _lower_inns() -> Any:
    """The list's МНН in lower case (an array), for a case-insensitive ``= ANY``."""
    return func.string_to_array(func.lower(func.array_to_string(DrugList.inns, "|")), "|")


def _nsi_valid(on: date) -> ColumnElement[bool]:
    return and_(Drug.valid_from <= on, or_(Drug.valid_to.is_(None), Drug.valid_to >= on))


def _same(column: Any, value: str) -> ColumnElement[bool]:
    condition: ColumnElement[bool] = func.lower(column) == value.strip().lower()
    return condition


async def drugs_like(session: AsyncSession, inn: str, dosage_form: str, dosage: str) -> list[Drug]:
    """Catalogue drugs of this МНН, form and dosage (compared case-insensitively)."""
    stmt = (
        select(Drug)
        .where(_same(Drug.inn, inn), _same(Drug.dosage_form, dosage_form), _same(Drug.dosage, dosage))
        .order_by(Drug.trade_name, Drug.id)
    )
    return list((await session.scalars(stmt)).all())


async def drugs_of_lists(
    session: AsyncSession, list_codes: Sequence[str], on: date
) -> list[tuple[Drug, str]]:
    """The catalogue drugs valid in the NSI on ``on`` that are on these lists (as items or by
    the list's МНН), with the list that has them."""
    if not list_codes:
        return []
    by_item = (
        select(Drug, DrugListItem.drug_list_code)
        .join(DrugListItem, DrugListItem.drug_id == Drug.id)
        .where(DrugListItem.drug_list_code.in_(list_codes), _nsi_valid(on))
    )
    by_inn = (
        select(Drug, DrugList.code)
        .join(DrugList, func.lower(Drug.inn) == any_(_lower_inns()))
        .where(DrugList.code.in_(list_codes), _nsi_valid(on))
    )
    seen: set[tuple[uuid.UUID, str]] = set()
    out: list[tuple[Drug, str]] = []
    for stmt in (by_item, by_inn):
        for row, code in (await session.execute(stmt)).all():
            if (row.id, code) not in seen:
                seen.add((row.id, code))
                out.append((row, code))
    out.sort(
        key=lambda pair: (pair[0].inn.lower(), pair[0].trade_name.lower(), pair[0].dosage, str(pair[0].id))
    )
    return out


# --- prescriptions -------------------------------------------------------------------------------


async def add(session: AsyncSession, row: Prescription) -> None:
    session.add(row)
    await session.flush()


async def get(
    session: AsyncSession, prescription_id: uuid.UUID, *, lock: bool = False
) -> Prescription | None:
    stmt = select(Prescription).where(Prescription.id == prescription_id)
    if lock:
        stmt = stmt.with_for_update().execution_options(populate_existing=True)
    return await session.scalar(stmt)


def effective_status() -> ColumnElement[str]:
    """The status as shown: an issued prescription past its term is ``expired`` (computed on
    read; a deferred one is served after its term and never expires)."""
    return cast(
        ColumnElement[str],
        case(
            (
                and_(Prescription.status == "issued", Prescription.valid_until < func.current_date()),
                "expired",
            ),
            else_=Prescription.status,
        ),
    )


@dataclass(frozen=True)
class PrescriptionFilter:
    status: str | None = None
    issued_from: date | None = None
    issued_to: date | None = None
    mo_id: uuid.UUID | None = None
    person_id: uuid.UUID | None = None
    inn: str | None = None
    category: str | None = None
    funding_source: str | None = None
    series: str | None = None
    number: int | None = None
    doctor: str | None = None
    pharmacy_id: uuid.UUID | None = None
    form: str | None = None

    @property
    def exact_lookup(self) -> bool:
        """A prescription presented at the counter: by series and number, or by the person."""
        return (self.series is not None and self.number is not None) or self.person_id is not None


def _served_at(pharmacy_ids: Collection[uuid.UUID]) -> ColumnElement[bool]:
    """Reserved, deferred or dispensed in one of these pharmacies."""
    ids = list(pharmacy_ids)
    return or_(
        Prescription.pharmacy_id.in_(ids),
        exists().where(
            DeferredService.prescription_id == Prescription.id, DeferredService.pharmacy_id.in_(ids)
        ),
        exists().where(Dispense.prescription_id == Prescription.id, Dispense.pharmacy_id.in_(ids)),
        exists().where(Reservation.prescription_id == Prescription.id, Reservation.pharmacy_id.in_(ids)),
    )


def visible(
    scope: PharmacyScope, *, exact_lookup: bool, patient: uuid.UUID | None
) -> ColumnElement[bool] | None:
    """Which prescriptions the caller sees: a patient — their own; region-wide — all; an MO —
    its own; a pharmacy — those reserved, deferred or dispensed there, and any one looked up
    exactly (series and number, or the person) for dispensing."""
    if patient is not None:
        return Prescription.person_id == patient
    if scope.whole_region:
        return None
    parts: list[ColumnElement[bool]] = []
    if scope.mo_ids:
        parts.append(Prescription.mo_id.in_(list(scope.mo_ids)))
    if scope.pharmacy_writable:
        if exact_lookup:
            return None
        parts.append(_served_at(scope.pharmacy_writable))
    if not parts:
        return false()
    return or_(*parts) if len(parts) > 1 else parts[0]


def _conditions(f: PrescriptionFilter) -> list[ColumnElement[bool]]:
    c: list[ColumnElement[bool]] = []
    if f.status is not None:
        c.append(effective_status() == f.status)
    if f.issued_from is not None:
        c.append(Prescription.issued_on >= f.issued_from)
    if f.issued_to is not None:
        c.append(Prescription.issued_on <= f.issued_to)
    if f.mo_id is not None:
        c.append(Prescription.mo_id == f.mo_id)
    if f.person_id is not None:
        c.append(Prescription.person_id == f.person_id)
    if f.inn:
        c.append(Prescription.inn.ilike(f"{_escape(f.inn.strip())}%", escape="\\"))
    if f.category:
        c.append(Prescription.category_code == f.category)
    if f.funding_source:
        c.append(Prescription.funding_source == f.funding_source)
    if f.series:
        c.append(Prescription.series == f.series)
    if f.number is not None:
        c.append(Prescription.number == f.number)
    if f.doctor:
        text_ = f"%{_escape(f.doctor.strip())}%"
        c.append(
            or_(Prescription.doctor_name.ilike(text_, escape="\\"), Prescription.doctor_subject == f.doctor)
        )
    if f.pharmacy_id is not None:
        c.append(_served_at([f.pharmacy_id]))
    if f.form:
        c.append(Prescription.form == f.form)
    return c


def _escape(value: str) -> str:
    return value.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _select(f: PrescriptionFilter, visibility: ColumnElement[bool] | None) -> Select[Any, Any, Any, Any]:
    conditions = _conditions(f)
    if visibility is not None:
        conditions.append(visibility)
    mo = aliased(Organization)
    pharmacy = aliased(Organization)
    return (
        select(Prescription, effective_status().label("shown_status"), mo.name, pharmacy.name)
        .outerjoin(mo, mo.id == Prescription.mo_id)
        .outerjoin(pharmacy, pharmacy.id == Prescription.pharmacy_id)
        .where(*conditions)
    )


Row = tuple[Prescription, str, str | None, str | None]  # the row, shown status, MO name, pharmacy name


async def page(
    session: AsyncSession,
    f: PrescriptionFilter,
    visibility: ColumnElement[bool] | None,
    order: list[Any],
    limit: int,
    offset: int,
) -> tuple[list[Row], int]:
    conditions = _conditions(f)
    if visibility is not None:
        conditions.append(visibility)
    total = int(await session.scalar(select(func.count()).select_from(Prescription).where(*conditions)) or 0)
    stmt = _select(f, visibility).order_by(*order, Prescription.id).limit(limit).offset(offset)
    rows = (await session.execute(stmt)).all()
    return [(r[0], r[1], r[2], r[3]) for r in rows], total


async def stream(
    session: AsyncSession,
    f: PrescriptionFilter,
    visibility: ColumnElement[bool] | None,
    order: list[Any],
    cap: int,
) -> list[Row]:
    stmt = _select(f, visibility).order_by(*order, Prescription.id).limit(cap)
    return [(r[0], r[1], r[2], r[3]) for r in (await session.execute(stmt)).all()]


async def shown_status(session: AsyncSession, prescription_id: uuid.UUID) -> str:
    value: str = (
        await session.execute(select(effective_status()).where(Prescription.id == prescription_id))
    ).scalar_one()
    return value


async def reservations_of(session: AsyncSession, prescription_id: uuid.UUID) -> list[Reservation]:
    stmt = (
        select(Reservation)
        .where(Reservation.prescription_id == prescription_id)
        .order_by(Reservation.created_at, Reservation.id)
    )
    return list((await session.scalars(stmt)).all())


async def dispense_of(session: AsyncSession, prescription_id: uuid.UUID) -> Dispense | None:
    return await session.scalar(select(Dispense).where(Dispense.prescription_id == prescription_id))


async def deferred_of(session: AsyncSession, prescription_id: uuid.UUID) -> DeferredService | None:
    return await session.get(DeferredService, prescription_id)


async def served_by(
    session: AsyncSession, prescription_id: uuid.UUID, pharmacy_ids: Collection[uuid.UUID]
) -> bool:
    stmt = select(exists().where(Prescription.id == prescription_id, _served_at(pharmacy_ids)))
    return bool(await session.scalar(stmt))


async def touch(session: AsyncSession, prescription: Prescription) -> None:
    prescription.updated_at = datetime.now(UTC)
    await session.flush()
