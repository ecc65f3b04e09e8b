"""Persons of the register as matching profiles: the current state from the search projection,
every surname the name history ever held, the identity document keys. Four indexed queries
(``MatchingRepository``) for any number of persons."""

from __future__ import annotations

import uuid
from collections.abc import Collection
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.auth import Principal
from registry.matching.repository import MatchingRepository
from registry.matching.scoring import Profile, profile
from registry.models.person import PersonSearch


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
    repo = MatchingRepository(session)
    rows = await repo.search_rows(person_ids, visible_to=visible_to)
    found = [r.person_id for r in rows]
    # Every name ever recorded, corrections included: a maiden name, a misspelling the
    # register once held — each is how the person may be typed again; and the names of the
    # duplicates merged into them.
    surnames: dict[uuid.UUID, set[str]] = {}
    for person_id, surname in await repo.surnames_ever(found):
        surnames.setdefault(person_id, set()).add(surname)
    documents: dict[uuid.UUID, set[tuple[str, str]]] = {}
    for person_id, slot, key in await repo.current_documents(found):
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
