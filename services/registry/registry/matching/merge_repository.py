"""All SQL of merges: the merge records and the fact rows a merge closes, writes and undoes."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from registry.models.matching import PersonMerge
from registry.models.person import PersonFact
from registry.person.repository import is_current


class MergeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def current_facts(self, person_id: uuid.UUID) -> Sequence[PersonFact]:
        stmt = select(PersonFact).where(PersonFact.person_id == person_id, is_current())
        return (await self.session.scalars(stmt.order_by(PersonFact.id))).all()

    async def close_all(self, ids: Sequence[int], at: datetime) -> None:
        if ids:
            await self.session.execute(
                update(PersonFact)
                .where(PersonFact.id.in_(ids), is_current())
                .values(recorded=func.tstzrange(func.lower(PersonFact.recorded), at, "[)"))
                .execution_options(synchronize_session=False)
            )

    async def changed_since(self, person_ids: Sequence[uuid.UUID], at: datetime) -> int:
        """Fact rows of the persons recorded or closed after ``at``."""
        stmt = select(func.count()).where(
            PersonFact.person_id.in_(person_ids),
            or_(func.lower(PersonFact.recorded) > at, func.upper(PersonFact.recorded) > at),
        )
        return int(await self.session.scalar(stmt) or 0)

    async def count_current(self, ids: Sequence[int]) -> int:
        stmt = select(func.count()).where(PersonFact.id.in_(ids), is_current())
        return int(await self.session.scalar(stmt) or 0) if ids else 0

    async def count_closed_at(self, ids: Sequence[int], at: datetime) -> int:
        stmt = select(func.count()).where(PersonFact.id.in_(ids), func.upper(PersonFact.recorded) == at)
        return int(await self.session.scalar(stmt) or 0) if ids else 0

    async def delete_facts(self, ids: Sequence[int]) -> None:
        if ids:
            await self.session.execute(delete(PersonFact).where(PersonFact.id.in_(ids)))

    async def reopen(self, ids: Sequence[int]) -> None:
        if ids:
            await self.session.execute(
                update(PersonFact)
                .where(PersonFact.id.in_(ids))
                .values(recorded=func.tstzrange(func.lower(PersonFact.recorded), None, "[)"))
                .execution_options(synchronize_session=False)
            )

    async def add(self, merge: PersonMerge) -> PersonMerge:
        self.session.add(merge)
        await self.session.flush()
        return merge

    async def active_for(self, merged_id: uuid.UUID) -> PersonMerge | None:
        stmt = select(PersonMerge).where(
            PersonMerge.merged_id == merged_id, PersonMerge.unmerged_at.is_(None)
        )
        return await self.session.scalar(stmt.with_for_update())

    async def of_person(self, person_id: uuid.UUID) -> Sequence[PersonMerge]:
        stmt = select(PersonMerge).where(
            or_(PersonMerge.survivor_id == person_id, PersonMerge.merged_id == person_id)
        )
        return (await self.session.scalars(stmt.order_by(PersonMerge.merged_at.desc()))).all()
