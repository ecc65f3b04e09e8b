"""All SQL of the register of beneficiaries."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Select, String, and_, bindparam, exists, func, or_, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY, UUID, insert
from sqlalchemy.ext.asyncio import AsyncSession

from pharmacy.models import (
    Beneficiary,
    BeneficiaryDiagnosis,
    BenefitCategory,
    DrugList,
    Entitlement,
    InKindRefusal,
    PersonDeath,
    PersonMerge,
    RegisterLoad,
)

# Deaths and merges of one person are applied one at a time (two consumers, a redelivery).
_LOCK_PERSON = text("SELECT pg_advisory_xact_lock(hashtextextended('pharmacy.person:' || :person_id, 0))")


@dataclass(frozen=True)
class BeneficiaryFilter:
    category: str | None = None
    funding_source: str | None = None
    active_on: date | None = None
    refused_year: int | None = None
    other_region: bool | None = None
    q: str | None = None


async def categories(session: AsyncSession) -> Sequence[BenefitCategory]:
    return (await session.scalars(select(BenefitCategory).order_by(BenefitCategory.sort_order))).all()


async def categories_by_code(session: AsyncSession, codes: Iterable[str]) -> Sequence[BenefitCategory]:
    """Only these categories (an entitlement check needs the person's few, not all ~50)."""
    wanted = list(codes)
    if not wanted:
        return []
    return (await session.scalars(_CATEGORIES_BY_CODE, {"codes": wanted})).all()


_CATEGORIES_BY_CODE = select(BenefitCategory).where(
    BenefitCategory.code == func.any(bindparam("codes", type_=ARRAY(String(30))))
)


async def drug_lists(session: AsyncSession) -> Sequence[DrugList]:
    return (await session.scalars(select(DrugList).order_by(DrugList.code))).all()


async def category_codes(session: AsyncSession) -> set[str]:
    return set((await session.scalars(select(BenefitCategory.code))).all())


# --- persons: merges -----------------------------------------------------------------------------


async def survivor_of(session: AsyncSession, person_id: uuid.UUID) -> uuid.UUID:
    """The person ``person_id`` is now (the survivor of a merge that is in force), else itself."""
    survivor = await session.scalar(
        select(PersonMerge.survivor_id)
        .where(PersonMerge.merged_id == person_id, PersonMerge.undone.is_(False))
        .order_by(PersonMerge.event_time.desc())
        .limit(1)
    )
    return survivor or person_id


_SAME_PERSON = text(
    """
    WITH s AS (
        SELECT coalesce(
            (SELECT survivor_id FROM person_merge
              WHERE merged_id = :person_id AND NOT undone
              ORDER BY event_time DESC LIMIT 1),
            :person_id) AS id
    )
    SELECT s.id, m.merged_id FROM s
      LEFT JOIN person_merge m ON m.survivor_id = s.id AND NOT m.undone
    """
).bindparams(bindparam("person_id", type_=UUID(as_uuid=True)))


async def same_person_ids(session: AsyncSession, person_id: uuid.UUID) -> list[uuid.UUID]:
    """The survivor first, then the persons merged into it (merges in force); one statement
    (:func:`survivor_of`, then its merged ones)."""
    rows = (await session.execute(_SAME_PERSON, {"person_id": person_id})).all()
    survivor: uuid.UUID = rows[0][0]
    return [survivor, *[m for _, m in rows if m is not None and m != survivor]]


# The entitlement check's statements are built once (bound arrays): every dispense asks it.
_IDS = ARRAY(UUID(as_uuid=True))
_BENEFICIARIES_OF = select(Beneficiary).where(Beneficiary.person_id == func.any(bindparam("ids", type_=_IDS)))
_ENTITLEMENTS_OF = (
    select(Entitlement)
    .where(Entitlement.beneficiary_id == func.any(bindparam("ids", type_=_IDS)))
    .order_by(Entitlement.valid_from, Entitlement.category_code)
)
_REFUSALS_OF = (
    select(InKindRefusal)
    .where(InKindRefusal.beneficiary_id == func.any(bindparam("ids", type_=_IDS)))
    .order_by(InKindRefusal.year)
)
_DEATH_OF = select(func.min(PersonDeath.death_date)).where(
    PersonDeath.person_id == func.any(bindparam("ids", type_=_IDS)), PersonDeath.retracted.is_(False)
)


async def beneficiaries_of(session: AsyncSession, person_ids: Sequence[uuid.UUID]) -> list[Beneficiary]:
    rows = (await session.scalars(_BENEFICIARIES_OF, {"ids": list(person_ids)})).all()
    order = {p: i for i, p in enumerate(person_ids)}
    return sorted(rows, key=lambda b: order.get(b.person_id, 0) if b.person_id else 0)


async def beneficiary_by_person(session: AsyncSession, person_id: uuid.UUID) -> Beneficiary | None:
    return await session.scalar(select(Beneficiary).where(Beneficiary.person_id == person_id))


async def add(session: AsyncSession, row: Any) -> None:
    session.add(row)
    await session.flush()


async def entitlements_of(session: AsyncSession, beneficiary_ids: Sequence[uuid.UUID]) -> list[Entitlement]:
    return list((await session.scalars(_ENTITLEMENTS_OF, {"ids": list(beneficiary_ids)})).all())


async def refusals_of(session: AsyncSession, beneficiary_ids: Sequence[uuid.UUID]) -> list[InKindRefusal]:
    return list((await session.scalars(_REFUSALS_OF, {"ids": list(beneficiary_ids)})).all())


async def diagnoses_of(
    session: AsyncSession, beneficiary_ids: Sequence[uuid.UUID]
) -> list[BeneficiaryDiagnosis]:
    stmt = (
        select(BeneficiaryDiagnosis)
        .where(BeneficiaryDiagnosis.beneficiary_id.in_(beneficiary_ids))
        .order_by(BeneficiaryDiagnosis.icd10)
    )
    return list((await session.scalars(stmt)).all())


async def death_of(session: AsyncSession, person_ids: Sequence[uuid.UUID]) -> date | None:
    """The earliest death in force among the ids of one person."""
    value: date | None = await session.scalar(_DEATH_OF, {"ids": list(person_ids)})
    return value


async def upsert_refusal(session: AsyncSession, beneficiary_id: uuid.UUID, year: int, source: str) -> None:
    stmt = insert(InKindRefusal).values(beneficiary_id=beneficiary_id, year=year, source=source)
    await session.execute(stmt.on_conflict_do_nothing())


async def upsert_diagnosis(
    session: AsyncSession, beneficiary_id: uuid.UUID, icd10: str, since: date | None
) -> None:
    stmt = insert(BeneficiaryDiagnosis).values(beneficiary_id=beneficiary_id, icd10=icd10, since=since)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[BeneficiaryDiagnosis.beneficiary_id, BeneficiaryDiagnosis.icd10],
            set_={"since": stmt.excluded.since},
        )
    )


