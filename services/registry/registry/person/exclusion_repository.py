"""All SQL of the persons' exclusions from the non-working register (``person_exclusion``)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from registry.models.person import Person
from registry.models.person_exclusion import PersonExclusion


class ExclusionRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def person_exists(self, person_id: uuid.UUID) -> bool:
        return await self.session.scalar(select(Person.id).where(Person.id == person_id)) is not None

    async def add(self, row: PersonExclusion) -> bool:
        """Insert unless the person already has a row of that run; True when inserted."""
        values = {c.key: getattr(row, c.key) for c in PersonExclusion.__table__.columns if c.key != "id"}
        stmt = (
            insert(PersonExclusion)
            .values(**values)
            .on_conflict_do_nothing(constraint="uq_person_exclusion_person_run")
            .returning(PersonExclusion.id)
        )
        return (await self.session.execute(stmt)).scalar_one_or_none() is not None

    async def close_open(
        self,
        person_id: uuid.UUID,
        organization_id: uuid.UUID,
        *,
        run_id: uuid.UUID,
        at: datetime,
        on: date,
    ) -> int:
        """Close the person's open exclusions by the payer's earlier runs; the rows closed."""
        stmt = (
            update(PersonExclusion)
            .where(
                PersonExclusion.person_id == person_id,
                PersonExclusion.organization_id == organization_id,
                PersonExclusion.run_id != run_id,
                PersonExclusion.reinstated_at.is_(None),
            )
            .values(reinstated_at=at, reinstated_on=on, reinstated_by_run=run_id)
        )
        result = await self.session.execute(stmt)
        return int(result.rowcount)  # type: ignore[attr-defined]

    async def of_persons(self, person_ids: Sequence[uuid.UUID]) -> list[PersonExclusion]:
        """The exclusions of the persons and of those merged into them (an extract taken before
        a merge named the merged person)."""
        merged = select(Person.id).where(Person.merged_into.in_(person_ids))
        stmt = (
            select(PersonExclusion)
            .where(PersonExclusion.person_id.in_(person_ids) | PersonExclusion.person_id.in_(merged))
            .order_by(PersonExclusion.excluded_at.desc(), PersonExclusion.id.desc())
        )
        return list(await self.session.scalars(stmt))
