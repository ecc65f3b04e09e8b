"""All SQL of matching: candidate retrieval (blocking), the persons' matching data (the search
projection, every surname ever held, current document keys) and the quality sample. The
duplicate queue's SQL is in ``queue_repository``, the scan's in ``scan_repository``, the
merges' in ``merge_repository``."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, func, literal, select, union
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.auth import Principal
from registry.models.person import Person, PersonFact, PersonSearch
from registry.person.access import visible
from registry.person.facts import FactKind
from registry.person.repository import is_current


def _unmerged(stmt: Select[Any]) -> Select[Any]:
    return stmt.join(Person, Person.id == PersonSearch.person_id).where(Person.merged_into.is_(None))


def _key_holders(kind: str, keys: Sequence[str]) -> Select[Any]:
    return select(PersonFact.person_id).where(PersonFact.kind == kind, PersonFact.key.in_(keys), is_current())


class MatchingRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def blocked_ids(
        self,
        *,
        keys: Sequence[tuple[str, Sequence[str]]],
        dates: Sequence[date],
        near_dates: Sequence[date],
        name: str,
        near_similarity: float,
    ) -> set[uuid.UUID]:
        """One union, each part index-backed: current holders of the identifier ``keys``
        (``(kind, keys)``), unmerged persons born on ``dates``, and those born on
        ``near_dates`` whose normalised full name has trigram similarity ≥ ``near_similarity``
        with ``name``."""
        parts: list[Select[Any]] = [_key_holders(kind, values) for kind, values in keys if values]
        if dates:
            parts.append(_unmerged(select(PersonSearch.person_id).where(PersonSearch.birth_date.in_(dates))))
        if name and near_dates:
            parts.append(
                _unmerged(
                    select(PersonSearch.person_id).where(
                        PersonSearch.birth_date.in_(near_dates),
                        func.similarity(literal(name), PersonSearch.name_norm) >= near_similarity,
                    )
                )
            )
        if not parts:
            return set()
        return {row[0] for row in await self.session.execute(union(*parts))}

    async def best_by_name(self, name: str, limit: int) -> Sequence[uuid.UUID]:
        """Unmerged persons whose normalised full name is most like ``name`` (trigram GIN)."""
        score = func.word_similarity(literal(name), PersonSearch.name_norm)
        stmt = (
            _unmerged(select(PersonSearch.person_id))
            .where(literal(name).op("<%")(PersonSearch.name_norm))
            .order_by(score.desc())
            .limit(limit)
        )
        return (await self.session.scalars(stmt)).all()

    async def search_rows(
        self,
        person_ids: Collection[uuid.UUID],
        *,
        unmerged_only: bool = True,
        visible_to: Principal | None = None,
    ) -> Sequence[PersonSearch]:
        """Search-projection rows of ``person_ids`` (not merged into another, unless
        ``unmerged_only`` is false; only those ``visible_to`` may see, when given)."""
        if not person_ids:
            return []
        stmt = select(PersonSearch).where(PersonSearch.person_id.in_(list(person_ids)))
        if unmerged_only:
            stmt = stmt.join(Person, Person.id == PersonSearch.person_id).where(Person.merged_into.is_(None))
        if visible_to is not None:
            stmt = stmt.where(visible(PersonSearch.person_id, visible_to))
        return (await self.session.scalars(stmt)).all()

    async def surnames_ever(self, person_ids: Collection[uuid.UUID]) -> list[tuple[uuid.UUID, str]]:
        """``(person, surname)`` for every name fact the persons ever held, corrections
        included, and every name fact of the persons merged into them."""
        if not person_ids:
            return []
        ids = list(person_ids)
        own = await self.session.execute(
            select(PersonFact.person_id, PersonFact.data["surname"].astext).where(
                PersonFact.person_id.in_(ids), PersonFact.kind == FactKind.name.value
            )
        )
        merged = await self.session.execute(
            select(Person.merged_into, PersonFact.data["surname"].astext)
            .join(PersonFact, PersonFact.person_id == Person.id)
            .where(Person.merged_into.in_(ids), PersonFact.kind == FactKind.name.value)
        )
        return [(person_id, surname) for person_id, surname in [*own, *merged] if person_id and surname]

    async def current_documents(self, person_ids: Collection[uuid.UUID]) -> list[tuple[uuid.UUID, str, str]]:
        """``(person, document type, key)`` of the identity documents held now."""
        if not person_ids:
            return []
        rows = await self.session.execute(
            select(PersonFact.person_id, PersonFact.slot, PersonFact.key).where(
                PersonFact.person_id.in_(list(person_ids)),
                PersonFact.kind == FactKind.document.value,
                PersonFact.key.is_not(None),
                is_current(),
            )
        )
        return [(person_id, slot, key) for person_id, slot, key in rows if key]

    async def sample(self, size: int, exclude: Collection[uuid.UUID]) -> list[uuid.UUID]:
        """``size`` unmerged persons not in ``exclude``, the same ones on every run of the
        same register (ordered by the md5 of the id)."""
        if size <= 0:
            return []
        stmt = (
            _unmerged(select(PersonSearch.person_id))
            .order_by(func.md5(func.cast(PersonSearch.person_id, PersonSearch.name_norm.type)))
            .limit(size + len(exclude))
        )
        found = [pid for pid in (await self.session.scalars(stmt)).all() if pid not in exclude]
        return found[:size]
