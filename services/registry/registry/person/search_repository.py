"""The search queries: exact keys through the partial btree index of current facts, names
through the trigram index of the search projection."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Select, func, literal, select
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.auth import Principal
from registry.models.person import Person, PersonFact, PersonSearch
from registry.person.access import visible
from registry.person.repository import is_current

# word_similarity of the typed name within the stored full name: one wrong letter in a
# surname keeps a full name above 0.6, an unrelated name of the same birth date stays below.
NAME_THRESHOLD = 0.5

Hit = tuple[PersonSearch, float | None]


class PersonSearchRepository:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal

    def _base(self, *columns: Any) -> Select[Any]:
        return (
            select(PersonSearch, *columns)
            .join(Person, Person.id == PersonSearch.person_id)
            .where(Person.merged_into.is_(None), visible(PersonSearch.person_id, self.principal))
        )

    async def _page(
        self, stmt: Select[Any], order: Sequence[Any], limit: int, offset: int
    ) -> tuple[list[Hit], int]:
        rows = (await self.session.execute(stmt.order_by(*order).limit(limit).offset(offset))).all()
        hits: list[Hit] = [(row[0], row[1] if len(row) > 1 else None) for row in rows]
        if offset == 0 and len(rows) < limit:
            return hits, len(rows)  # the whole answer is on this page: no count query
        total = await self.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
        return hits, int(total or 0)

    async def by_key(
        self, kinds: Sequence[str], key: str, *, slot: str | None = None, limit: int, offset: int
    ) -> tuple[list[Hit], int]:
        holders = select(PersonFact.person_id).where(
            PersonFact.kind.in_(kinds), PersonFact.key == key, is_current()
        )
        if slot is not None:
            holders = holders.where(PersonFact.slot == slot)
        stmt = self._base().where(PersonSearch.person_id.in_(holders))
        return await self._page(stmt, [PersonSearch.surname, PersonSearch.person_id], limit, offset)

    async def by_name(
        self, name_norm: str, birth_date: date | None, *, limit: int, offset: int
    ) -> tuple[list[Hit], int]:
        score: ColumnElement[float] = func.word_similarity(literal(name_norm), PersonSearch.name_norm)
        stmt = self._base(score.label("score"))
        if birth_date is not None:
            # ~80 persons share a birth date in 2M: the btree narrows, similarity ranks.
            stmt = stmt.where(PersonSearch.birth_date == birth_date, score >= NAME_THRESHOLD)
        else:
            stmt = stmt.where(literal(name_norm).op("<%")(PersonSearch.name_norm))
        return await self._page(
            stmt, [score.desc(), PersonSearch.surname, PersonSearch.person_id], limit, offset
        )

    async def children_of(
        self, mother_id: uuid.UUID, birth_date: date | None, *, limit: int, offset: int
    ) -> tuple[list[Hit], int]:
        stmt = (
            select(PersonSearch)
            .join(Person, Person.id == PersonSearch.person_id)
            .where(Person.mother_id == mother_id, Person.merged_into.is_(None))
        )
        if birth_date is not None:
            stmt = stmt.where(PersonSearch.birth_date == birth_date)
        return await self._page(stmt, [PersonSearch.birth_date, PersonSearch.person_id], limit, offset)
