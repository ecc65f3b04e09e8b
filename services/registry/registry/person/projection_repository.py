"""SQL of the nightly refresh of the search projection (``person_search``)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from registry.models.person import Person, PersonFact, PersonSearch
from registry.person.facts import PROJECTED
from registry.person.repository import is_current

_KINDS = sorted(k.value for k in PROJECTED)


class ProjectionRefreshRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def persons_changing(self, first: date, last: date) -> Sequence[uuid.UUID]:
        """Persons (not merged away) with a current fact of a projected kind that begins on a
        day in ``first``…``last``, or whose last day is the day before one of them (the upper
        bound of ``valid`` is exclusive). One pass over the current facts: no index starts
        with the dates; run nightly, it reads the table once."""
        starts, ends = func.lower(PersonFact.valid), func.upper(PersonFact.valid)
        stmt = (
            select(PersonFact.person_id)
            .join(Person, Person.id == PersonFact.person_id)
            .where(
                is_current(),
                PersonFact.kind.in_(_KINDS),
                or_(starts.between(first, last), ends.between(first, last)),
                Person.merged_into.is_(None),
            )
            .distinct()
            .order_by(PersonFact.person_id)
        )
        return (await self.session.scalars(stmt)).all()

    async def lock_persons(self, person_ids: Sequence[uuid.UUID]) -> Sequence[Person]:
        """The persons' rows locked in id order (as a merge locks them), so a change of one of
        them waits for the refresh or the refresh for it: a projection is never built from
        facts a concurrent change has just replaced."""
        stmt = (
            select(Person)
            .where(Person.id.in_(person_ids))
            .order_by(Person.id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        return (await self.session.scalars(stmt)).all()

    async def projected_facts(self, person_ids: Sequence[uuid.UUID]) -> Sequence[PersonFact]:
        stmt = select(PersonFact).where(
            PersonFact.person_id.in_(person_ids), PersonFact.kind.in_(_KINDS), is_current()
        )
        return (await self.session.scalars(stmt)).all()

    async def upsert_projections(self, rows: Sequence[dict[str, Any]]) -> None:
        if not rows:
            return
        stmt = insert(PersonSearch).values([{**row, "updated_at": func.now()} for row in rows])
        columns = {k: stmt.excluded[k] for k in rows[0] if k != "person_id"}
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=[PersonSearch.person_id], set_={**columns, "updated_at": func.now()}
            )
        )
