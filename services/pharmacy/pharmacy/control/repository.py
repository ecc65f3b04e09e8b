"""All SQL of the medico-economic control."""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import Select, delete, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.jobs import Job
from pharmacy.control.checks import normal_designation
from pharmacy.models import (
    ControlAct,
    ControlResult,
    ControlRun,
    ControlViolation,
    DeferredService,
    Dispense,
    DispenseItem,
    Drug,
    Organization,
    PersonDeath,
    Prescription,
    StockBatch,
)
from pharmacy.scope import PharmacyScope


def _period(period_from: date, period_to: date) -> list[Any]:
    """Dispensed on these days of the service's local time (as ``service.dispensed_on`` tells the day)."""
    return [
        Dispense.dispensed_at >= datetime.combine(period_from, time.min).astimezone(),
        Dispense.dispensed_at < datetime.combine(period_to + timedelta(days=1), time.min).astimezone(),
    ]


async def dispense_ids(
    session: AsyncSession, period_from: date, period_to: date, pharmacy_id: uuid.UUID | None
) -> list[uuid.UUID]:
    query = (
        select(Dispense.id)
        .where(*_period(period_from, period_to))
        .order_by(Dispense.dispensed_at, Dispense.id)
    )
    if pharmacy_id is not None:
        query = query.where(Dispense.pharmacy_id == pharmacy_id)
    return list(await session.scalars(query))


async def dispenses(session: AsyncSession, ids: list[uuid.UUID]) -> list[tuple[Dispense, Prescription, Drug]]:
    rows = await session.execute(
        select(Dispense, Prescription, Drug)
        .join(Prescription, Prescription.id == Dispense.prescription_id)
        .join(Drug, Drug.id == Dispense.drug_id)
        .where(Dispense.id.in_(ids))
        .order_by(Dispense.dispensed_at, Dispense.id)
    )
    return [(r[0], r[1], r[2]) for r in rows]


async def items(
    session: AsyncSession, ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[tuple[str | None, Decimal]]]:
    rows = await session.execute(
        select(DispenseItem.dispense_id, DispenseItem.sgtin, DispenseItem.unit_price).where(
            DispenseItem.dispense_id.in_(ids)
        )
    )
    found: dict[uuid.UUID, list[tuple[str | None, Decimal]]] = defaultdict(list)
    for dispense_id, sgtin, price in rows:
        found[dispense_id].append((sgtin, price))
    return found


async def item_funding(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, dict[str, int]]:
    """Per dispense: the funding sources of its packages' batches → packages."""
    rows = await session.execute(
        select(DispenseItem.dispense_id, StockBatch.funding_source, func.count())
        .join(StockBatch, StockBatch.id == DispenseItem.batch_id)
        .where(DispenseItem.dispense_id.in_(ids))
        .group_by(DispenseItem.dispense_id, StockBatch.funding_source)
    )
    found: dict[uuid.UUID, dict[str, int]] = defaultdict(dict)
    for dispense_id, source, n in rows:
        found[dispense_id][source] = int(n)
    return found


async def deferred_since(session: AsyncSession, prescription_ids: list[uuid.UUID]) -> dict[uuid.UUID, date]:
    rows = await session.execute(
        select(DeferredService.prescription_id, DeferredService.requested_on).where(
            DeferredService.prescription_id.in_(prescription_ids)
        )
    )
    return {r[0]: r[1] for r in rows}


async def deaths(session: AsyncSession, person_ids: list[uuid.UUID]) -> dict[uuid.UUID, date]:
    rows = await session.execute(
        select(PersonDeath.person_id, PersonDeath.death_date).where(
            PersonDeath.person_id.in_(person_ids), PersonDeath.retracted.is_(False)
        )
    )
    return {r[0]: r[1] for r in rows}


@dataclass(frozen=True)
class OtherDispense:
    dispense_id: uuid.UUID
    pharmacy_id: uuid.UUID
    dispensed_at: datetime
    designation: str


async def dispenses_with_numbers(session: AsyncSession, numbers: list[int]) -> list[OtherDispense]:
    """Every dispense (any date) of a prescription with one of these numbers; the caller compares
    the series as printed (``checks.normal_designation``)."""
    rows = await session.execute(
        select(
            Dispense.id, Dispense.pharmacy_id, Dispense.dispensed_at, Prescription.series, Prescription.number
        )
        .join(Prescription, Prescription.id == Dispense.prescription_id)
        .where(Prescription.number.in_(numbers))
    )
    return [OtherDispense(r[0], r[1], r[2], normal_designation(r[3], r[4])) for r in rows]


async def organization_names(
    session: AsyncSession, ids: set[uuid.UUID]
) -> dict[uuid.UUID, tuple[str | None, str]]:
    if not ids:
        return {}
    rows = await session.execute(
        select(Organization.id, Organization.code, Organization.name).where(Organization.id.in_(ids))
    )
    return {r[0]: (r[1], r[2]) for r in rows}