# --- the list -------------------------------------------------------------------------------------


def _active(on: date) -> Any:
    return and_(Entitlement.valid_from <= on, or_(Entitlement.valid_to.is_(None), Entitlement.valid_to >= on))


def filtered(f: BeneficiaryFilter) -> Select[Any]:
    stmt = select(Beneficiary)
    ent = [Entitlement.beneficiary_id == Beneficiary.id]
    if f.category:
        ent.append(Entitlement.category_code == f.category)
    if f.funding_source:
        ent.append(
            Entitlement.category_code.in_(
                select(BenefitCategory.code).where(BenefitCategory.funding_source == f.funding_source)
            )
        )
    if f.active_on:
        ent.append(_active(f.active_on))
    if len(ent) > 1:
        stmt = stmt.where(exists().where(*ent))
    if f.refused_year is not None:
        stmt = stmt.where(
            exists().where(
                InKindRefusal.beneficiary_id == Beneficiary.id, InKindRefusal.year == f.refused_year
            )
        )
    if f.other_region is not None:
        stmt = stmt.where(
            Beneficiary.home_region.is_not(None) if f.other_region else Beneficiary.home_region.is_(None)
        )
    if f.q:
        digits = f.q.replace("-", "").replace(" ", "")
        if digits.isascii() and digits.isdigit():  # a SNILS as typed (with or without separators)
            stmt = stmt.where(Beneficiary.snils.startswith(digits, autoescape=True))
        else:
            stmt = stmt.where(
                func.concat_ws(
                    " ", Beneficiary.surname, Beneficiary.first_name, Beneficiary.patronymic
                ).ilike(f"{f.q.strip()}%")
            )
    return stmt


