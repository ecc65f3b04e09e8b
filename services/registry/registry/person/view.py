"""Fact rows → what the API shows: the person on a date, the history, the search projection."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from registry.models.person import Person, PersonFact, PersonSearch
from registry.person.facts import FactKind, range_bounds
from registry.person.names import normalize_name
from registry.person.schemas import (
    AddressRead,
    AttachmentRead,
    ContactRead,
    DocumentRead,
    EmploymentStatus,
    FactRead,
    InsuranceRead,
    NameRead,
    PersonRead,
    PersonSummary,
    Sex,
)


def _period(fact: PersonFact) -> dict[str, Any]:
    valid_from, valid_to = range_bounds(fact.valid)
    return {"fact_id": fact.id, "valid_from": valid_from, "valid_to": valid_to}


def person_on(
    person: Person, requested: Person, facts: Sequence[PersonFact], *, on: date, as_of: datetime
) -> PersonRead:
    by_kind: dict[str, list[PersonFact]] = {}
    for fact in facts:
        by_kind.setdefault(fact.kind, []).append(fact)

    def one(kind: FactKind) -> PersonFact | None:
        rows = by_kind.get(kind.value, [])
        return rows[0] if rows else None

    name, sex, birth = one(FactKind.name), one(FactKind.sex), one(FactKind.birth)
    snils, enp, death = one(FactKind.snils), one(FactKind.enp), one(FactKind.death)
    insurance, attachment = one(FactKind.insurance), one(FactKind.attachment)
    employment = one(FactKind.employment)
    return PersonRead(
        id=person.id,
        oip=person.oip,
        requested_id=requested.id,
        merged_into=person.id if requested.id != person.id else None,
        on=on,
        as_of=as_of,
        name=NameRead(**_period(name), **name.data, reason=name.reason) if name else None,
        sex=Sex(sex.data["sex"]) if sex else None,
        birth_date=date.fromisoformat(birth.data["birth_date"]) if birth else None,
        birth_place=birth.data.get("birth_place") if birth else None,
        snils=snils.data["snils"] if snils else None,
        enp=enp.data["enp"] if enp else None,
        death_date=date.fromisoformat(death.data["death_date"]) if death else None,
        documents=[DocumentRead(**_period(f), **f.data) for f in by_kind.get(FactKind.document.value, [])],
        addresses=[AddressRead(**_period(f), **f.data) for f in by_kind.get(FactKind.address.value, [])],
        contacts=[ContactRead(**_period(f), **f.data) for f in by_kind.get(FactKind.contact.value, [])],
        insurance=InsuranceRead(**_period(insurance), **insurance.data) if insurance else None,
        attachment=AttachmentRead(**_period(attachment), **attachment.data) if attachment else None,
        employment=EmploymentStatus(employment.data["status"]) if employment else None,
        mother_id=person.mother_id,
        created_at=person.created_at,
    )


def attachment_read(fact: PersonFact) -> AttachmentRead:
    return AttachmentRead(**_period(fact), **fact.data)


def fact_read(fact: PersonFact) -> FactRead:
    valid_from, valid_to = range_bounds(fact.valid)
    assert fact.recorded.lower is not None
    return FactRead(
        fact_id=fact.id,
        kind=fact.kind,
        slot=fact.slot,
        valid_from=valid_from,
        valid_to=valid_to,
        recorded_from=fact.recorded.lower,
        recorded_to=fact.recorded.upper,
        data=fact.data,
        reason=fact.reason,
        recorded_by=fact.recorded_by,
    )


def _latest(facts: Sequence[PersonFact], kind: FactKind, today: date) -> PersonFact | None:
    """The current fact valid today, else the one that began last (a future or past one)."""
    rows = [f for f in facts if f.kind == kind.value]
    for f in rows:
        lower, upper = f.valid.lower, f.valid.upper
        if lower is not None and lower <= today and (upper is None or today < upper):
            return f
    return max(rows, key=lambda f: f.valid.lower or date.min, default=None)


def projection(person: Person, facts: Sequence[PersonFact], today: date) -> dict[str, Any] | None:
    """The ``person_search`` row of ``person`` from its current facts (None until it has a
    name, a sex and a birth date)."""
    name = _latest(facts, FactKind.name, today)
    sex = _latest(facts, FactKind.sex, today)
    birth = _latest(facts, FactKind.birth, today)
    if name is None or sex is None or birth is None:
        return None
    snils = _latest(facts, FactKind.snils, today)
    enp = _latest(facts, FactKind.enp, today)
    death = _latest(facts, FactKind.death, today)
    return {
        "person_id": person.id,
        "oip": person.oip,
        "surname": name.data["surname"],
        "first_name": name.data["first_name"],
        "patronymic": name.data.get("patronymic"),
        "name_norm": normalize_name(
            name.data["surname"], name.data["first_name"], name.data.get("patronymic")
        ),
        "birth_date": date.fromisoformat(birth.data["birth_date"]),
        "sex": sex.data["sex"],
        "snils": snils.data["snils"] if snils else None,
        "enp": enp.data["enp"] if enp else None,
        "death_date": date.fromisoformat(death.data["death_date"]) if death else None,
    }


def summary_of(row: PersonSearch, *, score: float | None = None, swapped: bool = False) -> PersonSummary:
    """A person's line in lists (search, matching, the duplicate queue), from the projection."""
    return PersonSummary(
        id=row.person_id,
        oip=row.oip,
        surname=row.surname,
        first_name=row.first_name,
        patronymic=row.patronymic,
        birth_date=row.birth_date,
        sex=Sex(row.sex),
        snils=row.snils,
        enp=row.enp,
        death_date=row.death_date,
        score=round(float(score), 3) if score is not None else None,
        birth_date_swapped=swapped,
    )