async def replace_results(
    session: AsyncSession, results: list[dict[str, Any]], violations: list[dict[str, Any]]
) -> None:
    """The current results of these dispenses become ``results`` (their old rows and violations
    go): a re-run leaves exactly one result per dispense."""
    if not results:
        return
    # Runs over overlapping periods write one at a time: the second sees (and replaces) what
    # the first committed instead of colliding with it on the dispense's key.
    await session.execute(select(func.pg_advisory_xact_lock(func.hashtext("control_result"))))
    await session.execute(
        delete(ControlResult).where(ControlResult.dispense_id.in_([r["dispense_id"] for r in results]))
    )
    await session.execute(insert(ControlResult), results)
    if violations:
        await session.execute(insert(ControlViolation), violations)


@dataclass(frozen=True)
class ResultFilter:
    period_from: date
    period_to: date
    pharmacy_id: uuid.UUID | None = None
    code: str | None = None


def _result_conditions(scope: PharmacyScope, f: ResultFilter) -> list[Any]:
    conditions: list[Any] = [
        ControlResult.dispensed_on >= f.period_from,
        ControlResult.dispensed_on <= f.period_to,
    ]
    in_scope = scope.pharmacy_condition(ControlResult.pharmacy_id)
    if in_scope is not None:
        conditions.append(in_scope)
    if f.pharmacy_id is not None:
        conditions.append(ControlResult.pharmacy_id == f.pharmacy_id)
    return conditions


def _violations_query(
    scope: PharmacyScope, f: ResultFilter
) -> Select[ControlViolation, ControlResult, Prescription]:
    query = (
        select(ControlViolation, ControlResult, Prescription)
        .join(ControlResult, ControlResult.dispense_id == ControlViolation.dispense_id)
        .join(Prescription, Prescription.id == ControlResult.prescription_id)
        .where(*_result_conditions(scope, f))
    )
    if f.code:
        query = query.where(ControlViolation.code == f.code)
    return query


async def violations(
    session: AsyncSession,
    scope: PharmacyScope,
    f: ResultFilter,
    order: list[Any],
    limit: int | None,
    offset: int = 0,
) -> tuple[list[tuple[ControlViolation, ControlResult, Prescription]], int]:
    base = _violations_query(scope, f)
    total = await session.scalar(select(func.count()).select_from(base.subquery())) or 0
    query = base.order_by(*order, ControlViolation.id).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    rows = await session.execute(query)
    return [(r[0], r[1], r[2]) for r in rows], total


async def totals(session: AsyncSession, scope: PharmacyScope, f: ResultFilter) -> dict[str, Any]:
    conditions = _result_conditions(scope, f)
    row = (
        await session.execute(
            select(
                func.count(),
                func.count().filter(ControlResult.withheld > 0),
                func.coalesce(func.sum(ControlResult.amount), 0),
                func.coalesce(func.sum(ControlResult.withheld), 0),
            ).where(*conditions)
        )
    ).one()
    by_code_rows = await session.execute(
        select(ControlViolation.code, func.count(), func.coalesce(func.sum(ControlViolation.amount), 0))
        .join(ControlResult, ControlResult.dispense_id == ControlViolation.dispense_id)
        .where(*conditions)
        .group_by(ControlViolation.code)
        .order_by(func.count().desc(), ControlViolation.code)
    )
    with_violations = await session.scalar(
        select(func.count(func.distinct(ControlViolation.dispense_id)))
        .join(ControlResult, ControlResult.dispense_id == ControlViolation.dispense_id)
        .where(*conditions)
    )
    return {
        "checked": row[0],
        "withheld_dispenses": row[1],
        "with_violations": with_violations or 0,
        "amount": Decimal(row[2]),
        "withheld": Decimal(row[3]),
        "by_code": [(r[0], r[1], Decimal(r[2])) for r in by_code_rows],
    }


async def unchecked_count(session: AsyncSession, scope: PharmacyScope, f: ResultFilter) -> int:
    """Dispenses of the period not yet judged by a control run."""
    query = (
        select(func.count())
        .select_from(Dispense)
        .outerjoin(ControlResult, ControlResult.dispense_id == Dispense.id)
        .where(*_period(f.period_from, f.period_to), ControlResult.dispense_id.is_(None))
    )
    in_scope = scope.pharmacy_condition(Dispense.pharmacy_id)
    if in_scope is not None:
        query = query.where(in_scope)
    if f.pharmacy_id is not None:
        query = query.where(Dispense.pharmacy_id == f.pharmacy_id)
    return await session.scalar(query) or 0


@dataclass(frozen=True)
class RegistryRow:
    dispense: Dispense
    prescription: Prescription
    drug: Drug
    result: ControlResult | None


