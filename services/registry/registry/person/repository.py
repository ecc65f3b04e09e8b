"""All SQL of persons and their facts (the search queries are in ``search_repository``)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, func, select, text, update
from sqlalchemy.dialects.postgresql import Range, insert
from sqlalchemy.ext.asyncio import AsyncSession

from registry.models.person import Person, PersonFact, PersonSearch
from registry.person.facts import FactDraft

MAX_MERGE_CHAIN = 20


def is_current() -> ColumnElement[bool]:
    """Facts the register holds now (their recorded period is still open)."""
    return func.upper_inf(PersonFact.recorded)


class PersonRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def clock(self) -> datetime:
        """The instant of an operation: ``clock_timestamp()``, not ``now()``, so two operations in
        one transaction (a test, a bulk load) still get distinct recorded periods."""
        at: datetime = (await self.session.execute(text("SELECT clock_timestamp()"))).scalar_one()
        return at

    async def add_person(self, person: Person) -> Person:
        self.session.add(person)
        await self.session.flush()
        await self.session.refresh(person)  # oip and created_at come from the database
        return person

    async def get(self, person_id: uuid.UUID) -> Person | None:
        return await self.session.get(Person, person_id)

    async def lock(self, person_id: uuid.UUID) -> Person | None:
        """The person row locked: corrections of one person are serialised."""
        return await self.session.scalar(select(Person).where(Person.id == person_id).with_for_update())

    async def by_oip(self, oip: int) -> Person | None:
        return await self.session.scalar(select(Person).where(Person.oip == oip))

    async def resolve(self, person: Person) -> Person:
        """Follow ``merged_into`` to the surviving person."""
        seen = {person.id}
        while person.merged_into is not None and len(seen) <= MAX_MERGE_CHAIN:
            successor = await self.get(person.merged_into)
            if successor is None or successor.id in seen:
                break
            seen.add(successor.id)
            person = successor
        return person

    # --- facts ----------------------------------------------------------------------------

    async def current_fact(self, fact_id: int) -> PersonFact | None:
        return await self.session.scalar(select(PersonFact).where(PersonFact.id == fact_id, is_current()))

    async def current_overlapping(
        self, person_id: uuid.UUID, kind: str, slot: str, valid: Range[date]
    ) -> Sequence[PersonFact]:
        stmt = select(PersonFact).where(
            PersonFact.person_id == person_id,
            PersonFact.kind == kind,
            PersonFact.slot == slot,
            PersonFact.valid.overlaps(valid),
            is_current(),
        )
        return (await self.session.scalars(stmt)).all()

    async def close(self, fact: PersonFact, at: datetime) -> None:
        """End what the register holds of ``fact`` at ``at``; the row itself stays as history."""
        await self.session.execute(
            update(PersonFact)
            .where(PersonFact.id == fact.id)
            .values(recorded=func.tstzrange(func.lower(PersonFact.recorded), at, "[)"))
            .execution_options(synchronize_session=False)
        )

    async def insert(
        self, person_id: uuid.UUID, draft: FactDraft, valid: Range[date], at: datetime, actor: str
    ) -> int:
        return await self._add(
            person_id,
            draft.kind.value,
            draft.slot,
            draft.org_id,
            draft.key,
            draft.data,
            draft.reason,
            valid=valid,
            at=at,
            actor=actor,
        )

    async def copy_fact(
        self,
        fact: PersonFact,
        valid: Range[date],
        at: datetime,
        actor: str,
        *,
        person_id: uuid.UUID | None = None,
    ) -> int:
        """Re-record ``fact`` with ``valid`` (a succession's shorter part, or a merge's copy
        for the survivor ``person_id``), held from ``at``; the new fact's id."""
        return await self._add(
            person_id or fact.person_id,
            fact.kind,
            fact.slot,
            fact.org_id,
            fact.key,
            fact.data,
            fact.reason,
            valid=valid,
            at=at,
            actor=actor,
        )

    async def _add(
        self,
        person_id: uuid.UUID,
        kind: str,
        slot: str,
        org_id: uuid.UUID | None,
        key: str | None,
        data: dict[str, Any],
        reason: str | None,
        *,
        valid: Range[date],
        at: datetime,
        actor: str,
    ) -> int:
        """A fact held by the register from ``at`` on (``recorded`` open-ended)."""
        values = {"person_id": person_id, "kind": kind, "slot": slot, "valid": valid, "org_id": org_id}
        values |= {"key": key, "data": data, "reason": reason, "recorded_by": actor}
        stmt = insert(PersonFact).values(recorded=Range(at, None, bounds="[)"), **values)
        fact_id: int = (await self.session.execute(stmt.returning(PersonFact.id))).scalar_one()
        return fact_id

    async def facts_on(self, person_id: uuid.UUID, on: date, as_of: datetime) -> Sequence[PersonFact]:
        """The facts valid on ``on`` as the register knew them at ``as_of``: one query."""
        stmt = select(PersonFact).where(
            PersonFact.person_id == person_id,
            PersonFact.valid.contains(on),
            PersonFact.recorded.contains(as_of),
        )
        return (await self.session.scalars(stmt.order_by(PersonFact.kind, PersonFact.slot))).all()

    async def predecessor(self, fact: PersonFact) -> PersonFact | None:
        """The row ``fact`` succeeded: the same kind, slot and organization from the same day,
        held until the moment ``fact`` was recorded (decision 0007's succession)."""
        stmt = select(PersonFact).where(
            PersonFact.person_id == fact.person_id,
            PersonFact.kind == fact.kind,
            PersonFact.slot == fact.slot,
            PersonFact.org_id.is_not_distinct_from(fact.org_id),
            func.lower(PersonFact.valid) == fact.valid.lower,
            func.upper(PersonFact.recorded) == fact.recorded.lower,
        )
        return (await self.session.scalars(stmt.limit(1))).first()

    async def recording_times(self, person_id: uuid.UUID, kind: str) -> set[datetime]:
        """When each row of ``kind`` (current or not) was recorded."""
        stmt = select(func.lower(PersonFact.recorded)).where(
            PersonFact.person_id == person_id, PersonFact.kind == kind
        )
        return set((await self.session.scalars(stmt)).all())

    async def current_facts(self, person_id: uuid.UUID, kinds: Sequence[str]) -> Sequence[PersonFact]:
        stmt = select(PersonFact).where(
            PersonFact.person_id == person_id, PersonFact.kind.in_(kinds), is_current()
        )
        return (await self.session.scalars(stmt)).all()

    async def history(self, person_id: uuid.UUID) -> Sequence[PersonFact]:
        stmt = (
            select(PersonFact)
            .where(PersonFact.person_id == person_id)
            .order_by(
                PersonFact.kind,
                PersonFact.slot,
                func.lower(PersonFact.valid),
                func.lower(PersonFact.recorded),
            )
        )
        return (await self.session.scalars(stmt)).all()

    async def holders_of_key(self, kind: str, key: str, *, slot: str | None = None) -> Sequence[uuid.UUID]:
        """Persons currently holding an identifier (one btree probe of the partial index)."""
        stmt = select(PersonFact.person_id).where(
            PersonFact.kind == kind, PersonFact.key == key, is_current()
        )
        if slot is not None:
            stmt = stmt.where(PersonFact.slot == slot)
        stmt = stmt.distinct()
        return (await self.session.scalars(stmt)).all()

    # --- search projection ----------------------------------------------------------------

    async def upsert_projection(self, values: dict[str, Any]) -> None:
        stmt = insert(PersonSearch).values(**values, updated_at=func.now())
        columns = {k: stmt.excluded[k] for k in values if k != "person_id"}
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=[PersonSearch.person_id], set_={**columns, "updated_at": func.now()}
            )
        )
