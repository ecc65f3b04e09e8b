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
        """Insert unless the person already has a row of that run; True when inserted. A row of
        that run closed by that run itself (an operator's decision lifted the exclusion) before
        this exclusion was announced is opened again with it (a later decision excluded the
        person again); True then too."""
        values = {c.key: getattr(row, c.key) for c in PersonExclusion.__table__.columns if c.key != "id"}
        new = insert(PersonExclusion).values(**values)
        stmt = new.on_conflict_do_update(
            constraint="uq_person_exclusion_person_run",
            set_={
                "reason": new.excluded.reason,
                "reasons": new.excluded.reasons,
                "months_excluded": new.excluded.months_excluded,
                "duplicate_of": new.excluded.duplicate_of,
                "subject_id": new.excluded.subject_id,
                "excluded_at": new.excluded.excluded_at,
                "reinstated_at": None,
                "reinstated_on": None,
                "reinstated_by_run": None,
            },
            where=(PersonExclusion.reinstated_by_run == PersonExclusion.run_id)
            & (PersonExclusion.reinstated_at < new.excluded.excluded_at),
        ).returning(PersonExclusion.id)
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
        """Close the person's open exclusions by the payer's runs: the earlier runs' (a later
        run keeps the person) and ``run_id``'s own (an operator's decision on that run lifted
        its exclusion); the rows closed."""
        stmt = (
            update(PersonExclusion)
            .where(
                PersonExclusion.person_id == person_id,
                PersonExclusion.organization_id == organization_id,
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