async def page(
    session: AsyncSession, f: BeneficiaryFilter, order: list[Any], limit: int, offset: int
) -> tuple[list[Beneficiary], int]:
    stmt = filtered(f)
    total = int(await session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
    rows = (await session.scalars(stmt.order_by(*order, Beneficiary.id).limit(limit).offset(offset))).all()
    return [r for r in rows], total


async def active_categories(
    session: AsyncSession, beneficiary_ids: Sequence[uuid.UUID], on: date
) -> dict[uuid.UUID, list[str]]:
    if not beneficiary_ids:
        return {}
    rows = await session.execute(
        select(Entitlement.beneficiary_id, Entitlement.category_code)
        .where(Entitlement.beneficiary_id.in_(beneficiary_ids), _active(on))
        .order_by(Entitlement.category_code)
    )
    out: dict[uuid.UUID, list[str]] = {}
    for bid, code in rows:
        out.setdefault(bid, []).append(code)
    return out


# --- the registry's deaths and merges ----------------------------------------------------------------


async def lock_person(session: AsyncSession, person_id: uuid.UUID) -> None:
    await session.execute(_LOCK_PERSON, {"person_id": str(person_id)})


async def record_death(
    session: AsyncSession, person_id: uuid.UUID, death_date: date, *, retracted: bool, event_time: datetime
) -> None:
    """The latest event by the envelope's time wins; an older one arriving late changes nothing."""
    await lock_person(session, person_id)
    stmt = insert(PersonDeath).values(
        person_id=person_id, death_date=death_date, retracted=retracted, event_time=event_time
    )
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[PersonDeath.person_id],
            set_={
                "death_date": stmt.excluded.death_date,
                "retracted": stmt.excluded.retracted,
                "event_time": stmt.excluded.event_time,
            },
            where=PersonDeath.event_time <= stmt.excluded.event_time,
        )
    )


async def record_merge(
    session: AsyncSession,
    merge_id: uuid.UUID,
    survivor_id: uuid.UUID,
    merged_id: uuid.UUID,
    *,
    undone: bool,
    event_time: datetime,
) -> None:
    await lock_person(session, merged_id)
    stmt = insert(PersonMerge).values(
        merge_id=merge_id, survivor_id=survivor_id, merged_id=merged_id, undone=undone, event_time=event_time
    )
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[PersonMerge.merge_id],
            set_={"undone": stmt.excluded.undone, "event_time": stmt.excluded.event_time},
            where=PersonMerge.event_time <= stmt.excluded.event_time,
        )
    )


# --- loads of the federal register ----------------------------------------------------------------------

_LOCK_LOADS = text("SELECT pg_advisory_xact_lock(hashtext('pharmacy.federal_register_load'))")


async def lock_loads(session: AsyncSession) -> None:
    """Loads of the federal register take turns (two at once would both add the same new SNILS)."""
    await session.execute(_LOCK_LOADS)


async def by_snils(session: AsyncSession, snils: Iterable[str]) -> dict[str, Beneficiary]:
    values = list(snils)
    rows = (await session.scalars(select(Beneficiary).where(Beneficiary.snils.in_(values)))).all()
    return {b.snils: b for b in rows if b.snils}


async def federal_entitlements(session: AsyncSession) -> list[tuple[str, Entitlement]]:
    """Every entitlement the federal register gave, with the beneficiary's SNILS."""
    rows = await session.execute(
        select(Beneficiary.snils, Entitlement)
        .join(Entitlement, Entitlement.beneficiary_id == Beneficiary.id)
        .where(Entitlement.source == "federal_register", Beneficiary.snils.is_not(None))
    )
    return [(snils, ent) for snils, ent in rows if snils]


async def other_entitlements(
    session: AsyncSession, categories: Iterable[str]
) -> dict[tuple[str, str, date], Entitlement]:
    """The entitlements of ``categories`` not given by the federal register (registered here by
    hand, the demo's) of beneficiaries with a SNILS, by (SNILS, category, start)."""
    codes = list(set(categories))
    if not codes:
        return {}
    rows = await session.execute(
        select(Beneficiary.snils, Entitlement)
        .join(Entitlement, Entitlement.beneficiary_id == Beneficiary.id)
        .where(
            Entitlement.source != "federal_register",
            Entitlement.category_code.in_(codes),
            Beneficiary.snils.is_not(None),
        )
    )
    return {(snils, ent.category_code, ent.valid_from): ent for snils, ent in rows if snils}


async def federal_refusals(session: AsyncSession, year: int) -> dict[uuid.UUID, InKindRefusal]:
    rows = (
        await session.scalars(
            select(InKindRefusal).where(
                InKindRefusal.year == year, InKindRefusal.source == "federal_register"
            )
        )
    ).all()
    return {r.beneficiary_id: r for r in rows}


