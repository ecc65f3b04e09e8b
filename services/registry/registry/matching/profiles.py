"""Persons of the register as matching profiles: the current state from the search projection,
every surname the name history ever held, the identity document keys. Three indexed queries
for any number of persons."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.auth import Principal
from registry.matching.scoring import Profile, profile
from registry.models.person import Person, PersonFact, PersonSearch
from registry.person.access import visible
from registry.person.facts import FactKind
from registry.person.repository import is_current


@dataclass(frozen=True)
class Loaded:
    row: PersonSearch
    profile: Profile


async def load_profiles(
    session: AsyncSession, person_ids: Collection[uuid.UUID], *, visible_to: Principal | None = None
) -> dict[uuid.UUID, Loaded]:
    """Profiles of the persons among ``person_ids`` that are not merged into another (and that
    ``visible_to`` may see, when given)."""
    if not person_ids:
        return {}
    ids = list(person_ids)
    stmt = (
        select(PersonSearch)
        .join(Person, Person.id == PersonSearch.person_id)
        .where(PersonSearch.person_id.in_(ids), Person.merged_into.is_(None))
    )
    if visible_to is not None:
        stmt = stmt.where(visible(PersonSearch.person_id, visible_to))
    rows = (await session.scalars(stmt)).all()
    found = [r.person_id for r in rows]
    surnames: dict[uuid.UUID, set[str]] = {}
    documents: dict[uuid.UUID, set[tuple[str, str]]] = {}
    if found:
        # Every name ever recorded, corrections included: a maiden name, a misspelling the
        # register once held — each is how the person may be typed again.
        names = await session.execute(
            select(PersonFact.person_id, PersonFact.data["surname"].astext).where(
                PersonFact.person_id.in_(found), PersonFact.kind == FactKind.name.value
            )
        )
        # ...and the names of the duplicates merged into them.
        merged_names = await session.execute(
            select(Person.merged_into, PersonFact.data["surname"].astext)
            .join(PersonFact, PersonFact.person_id == Person.id)
            .where(Person.merged_into.in_(found), PersonFact.kind == FactKind.name.value)
        )
        for person_id, surname in [*names, *merged_names]:
            if person_id and surname:
                surnames.setdefault(person_id, set()).add(surname)
        docs = await session.execute(
            select(PersonFact.person_id, PersonFact.slot, PersonFact.key).where(
                PersonFact.person_id.in_(found),
                PersonFact.kind == FactKind.document.value,
                PersonFact.key.is_not(None),
                is_current(),
            )
        )
        for person_id, slot, key in docs:
            if key:
                documents.setdefault(person_id, set()).add((slot, key))
    return {
        r.person_id: Loaded(
            r,
            profile(
                person_id=r.person_id,
                oip=r.oip,
                surname=r.surname,
                first_name=r.first_name,
                patronymic=r.patronymic,
                former_surnames=surnames.get(r.person_id, ()),
                birth_date=r.birth_date,
                sex=r.sex,
                snils=r.snils,
                enp=r.enp,
                documents=documents.get(r.person_id, ()),
            ),
        )
        for r in rows
    }
