"""Candidate retrieval ("blocking"): the few persons worth scoring, found through indexes so a
request costs the same with 2,000,000 persons as with 2,000.

- identifiers: SNILS, ENP and document keys among current facts (partial btree
  ``ix_person_fact_current_key``);
- the birth date and the date with day and month exchanged (btree on ``person_search``,
  ~70 persons per date in 2M): everyone there is scored, whatever their name, so a maiden
  name or a transliterated one is still compared;
- dates one digit away (~20 dates), narrowed in SQL by trigram similarity of the full name;
- without a birth date, the trigram GIN index of the normalised full name (best 200).

The union is scored in Python (``scoring.compare``)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy import Select, func, literal, select, union
from sqlalchemy.ext.asyncio import AsyncSession

from registry.matching.scoring import Profile
from registry.models.person import Person, PersonFact, PersonSearch
from registry.person.facts import FactKind
from registry.person.repository import is_current

ONE_DIGIT_SIMILARITY = 0.45
NAME_ONLY_LIMIT = 200
EARLIEST_BIRTH = date(1900, 1, 1)


def swapped(d: date) -> date | None:
    if d.day > 12 or d.day == d.month:
        return None
    try:
        return date(d.year, d.day, d.month)
    except ValueError:
        return None


def one_digit_variants(d: date) -> list[date]:
    """Valid dates whose ДДММГГГГ differs from ``d`` in exactly one digit."""
    text = f"{d:%d%m%Y}"
    found: set[date] = set()
    for i, digit in enumerate(text):
        for other in "0123456789":
            if other == digit:
                continue
            candidate = text[:i] + other + text[i + 1 :]
            try:
                variant = date(int(candidate[4:]), int(candidate[2:4]), int(candidate[:2]))
            except ValueError:
                continue
            if EARLIEST_BIRTH <= variant <= date.today():
                found.add(variant)
    return sorted(found)


def full_name(query: Profile) -> str:
    return " ".join(p for p in (query.surname, query.first_name, query.patronymic) if p)


def _unmerged(stmt: Select[Any]) -> Select[Any]:
    return stmt.join(Person, Person.id == PersonSearch.person_id).where(Person.merged_into.is_(None))


def _key_holders(kinds: list[str], keys: list[str]) -> Select[Any]:
    return select(PersonFact.person_id).where(
        PersonFact.kind.in_(kinds), PersonFact.key.in_(keys), is_current()
    )


async def candidate_ids(session: AsyncSession, query: Profile) -> set[uuid.UUID]:
    """Ids of unmerged persons worth comparing with ``query`` (``query.person_id`` excluded)."""
    parts: list[Select[Any]] = []
    for kind, key in ((FactKind.snils, query.snils), (FactKind.enp, query.enp)):
        if key:
            parts.append(_key_holders([kind.value], [key]))
    if query.documents:
        parts.append(_key_holders([FactKind.document.value], sorted({key for _, key in query.documents})))
    name = full_name(query)
    if query.birth_date is not None:
        dates = [query.birth_date] + ([s] if (s := swapped(query.birth_date)) else [])
        parts.append(_unmerged(select(PersonSearch.person_id).where(PersonSearch.birth_date.in_(dates))))
        variants = one_digit_variants(query.birth_date)
        if name and variants:
            parts.append(
                _unmerged(
                    select(PersonSearch.person_id).where(
                        PersonSearch.birth_date.in_(variants),
                        func.similarity(literal(name), PersonSearch.name_norm) >= ONE_DIGIT_SIMILARITY,
                    )
                )
            )
    ids: set[uuid.UUID] = set()
    if query.birth_date is None and name:
        score = func.word_similarity(literal(name), PersonSearch.name_norm)
        best = (
            _unmerged(select(PersonSearch.person_id))
            .where(literal(name).op("<%")(PersonSearch.name_norm))
            .order_by(score.desc())
            .limit(NAME_ONLY_LIMIT)
        )
        ids.update((await session.scalars(best)).all())
    if parts:
        ids.update(row[0] for row in await session.execute(union(*parts)))
    if query.person_id is not None:
        ids.discard(query.person_id)
    return ids