async def delete(session: AsyncSession, row: Any) -> None:
    await session.delete(row)


async def touch(session: AsyncSession, beneficiary_ids: Iterable[uuid.UUID]) -> None:
    ids = list(set(beneficiary_ids))
    if ids:
        await session.execute(
            update(Beneficiary).where(Beneficiary.id.in_(ids)).values(updated_at=func.now())
        )


async def get_load(session: AsyncSession, load_id: uuid.UUID) -> RegisterLoad | None:
    return await session.get(RegisterLoad, load_id)


# --- matching to the registry's persons ----------------------------------------------------------------


async def beneficiaries_by_persons(
    session: AsyncSession, person_ids: Iterable[uuid.UUID]
) -> dict[uuid.UUID, Beneficiary]:
    ids = list(set(person_ids))
    if not ids:
        return {}
    rows = (await session.scalars(select(Beneficiary).where(Beneficiary.person_id.in_(ids)))).all()
    return {b.person_id: b for b in rows if b.person_id}


async def unmatched(session: AsyncSession) -> list[Beneficiary]:
    """The beneficiaries the federal register brought whose registry person is not known yet."""
    rows = await session.scalars(
        select(Beneficiary)
        .where(Beneficiary.person_id.is_(None), Beneficiary.snils.is_not(None))
        .order_by(Beneficiary.snils)
    )
    return list(rows.all())


_FOLD = (
    # An entitlement the other beneficiary already holds (same category and start, registered by
    # hand) becomes the federal register's when the folded one's came from it: the register is
    # authoritative for its categories (its document and end, its source — a later load may end it).
    text(
        "UPDATE entitlement o SET valid_to = e.valid_to, document_kind = e.document_kind, "
        "document_series = e.document_series, document_number = e.document_number, "
        "document_date = e.document_date, document_issuer = e.document_issuer, "
        "source = e.source, updated_at = now() "
        "FROM entitlement e WHERE e.beneficiary_id = :from AND o.beneficiary_id = :to "
        "AND o.category_code = e.category_code AND o.valid_from = e.valid_from "
        "AND e.source = 'federal_register' AND o.source <> 'federal_register'"
    ),
    # The others move; those the other beneficiary already holds stay (and go with the folded one).
    text(
        "UPDATE entitlement e SET beneficiary_id = :to WHERE e.beneficiary_id = :from AND NOT EXISTS "
        "(SELECT 1 FROM entitlement o WHERE o.beneficiary_id = :to "
        "AND o.category_code = e.category_code AND o.valid_from = e.valid_from)"
    ),
    text(
        "INSERT INTO in_kind_refusal (beneficiary_id, year, source, recorded_at) "
        "SELECT :to, year, source, recorded_at FROM in_kind_refusal WHERE beneficiary_id = :from "
        # the year's refusal held by hand becomes the register's (its next load replaces it)
        "ON CONFLICT (beneficiary_id, year) DO UPDATE SET source = EXCLUDED.source "
        "WHERE EXCLUDED.source = 'federal_register'"
    ),
    text(
        "INSERT INTO beneficiary_diagnosis (beneficiary_id, icd10, since) "
        "SELECT :to, icd10, since FROM beneficiary_diagnosis WHERE beneficiary_id = :from "
        # the same diagnosis held: kept, its date the earlier known
        "ON CONFLICT (beneficiary_id, icd10) DO UPDATE SET since = "
        "LEAST(beneficiary_diagnosis.since, EXCLUDED.since)"
    ),
)


async def fold_into(session: AsyncSession, source: Beneficiary, target: Beneficiary) -> None:
    """``source``'s entitlements, refusals and diagnoses moved to ``target``, ``source`` deleted
    (what is left of it goes with it); flushed, so that ``target`` may take its SNILS."""
    await session.flush()
    params = {"from": source.id, "to": target.id}
    for statement in _FOLD:
        await session.execute(
            statement.bindparams(
                bindparam("from", type_=UUID(as_uuid=True)), bindparam("to", type_=UUID(as_uuid=True))
            ),
            params,
        )
    await session.delete(source)
    await session.flush()
    # Rows moved or changed by SQL: the session's copies of them are stale (the target's too).
    for row in list(session.identity_map.values()):
        if isinstance(row, (Entitlement, InKindRefusal, BeneficiaryDiagnosis)) and (
            row.beneficiary_id in (source.id, target.id)
        ):
            session.expunge(row)
