"""Candidate retrieval ("blocking"): the few persons worth scoring, found through indexes so a
request costs the same with 2,000,000 persons as with 2,000.

- identifiers: SNILS, ENP and document keys among current facts (partial btree
  ``ix_person_fact_current_key``);
- the birth date and the date with day and month exchanged (btree on ``person_search``,
  ~70 persons per date in 2M): everyone there is scored, whatever their name, so a maiden
  name or a transliterated one is still compared;
- dates one digit away (~33) or with two neighbouring digits exchanged (~1), narrowed in SQL
  by trigram similarity of the full name;
- without a birth date, the trigram GIN index of the normalised full name (best 200).

The union is scored in Python (``scoring.compare``); the SQL is ``MatchingRepository``'s."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from registry.matching.repository import MatchingRepository
from registry.matching.scoring import Profile
from registry.person.dates import swapped_day_month
from registry.person.facts import FactKind

NEAR_SIMILARITY = 0.45  # a date one digit away or transposed: the name must be alike
NAME_ONLY_LIMIT = 200
EARLIEST_BIRTH = date(1900, 1, 1)


def _valid(text: str) -> date | None:
    """The date of a ДДММГГГГ string, if it is one and a possible birth date."""
    try:
        found = date(int(text[4:]), int(text[2:4]), int(text[:2]))
    except ValueError:
        return None
    return found if EARLIEST_BIRTH <= found <= date.today() else None


def one_digit_variants(d: date) -> list[date]:
    """Valid dates whose ДДММГГГГ differs from ``d`` in exactly one digit."""
    text = f"{d:%d%m%Y}"
    variants = (
        _valid(text[:i] + other + text[i + 1 :])
        for i, digit in enumerate(text)
        for other in "0123456789"
        if other != digit
    )
    return sorted({v for v in variants if v is not None})


def transposed_variants(d: date) -> list[date]:
    """Valid dates whose ДДММГГГГ is ``d``'s with two different neighbouring digits
    exchanged (1967 → 1976, the 13th → the 31st)."""
    text = f"{d:%d%m%Y}"
    variants = (
        _valid(text[:i] + text[i + 1] + text[i] + text[i + 2 :])
        for i in range(len(text) - 1)
        if text[i] != text[i + 1]
    )
    return sorted({v for v in variants if v is not None})


def full_name(query: Profile) -> str:
    return " ".join(p for p in (query.surname, query.first_name, query.patronymic) if p)


async def candidate_ids(session: AsyncSession, query: Profile) -> set[uuid.UUID]:
    """Ids of unmerged persons worth comparing with ``query`` (``query.person_id`` excluded)."""
    repo = MatchingRepository(session)
    keys = [
        (FactKind.snils.value, [query.snils] if query.snils else []),
        (FactKind.enp.value, [query.enp] if query.enp else []),
        (FactKind.document.value, sorted({key for _, key in query.documents})),
    ]
    name = full_name(query)
    dates: list[date] = []
    near: list[date] = []
    if query.birth_date is not None:
        dates = [query.birth_date] + ([s] if (s := swapped_day_month(query.birth_date)) else [])
        near = sorted({*one_digit_variants(query.birth_date), *transposed_variants(query.birth_date)})
    ids: set[uuid.UUID] = set()
    if query.birth_date is None and name:
        ids.update(await repo.best_by_name(name, NAME_ONLY_LIMIT))
    ids |= await repo.blocked_ids(
        keys=keys, dates=dates, near_dates=near, name=name, near_similarity=NEAR_SIMILARITY
    )
    if query.person_id is not None:
        ids.discard(query.person_id)
    return ids