def _registry_query(
    scope: PharmacyScope, period_from: date, period_to: date, pharmacy_id: uuid.UUID | None
) -> Select[Dispense, Prescription, Drug, ControlResult]:
    query = (
        select(Dispense, Prescription, Drug, ControlResult)
        .join(Prescription, Prescription.id == Dispense.prescription_id)
        .join(Drug, Drug.id == Dispense.drug_id)
        .outerjoin(ControlResult, ControlResult.dispense_id == Dispense.id)
        .where(*_period(period_from, period_to))
    )
    in_scope = scope.pharmacy_condition(Dispense.pharmacy_id)
    if in_scope is not None:
        query = query.where(in_scope)
    if pharmacy_id is not None:
        query = query.where(Dispense.pharmacy_id == pharmacy_id)
    return query


async def registry(
    session: AsyncSession,
    scope: PharmacyScope,
    period_from: date,
    period_to: date,
    pharmacy_id: uuid.UUID | None,
    order: list[Any],
    limit: int | None,
    offset: int = 0,
) -> tuple[list[RegistryRow], int]:
    base = _registry_query(scope, period_from, period_to, pharmacy_id)
    total = await session.scalar(select(func.count()).select_from(base.subquery())) or 0
    query = base.order_by(*order, Dispense.id).offset(offset)
    if limit is not None:
        query = query.limit(limit)
    rows = await session.execute(query)
    return [RegistryRow(r[0], r[1], r[2], r[3]) for r in rows], total


async def violations_of(
    session: AsyncSession, dispense_ids: list[uuid.UUID]
) -> dict[uuid.UUID, list[ControlViolation]]:
    rows = await session.scalars(
        select(ControlViolation)
        .where(ControlViolation.dispense_id.in_(dispense_ids))
        .order_by(ControlViolation.code)
    )
    found: dict[uuid.UUID, list[ControlViolation]] = defaultdict(list)
    for v in rows:
        found[v.dispense_id].append(v)
    return found


async def job(session: AsyncSession, job_id: uuid.UUID) -> Job | None:
    return await session.get(Job, job_id)


async def run(
    session: AsyncSession, run_id: uuid.UUID, scope: PharmacyScope | None = None
) -> ControlRun | None:
    query = select(ControlRun).where(ControlRun.id == run_id)
    if scope is not None:
        in_scope = scope.pharmacy_condition(ControlRun.pharmacy_id)
        if in_scope is not None:
            query = query.where(in_scope)
    return await session.scalar(query)


async def runs(
    session: AsyncSession, scope: PharmacyScope, limit: int, offset: int
) -> tuple[list[ControlRun], int]:
    conditions: list[Any] = []
    in_scope = scope.pharmacy_condition(ControlRun.pharmacy_id)
    if in_scope is not None:
        conditions.append(in_scope)
    total = await session.scalar(select(func.count()).select_from(ControlRun).where(*conditions)) or 0
    rows = await session.scalars(
        select(ControlRun)
        .where(*conditions)
        .order_by(ControlRun.started_at.desc(), ControlRun.id)
        .limit(limit)
        .offset(offset)
    )
    return list(rows), total


async def next_act_number(session: AsyncSession, prefix: str) -> str:
    """``prefix`` + the next sequence number among the acts numbered so; two acts drawn up at
    once take turns (a transaction lock on the prefix), so their numbers never collide."""
    await session.execute(select(func.pg_advisory_xact_lock(func.hashtext(prefix))))
    taken = await session.scalar(
        select(func.count())
        .select_from(ControlAct)
        .where(ControlAct.number.startswith(prefix, autoescape=True))
    )
    return f"{prefix}{(taken or 0) + 1}"


async def act(session: AsyncSession, scope: PharmacyScope, act_id: uuid.UUID) -> ControlAct | None:
    query = select(ControlAct).where(ControlAct.id == act_id)
    in_scope = scope.pharmacy_condition(ControlAct.pharmacy_id)
    if in_scope is not None:
        query = query.where(in_scope)
    return await session.scalar(query)


async def acts(
    session: AsyncSession,
    scope: PharmacyScope,
    period_from: date | None,
    period_to: date | None,
    pharmacy_id: uuid.UUID | None,
    limit: int | None,
    offset: int = 0,
) -> tuple[list[ControlAct], int]:
    conditions: list[Any] = []
    in_scope = scope.pharmacy_condition(ControlAct.pharmacy_id)
    if in_scope is not None:
        conditions.append(in_scope)
    if period_from is not None:
        conditions.append(ControlAct.period_to >= period_from)
    if period_to is not None:
        conditions.append(ControlAct.period_from <= period_to)
    if pharmacy_id is not None:
        conditions.append(ControlAct.pharmacy_id == pharmacy_id)
    total = await session.scalar(select(func.count()).select_from(ControlAct).where(*conditions)) or 0
    query = (
        select(ControlAct)
        .where(*conditions)
        .order_by(ControlAct.created_at.desc(), ControlAct.id)
        .offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    return list(await session.scalars(query)), total
