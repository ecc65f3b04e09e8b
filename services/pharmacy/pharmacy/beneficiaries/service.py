"""The rules of the register of beneficiaries: entitlement on a date, the card, the list, the
registration of a beneficiary, and the load of the federal register with its diff. No SQL here
(``repository``); every read of a person's data is audited in the request's transaction."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any, Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.audit import audit_access, audit_access_many
from oms_kit.auth import Principal
from oms_kit.errors import Conflict, InvalidInput, NotFound
from oms_kit.masking import mask_snils
from pharmacy.beneficiaries import register_match, repository
from pharmacy.beneficiaries.federal_file import Parsed, Problem
from pharmacy.beneficiaries.register_match import NOT_ASKED, Candidate, Lookup, Outcome
from pharmacy.beneficiaries.repository import BeneficiaryFilter
from pharmacy.beneficiaries.schemas import (
    BeneficiaryCard,
    BeneficiaryIn,
    BeneficiarySummary,
    CategoryAnswer,
    DiagnosisIn,
    EntitlementAnswer,
    EntitlementIn,
    EntitlementRead,
    Refusal,
)
from pharmacy.models import Beneficiary, BenefitCategory, Entitlement, RegisterLoad

RESOURCE = "pharmacy.beneficiary"
CHANGES_KEPT = 2000  # of a load's diff lines, the first ones are kept on the load (counts are all)


def _mask_enp(enp: str | None) -> str | None:
    return "*" * 12 + enp[-4:] if enp else None


def _masked(snils: str | None) -> str | None:
    return mask_snils(snils) if snils else None


def diagnosis_matches(icd10: str, prefixes: Sequence[str]) -> bool:
    code = icd10.upper()
    return any(code.startswith(p) for p in prefixes)


async def _categories(session: AsyncSession) -> dict[str, BenefitCategory]:
    return {c.code: c for c in await repository.categories(session)}


# --- entitlement on a date ------------------------------------------------------------------------


async def entitlement(
    session: AsyncSession,
    principal: Principal,
    person_id: uuid.UUID,
    on: date,
    *,
    drug_list: str | None = None,
    diagnosis: str | None = None,
) -> EntitlementAnswer:
    if drug_list is not None and drug_list not in {d.code for d in await repository.drug_lists(session)}:
        raise InvalidInput(f"Нет перечня лекарственных препаратов «{drug_list}»")
    await audit_access(
        session, principal, action="read", resource=f"{RESOURCE}.entitlement", person_id=person_id
    )
    return await entitlement_on(session, person_id, on, drug_list=drug_list, diagnosis=diagnosis)


async def entitlement_on(
    session: AsyncSession,
    person_id: uuid.UUID,
    on: date,
    *,
    drug_list: str | None = None,
    diagnosis: str | None = None,
) -> EntitlementAnswer:
    """:func:`entitlement` without the audit row: for callers that audit the person's access
    themselves (the checks at dispensing, the medico-economic control's batch). The facts are
    read here; the decision is :func:`entitlement_from`'s (the dispense reads the same facts
    within its one statement and decides with it too)."""
    ids = await repository.same_person_ids(session, person_id)
    beneficiaries = await repository.beneficiaries_of(session, ids)
    if not beneficiaries:
        return entitlement_from(person_id, on, NOT_REGISTERED, drug_list=drug_list, diagnosis=diagnosis)
    death = await repository.death_of(session, ids)
    visitor = beneficiaries[0]
    facts = EntitlementFacts(
        registered=True,
        death=death,
        temporary_until=visitor.temporary_until,
        home_region=visitor.home_region,
    )
    if (death is not None and on >= death) or (
        visitor.temporary_until is not None and on > visitor.temporary_until
    ):
        return entitlement_from(person_id, on, facts, drug_list=drug_list, diagnosis=diagnosis)
    bids = [b.id for b in beneficiaries]
    ents = await repository.entitlements_of(session, bids)
    if ents:
        refused = frozenset(r.year for r in await repository.refusals_of(session, bids))
        cats = {
            c.code: c for c in await repository.categories_by_code(session, {e.category_code for e in ents})
        }
        facts = replace(
            facts,
            entitlements=tuple((e, cats[e.category_code]) for e in ents),
            refused_years=refused,
        )
    return entitlement_from(person_id, on, facts, drug_list=drug_list, diagnosis=diagnosis)


class EntitlementLike(Protocol):
    @property
    def category_code(self) -> str: ...
    @property
    def valid_from(self) -> date: ...
    @property
    def valid_to(self) -> date | None: ...


class CategoryLike(Protocol):
    @property
    def code(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def funding_source(self) -> str: ...
    @property
    def drug_list_code(self) -> str: ...
    @property
    def discount_percent(self) -> int: ...
    @property
    def icd10(self) -> Sequence[str]: ...
    @property
    def in_kind_refusable(self) -> bool: ...


@dataclass(frozen=True, slots=True)
class EntitlementFacts:
    """What the entitlement of a person on a date is decided from (over the person's ids: the
    survivor of merges in force and the persons merged into it): registered at all, the
    earliest death in force, the survivor's beneficiary's stay in the region (persons from
    other regions), the entitlements with their categories (by start, then category), the
    years of refusal of the in-kind benefit."""

    registered: bool
    death: date | None = None
    temporary_until: date | None = None
    home_region: str | None = None
    entitlements: tuple[tuple[EntitlementLike, CategoryLike], ...] = ()
    refused_years: frozenset[int] = frozenset()


NOT_REGISTERED = EntitlementFacts(registered=False)


def entitlement_from(
    person_id: uuid.UUID,
    on: date,
    facts: EntitlementFacts,
    *,
    drug_list: str | None = None,
    diagnosis: str | None = None,
) -> EntitlementAnswer:
    """The entitlement on ``on`` decided from the facts (no I/O)."""

    def answer(categories: list[CategoryAnswer], reasons: list[Refusal]) -> EntitlementAnswer:
        return EntitlementAnswer(
            person_id=person_id, on=on, entitled=bool(categories), categories=categories, reasons=reasons
        )

    if not facts.registered:
        return answer(
            [],
            [Refusal(category_code=None, reason="not_registered", message="Лицо не в регистре льготников")],
        )
    death = facts.death
    if death is not None and on >= death:
        message = f"Лицо умерло {death:%d.%m.%Y}: право приостановлено с даты смерти"
        return answer([], [Refusal(category_code=None, reason="dead", message=message)])
    if facts.temporary_until is not None and on > facts.temporary_until:
        message = (
            f"Иногородний льготник (регион {facts.home_region or '—'}): обслуживание в регионе "
            f"по {facts.temporary_until:%d.%m.%Y}"
        )
        return answer([], [Refusal(category_code=None, reason="temporary_ended", message=message)])
    if not facts.entitlements:
        return answer(
            [], [Refusal(category_code=None, reason="no_entitlement", message="Нет ни одной льготы")]
        )
    granted: dict[str, CategoryAnswer] = {}
    reasons: list[Refusal] = []
    for ent, cat in facts.entitlements:
        why = _why_not(ent, cat, on, facts.refused_years, drug_list, diagnosis)
        if why is None:
            granted.setdefault(
                cat.code,
                CategoryAnswer(
                    code=cat.code,
                    name=cat.name,
                    funding_source=cat.funding_source,
                    drug_list_code=cat.drug_list_code,
                    discount_percent=cat.discount_percent,
                ),
            )
        else:
            reasons.append(why)
    reasons = [r for r in reasons if r.category_code not in granted]
    return answer(list(granted.values()), reasons)


def _why_not(
    ent: EntitlementLike,
    cat: CategoryLike,
    on: date,
    refused: frozenset[int],
    drug_list: str | None,
    diagnosis: str | None,
) -> Refusal | None:
    code = cat.code
    if on < ent.valid_from:
        return Refusal(
            category_code=code,
            reason="not_started",
            message=f"«{cat.name}»: действует с {ent.valid_from:%d.%m.%Y}",
        )
    if ent.valid_to is not None and on > ent.valid_to:
        return Refusal(
            category_code=code,
            reason="expired",
            message=f"«{cat.name}»: действовала по {ent.valid_to:%d.%m.%Y}",
        )
    if cat.in_kind_refusable and on.year in refused:
        return Refusal(
            category_code=code,
            reason="refused_in_kind",
            message=f"«{cat.name}»: на {on.year} год выбраны деньги вместо лекарств (отказ от НСУ)",
        )
    if drug_list is not None and cat.drug_list_code != drug_list:
        return Refusal(
            category_code=code,
            reason="other_drug_list",
            message=f"«{cat.name}» покрывает перечень «{cat.drug_list_code}», а не «{drug_list}»",
        )
    if diagnosis is not None and cat.icd10 and not diagnosis_matches(diagnosis, cat.icd10):
        return Refusal(
            category_code=code,
            reason="diagnosis_not_covered",
            message=f"«{cat.name}» не покрывает диагноз {diagnosis.upper()}",
        )
    return None


# --- the card, the list, registration -------------------------------------------------------------------


async def card(session: AsyncSession, principal: Principal, person_id: uuid.UUID) -> BeneficiaryCard:
    ids = await repository.same_person_ids(session, person_id)
    beneficiaries = await repository.beneficiaries_of(session, ids)
    if not beneficiaries:
        raise NotFound("Лицо не в регистре льготников")
    await audit_access(session, principal, action="read", resource=RESOURCE, person_id=person_id)
    main = beneficiaries[0]
    bids = [b.id for b in beneficiaries]
    return BeneficiaryCard(
        id=main.id,
        person_id=main.person_id,
        surname=main.surname,
        first_name=main.first_name,
        patronymic=main.patronymic,
        birth_date=main.birth_date,
        sex=main.sex,
        snils_masked=_masked(main.snils),
        enp_masked=_mask_enp(main.enp),
        home_region=main.home_region,
        temporary_until=main.temporary_until,
        death_date=await repository.death_of(session, ids),
        entitlements=[
            EntitlementRead.model_validate(e) for e in await repository.entitlements_of(session, bids)
        ],
        refused_years=sorted({r.year for r in await repository.refusals_of(session, bids)}),
        diagnoses=[
            DiagnosisIn(icd10=d.icd10, since=d.since) for d in await repository.diagnoses_of(session, bids)
        ],
    )


async def search(
    session: AsyncSession,
    principal: Principal,
    f: BeneficiaryFilter,
    order: list[Any],
    limit: int,
    offset: int,
    on: date,
) -> tuple[list[BeneficiarySummary], int]:
    if f.category is not None and f.category not in await repository.category_codes(session):
        raise InvalidInput(f"Нет категории льготы «{f.category}»")
    rows, total = await repository.page(session, f, order, limit, offset)
    active = await repository.active_categories(session, [b.id for b in rows], on)
    await audit_access_many(
        session,
        principal,
        [b.person_id for b in rows if b.person_id],
        action="read",
        resource=f"{RESOURCE}.list",
    )
    items = [
        BeneficiarySummary(
            id=b.id,
            person_id=b.person_id,
            surname=b.surname,
            first_name=b.first_name,
            patronymic=b.patronymic,
            birth_date=b.birth_date,
            snils_masked=_masked(b.snils),
            home_region=b.home_region,
            categories_on=active.get(b.id, []),
        )
        for b in rows
    ]
    return items, total


async def _check_entitlements(session: AsyncSession, items: Sequence[EntitlementIn]) -> None:
    codes = await repository.category_codes(session)
    for e in items:
        if e.category_code not in codes:
            raise InvalidInput(f"Нет категории льготы «{e.category_code}»")
        if e.valid_to is not None and e.valid_to < e.valid_from:
            raise InvalidInput(f"Льгота «{e.category_code}»: дата окончания раньше даты начала")


def _entitlement(beneficiary_id: uuid.UUID, e: EntitlementIn, source: str) -> Entitlement:
    return Entitlement(id=uuid.uuid4(), beneficiary_id=beneficiary_id, source=source, **e.model_dump())


async def register(session: AsyncSession, principal: Principal, body: BeneficiaryIn) -> BeneficiaryCard:
    if await repository.beneficiary_by_person(session, body.person_id) is not None:
        raise Conflict("Лицо уже в регистре льготников")
    if body.snils and await repository.by_snils(session, [body.snils]):
        raise Conflict(f"СНИЛС {mask_snils(body.snils)} уже у другого льготника")
    await _check_entitlements(session, body.entitlements)
    b = Beneficiary(
        id=uuid.uuid4(),
        source="manual",
        **body.model_dump(exclude={"entitlements", "diagnoses"}),
    )
    await repository.add(session, b)
    for e in body.entitlements:
        await repository.add(session, _entitlement(b.id, e, "manual"))
    for d in body.diagnoses:
        await repository.upsert_diagnosis(session, b.id, d.icd10, d.since)
    await audit_access(session, principal, action="create", resource=RESOURCE, person_id=body.person_id)
    return await card(session, principal, body.person_id)


async def _own(session: AsyncSession, person_id: uuid.UUID) -> Beneficiary:
    b = await repository.beneficiary_by_person(session, await repository.survivor_of(session, person_id))
    if b is None:
        b = await repository.beneficiary_by_person(session, person_id)
    if b is None:
        raise NotFound("Лицо не в регистре льготников")
    return b


async def add_entitlement(
    session: AsyncSession, principal: Principal, person_id: uuid.UUID, body: EntitlementIn
) -> EntitlementRead:
    b = await _own(session, person_id)
    await _check_entitlements(session, [body])
    existing = await repository.entitlements_of(session, [b.id])
    if any(e.category_code == body.category_code and e.valid_from == body.valid_from for e in existing):
        raise Conflict("Такая льгота с этой датой начала уже есть")
    row = _entitlement(b.id, body, "manual")
    await repository.add(session, row)
    await audit_access(
        session, principal, action="update", resource=f"{RESOURCE}.entitlement", person_id=person_id
    )
    return EntitlementRead.model_validate(row)


async def set_refusal(session: AsyncSession, principal: Principal, person_id: uuid.UUID, year: int) -> None:
    b = await _own(session, person_id)
    await repository.upsert_refusal(session, b.id, year, "manual")
    await audit_access(
        session, principal, action="update", resource=f"{RESOURCE}.refusal", person_id=person_id
    )


async def set_diagnosis(
    session: AsyncSession, principal: Principal, person_id: uuid.UUID, body: DiagnosisIn
) -> None:
    b = await _own(session, person_id)
    await repository.upsert_diagnosis(session, b.id, body.icd10, body.since)
    await audit_access(
        session, principal, action="update", resource=f"{RESOURCE}.diagnosis", person_id=person_id
    )


# --- the federal register file ----------------------------------------------------------------------------


def _doc(e: Entitlement) -> tuple[Any, ...]:
    return (
        e.valid_from,
        e.valid_to,
        e.document_kind,
        e.document_series,
        e.document_number,
        e.document_date,
        e.document_issuer,
    )


async def apply_federal_register(
    session: AsyncSession,
    parsed: Parsed,
    *,
    as_of: date,
    file_name: str,
    data: bytes,
    actor: Principal,
    job_id: uuid.UUID | None = None,
    lookup: Lookup = NOT_ASKED,
) -> RegisterLoad:
    """The file is the whole federal register of the region on ``as_of``: its lines new here are
    added, those that differ changed, federal entitlements in force that the file no longer has
    ended the day before ``as_of``; the year's refusals of the in-kind benefit replaced by the
    file's. Loading the same file again changes nothing (all lines unchanged).

    Lines of a SNILS with no registry person yet are matched to one with ``lookup`` (the
    registry's answers for :func:`snils_to_match`, asked before the transaction): the line's
    beneficiary and entitlements are then that person's; the others stay without a person and
    are listed in the load's ``matching`` (``register_match``)."""
    await repository.lock_loads(session)
    problems: list[Problem] = list(parsed.problems)
    codes = await repository.category_codes(session)
    cats = await _categories(session)
    lines = []
    seen: set[tuple[str, str]] = set()
    for line in parsed.lines:
        if line.category not in codes or cats[line.category].funding_source != "federal":
            problems.append(
                Problem(line.line, "КодЛьготы", f"Нет федеральной категории льготы «{line.category}»")
            )
            continue
        if (line.snils, line.category) in seen:
            problems.append(Problem(line.line, "КодЛьготы", "Повтор льготы этого СНИЛС в файле"))
            continue
        seen.add((line.snils, line.category))
        lines.append(line)

    known = await repository.by_snils(session, {ln.snils for ln in lines})
    matching, create_under = await register_match.link(
        session, [Candidate(ln.snils, ln.birth_date, ln.line) for ln in lines], known, lookup
    )
    for line in lines:
        b = known.get(line.snils)
        if b is None:
            b = Beneficiary(
                id=uuid.uuid4(),
                person_id=create_under.get(line.snils),
                snils=line.snils,
                source="federal_register",
                surname=line.surname,
                first_name=line.first_name,
            )
            await repository.add(session, b)
            known[line.snils] = b
        b.surname, b.first_name, b.patronymic = line.surname, line.first_name, line.patronymic
        b.birth_date = line.birth_date or b.birth_date
        b.sex = line.sex or b.sex
        b.home_region = line.home_region

    current: dict[tuple[str, str], Entitlement] = {}
    for snils, ent in await repository.federal_entitlements(session):
        key = (snils, ent.category_code)
        if key not in current or ent.valid_from > current[key].valid_from:
            current[key] = ent
    # The same entitlement registered here by hand (same category and start): the federal line
    # takes it over rather than adding a second one (uq_entitlement_start).
    by_hand = await repository.other_entitlements(session, {ln.category for ln in lines})
    counts = {"new": 0, "changed": 0, "unchanged": 0, "ended": 0}
    changes: list[dict[str, Any]] = []

    def note(kind: str, snils: str, category: str, line: int | None, source_was: str | None = None) -> None:
        counts[kind] += 1
        if kind != "unchanged" and len(changes) < CHANGES_KEPT:
            change: dict[str, Any] = {
                "kind": kind,
                "snils_masked": mask_snils(snils),
                "category": category,
                "line": line,
            }
            if source_was is not None:
                change["source_was"] = source_was
            changes.append(change)

    for line in lines:
        b = known[line.snils]
        values = {
            "valid_from": line.valid_from,
            "valid_to": line.valid_to,
            "document_kind": line.document_kind,
            "document_series": line.document_series,
            "document_number": line.document_number,
            "document_date": line.document_date,
            "document_issuer": line.document_issuer,
        }
        held = current.get((line.snils, line.category))
        own = by_hand.get((line.snils, line.category, line.valid_from))
        if own is not None and own.beneficiary_id == b.id:
            # The register is authoritative for its categories: the entitlement registered by hand
            # becomes the register's (its document, end and source; a later load may end it). A
            # federal one of the category that started another day is this one now: removed.
            source_was = own.source
            for k, v in values.items():
                setattr(own, k, v)
            own.source = "federal_register"
            if held is not None:
                await repository.delete(session, held)
                current[(line.snils, line.category)] = own
            note("changed", line.snils, line.category, line.line, source_was)
        elif held is None:
            await repository.add(
                session,
                Entitlement(
                    id=uuid.uuid4(),
                    beneficiary_id=b.id,
                    category_code=line.category,
                    source="federal_register",
                    **values,
                ),
            )
            note("new", line.snils, line.category, line.line)
        elif _doc(held) == tuple(values.values()):
            note("unchanged", line.snils, line.category, line.line)
        else:
            for k, v in values.items():
                setattr(held, k, v)
            note("changed", line.snils, line.category, line.line)
    end = as_of - timedelta(days=1)
    for (snils, category), ent in current.items():
        if (snils, category) in seen:
            continue
        if ent.valid_to is None or ent.valid_to >= as_of:
            ent.valid_to = max(end, ent.valid_from)
            note("ended", snils, category, None)

    # The year's refusals of the in-kind benefit: the file's set replaces the earlier load's.
    refusing = {known[ln.snils].id for ln in lines if ln.refused_in_kind}
    for bid, row in (await repository.federal_refusals(session, as_of.year)).items():
        if bid not in refusing:
            await repository.delete(session, row)
    for bid in refusing:
        await repository.upsert_refusal(session, bid, as_of.year, "federal_register")
    await repository.touch(session, [known[ln.snils].id for ln in lines])

    load = RegisterLoad(
        id=uuid.uuid4(),
        job_id=job_id,
        file_name=file_name[:255],
        file_sha256=hashlib.sha256(data).hexdigest(),
        as_of=as_of,
        lines=parsed.total,
        refusals=len(refusing),
        problems=[p.as_dict() for p in sorted(problems, key=lambda p: p.line)],
        changes=changes,
        matching=matching.as_dict(),
        loaded_by=actor.subject,
        **counts,
    )
    await repository.add(session, load)
    await _audit_matched(session, actor, matching)
    await audit_access_many(
        session,
        actor,
        [b.person_id for b in known.values() if b.person_id],
        action="import",
        resource=f"{RESOURCE}.federal_register",
    )
    return load


# --- matching to the registry's persons -------------------------------------------------------------------


async def snils_to_match(session: AsyncSession, snils: set[str] | None = None) -> set[str]:
    """Of ``snils`` (a file's), those with no registry person here yet; None — every unmatched
    beneficiary's (the re-matching)."""
    if snils is None:
        return {b.snils for b in await repository.unmatched(session) if b.snils}
    known = await repository.by_snils(session, snils)
    return {s for s in snils if s not in known or known[s].person_id is None}


async def _audit_matched(session: AsyncSession, actor: Principal, outcome: Outcome) -> None:
    """The registry's person data read to match (SNILS, birth date): one row per person matched."""
    await audit_access_many(
        session, actor, outcome.persons, action="read", resource=f"{RESOURCE}.registry_match"
    )


async def rematch(session: AsyncSession, actor: Principal, lookup: Lookup) -> Outcome:
    """The beneficiaries still without a registry person matched again (``lookup``: the
    registry's answers for :func:`snils_to_match`), as a load does."""
    await repository.lock_loads(session)
    beneficiaries = await repository.unmatched(session)
    known = {b.snils: b for b in beneficiaries if b.snils}
    candidates = [Candidate(s, b.birth_date) for s, b in known.items()]
    outcome, _ = await register_match.link(session, candidates, known, lookup)
    await repository.touch(session, [b.id for b in beneficiaries if b.person_id is not None])
    await _audit_matched(session, actor, outcome)
    return outcome


# --- for other features (the prescription's issue): the person's lock and beneficiary -----------------


async def lock_person(session: AsyncSession, person_id: uuid.UUID) -> None:
    """Lock every id the person is known by (the survivor and the persons merged into it, in a
    stable order) as the registry's death and merge consumers lock them: a death being recorded
    is waited for and then seen by the caller, or it comes after the caller's transaction."""
    for same in sorted(await repository.same_person_ids(session, person_id), key=str):
        await repository.lock_person(session, same)


async def beneficiary_of_person(session: AsyncSession, person_id: uuid.UUID) -> Beneficiary | None:
    """The person's beneficiary record: the survivor's when the person was merged (else the
    first merged one's); None — not a beneficiary."""
    found = await repository.beneficiaries_of(session, await repository.same_person_ids(session, person_id))
    return found[0] if found else None
