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
from pharmacy.beneficiaries.entitlement_rows import CategoryRow, EntitlementRow, entitlement_pairs
from pharmacy.control.checks import normal_designation
from pharmacy.models import (
    ControlAct,
    ControlResult,
    ControlRun,
    ControlViolation,
    Dispense,
    Drug,
    Organization,
    Prescription,
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


# --- the facts a chunk of dispenses is judged by, in one statement -----------------------------
#
# Per dispense: the deferral (any status — the control's own ``dispensed_after_validity``; and
# not cancelled — the dispensing check's validity), another prescription with its series and
# number, the person's own death in force (``dispensed_after_death``), the person's entitlement
# facts over merges (as ``beneficiaries.service.entitlement_on`` reads them one by one, and the
# dispense's ``dispense_facts`` in its statement: the survivor of the merges in force and the
# persons merged into it; registered, earliest death, the survivor's stay, the entitlements with
# their categories, the refusal years), the drug lists the dispensed drug is on (linked, or by its
# МНН), the packages with their prices and the best status of the МДЛП reports that carry them
# (accepted > sent > queued > rejected > failed, as the track-and-trace register ranks them),
# the funding sources of the packages' batches. The decisions are the pure functions'
# (``dispensing.checks.prescription_violations_from``, ``beneficiaries.service.entitlement_from``,
# ``control.checks``); nothing is decided here.

_JUDGED_FACTS = """
WITH d AS MATERIALIZED (
    SELECT d.id, d.drug_id, d.prescription_id, p.person_id, p.series, p.number
      FROM dispense d JOIN prescription p ON p.id = d.prescription_id
     WHERE d.id = ANY($1::uuid[])
), same AS MATERIALIZED (
    SELECT d.id, s.id || array(SELECT m.merged_id FROM person_merge m
                                WHERE m.survivor_id = s.id[1] AND NOT m.undone
                                  AND m.merged_id <> s.id[1]) AS ids
      FROM d
     CROSS JOIN LATERAL (
            SELECT ARRAY[coalesce((SELECT pm.survivor_id FROM person_merge pm
                                    WHERE pm.merged_id = d.person_id AND NOT pm.undone
                                    ORDER BY pm.event_time DESC LIMIT 1), d.person_id)] AS id
           ) s
), persons AS MATERIALIZED (
    SELECT same.id AS dispense_id, u.person_id, min(u.ord) AS ord
      FROM same CROSS JOIN LATERAL unnest(same.ids) WITH ORDINALITY AS u(person_id, ord)
     GROUP BY same.id, u.person_id
), bens AS MATERIALIZED (
    SELECT x.dispense_id, x.ord, b.id, b.temporary_until, b.home_region
      FROM persons x JOIN beneficiary b ON b.person_id = x.person_id
), visitor AS (
    SELECT DISTINCT ON (dispense_id) dispense_id, temporary_until, home_region
      FROM bens ORDER BY dispense_id, ord
), deaths AS (
    SELECT x.dispense_id, min(pd.death_date) AS death
      FROM persons x JOIN person_death pd ON pd.person_id = x.person_id AND NOT pd.retracted
     GROUP BY x.dispense_id
), rights AS (
    SELECT b.dispense_id,
           array_agg(row(en.category_code, en.valid_from, en.valid_to, c.name, c.funding_source,
                         c.drug_list_code, c.discount_percent, c.icd10, c.in_kind_refusable)
                     ORDER BY en.valid_from, en.category_code) AS entitlements
      FROM bens b
      JOIN entitlement en ON en.beneficiary_id = b.id
      JOIN benefit_category c ON c.code = en.category_code
     GROUP BY b.dispense_id
), refusals AS (
    SELECT b.dispense_id, array_agg(r.year) AS years
      FROM bens b JOIN in_kind_refusal r ON r.beneficiary_id = b.id
     GROUP BY b.dispense_id
), traced AS MATERIALIZED (
    SELECT e.sgtin,
           (array_agg(r.status ORDER BY CASE r.status WHEN 'accepted' THEN 5 WHEN 'sent' THEN 4
                                                      WHEN 'queued' THEN 3 WHEN 'rejected' THEN 2
                                                      WHEN 'failed' THEN 1 ELSE 0 END DESC))[1] AS status
      FROM trace_report r
     CROSS JOIN LATERAL jsonb_array_elements_text(
             CASE WHEN jsonb_typeof(r.sgtins) = 'array' THEN r.sgtins ELSE '[]'::jsonb END) AS e(sgtin)
     WHERE e.sgtin IN (SELECT i.sgtin FROM dispense_item i
                        WHERE i.dispense_id = ANY($1::uuid[]) AND i.sgtin IS NOT NULL)
       AND r.status IN ('accepted', 'sent', 'queued', 'rejected', 'failed')
     GROUP BY e.sgtin
), items AS (
    SELECT i.dispense_id, array_agg(row(i.sgtin, i.unit_price, t.status)) AS items
      FROM dispense_item i LEFT JOIN traced t ON t.sgtin = i.sgtin
     WHERE i.dispense_id = ANY($1::uuid[])
     GROUP BY i.dispense_id
), funding AS (
    SELECT f.dispense_id, array_agg(row(f.funding_source, f.n)) AS sources
      FROM (SELECT i.dispense_id, b.funding_source, count(*) AS n
              FROM dispense_item i JOIN stock_batch b ON b.id = i.batch_id
             WHERE i.dispense_id = ANY($1::uuid[])
             GROUP BY i.dispense_id, b.funding_source) f
     GROUP BY f.dispense_id
), lists AS MATERIALIZED (
    SELECT dr.id,
           array(SELECT li.drug_list_code FROM drug_list_item li WHERE li.drug_id = dr.id
                 UNION
                 SELECT dl.code FROM drug_list dl
                  WHERE EXISTS (SELECT 1 FROM unnest(dl.inns) AS i(inn)
                                 WHERE lower(i.inn) = lower(dr.inn))) AS codes
      FROM drug dr WHERE dr.id IN (SELECT d.drug_id FROM d)
)
SELECT d.id,
       ds.requested_on AS deferred_on,
       CASE WHEN ds.status <> 'cancelled' THEN ds.requested_on END AS deferred_since,
       EXISTS (SELECT 1 FROM prescription o
                WHERE o.series = d.series AND o.number = d.number AND o.id <> d.prescription_id)
           AS number_taken,
       own.death_date AS own_death,
       EXISTS (SELECT 1 FROM bens b WHERE b.dispense_id = d.id) AS registered,
       deaths.death, visitor.temporary_until, visitor.home_region,
       coalesce(rights.entitlements, '{}') AS entitlements, coalesce(refusals.years, '{}') AS refused,
       lists.codes AS drug_lists,
       coalesce(items.items, '{}') AS items,
       coalesce(funding.sources, '{}') AS funding
  FROM d
  LEFT JOIN deferred_service ds ON ds.prescription_id = d.prescription_id
  LEFT JOIN person_death own ON own.person_id = d.person_id AND NOT own.retracted
  LEFT JOIN visitor ON visitor.dispense_id = d.id
  LEFT JOIN deaths ON deaths.dispense_id = d.id
  LEFT JOIN rights ON rights.dispense_id = d.id
  LEFT JOIN refusals ON refusals.dispense_id = d.id
  LEFT JOIN items ON items.dispense_id = d.id
  LEFT JOIN funding ON funding.dispense_id = d.id
  LEFT JOIN lists ON lists.id = d.drug_id
"""


@dataclass(frozen=True, slots=True)
class JudgedFacts:
    """What one dispense is judged by besides its rows (see ``_JUDGED_FACTS``)."""

    deferred_on: date | None  # accepted for deferred service (whatever became of it)
    deferred_since: date | None  # … and not cancelled
    number_taken: bool
    own_death: date | None  # the prescription's person's death in force
    registered: bool
    death: date | None  # the earliest death in force over the person's merged ids
    temporary_until: date | None
    home_region: str | None
    entitlements: tuple[tuple[EntitlementRow, CategoryRow], ...]
    refused_years: frozenset[int]
    drug_lists: frozenset[str]
    items: tuple[tuple[str | None, Decimal, str | None], ...]  # SGTIN, unit price, best МДЛП status
    funding: dict[str, int]  # the packages' batches' funding sources → packages


async def judged_facts(session: AsyncSession, ids: list[uuid.UUID]) -> dict[uuid.UUID, JudgedFacts]:
    """The facts of these dispenses, by dispense id; one statement for the whole chunk."""
    if not ids:
        return {}
    conn = await session.connection()
    # the planner's estimate of the per-dispense joins is far above what they cost: JIT compiling
    # the statement took longer than running it (this transaction only)
    await conn.exec_driver_sql("SET LOCAL jit = off")
    result = await conn.exec_driver_sql(_JUDGED_FACTS, (list(ids),))
    found: dict[uuid.UUID, JudgedFacts] = {}
    for m in result.mappings():
        found[m["id"]] = JudgedFacts(
            deferred_on=m["deferred_on"],
            deferred_since=m["deferred_since"],
            number_taken=m["number_taken"],
            own_death=m["own_death"],
            registered=m["registered"],
            death=m["death"],
            temporary_until=m["temporary_until"],
            home_region=m["home_region"],
            entitlements=entitlement_pairs(m["entitlements"]),
            refused_years=frozenset(m["refused"] or ()),
            drug_lists=frozenset(m["drug_lists"] or ()),
            items=tuple((i[0], i[1], i[2]) for i in m["items"]),
            funding={f[0]: int(f[1]) for f in m["funding"]},
        )
    return found


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
