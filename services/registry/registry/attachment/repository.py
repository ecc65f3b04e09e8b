"""SQL of the attachment list: the attachment facts of one MO valid on a date."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Row, Select, func, select
from sqlalchemy.ext.asyncio import AsyncSession

from registry.models.person import Person, PersonFact, PersonSearch
from registry.person.facts import FactKind
from registry.person.repository import is_current


def _list(mo_id: uuid.UUID, on: date) -> Select[Any]:
    # The GiST index (org_id, kind, valid) on current facts finds the MO's rows valid on ``on``.
    return (
        select(
            PersonSearch.person_id,
            PersonSearch.oip,
            PersonSearch.enp,
            PersonSearch.surname,
            PersonSearch.first_name,
            PersonSearch.patronymic,
            PersonSearch.birth_date,
            PersonSearch.sex,
            PersonFact.data["area_code"].astext.label("area_code"),
            func.lower(PersonFact.valid).label("attached_from"),
            PersonFact.data["method"].astext.label("method"),
        )
        .join(PersonSearch, PersonSearch.person_id == PersonFact.person_id)
        .join(Person, Person.id == PersonFact.person_id)
        .where(
            PersonFact.org_id == mo_id,
            PersonFact.kind == FactKind.attachment.value,
            PersonFact.valid.contains(on),
            is_current(),
            Person.merged_into.is_(None),
        )
    )


class AttachmentRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def page(
        self, mo_id: uuid.UUID, on: date, *, limit: int, offset: int
    ) -> tuple[Sequence[Row[Any]], int]:
        stmt = _list(mo_id, on)
        total = await self.session.scalar(select(func.count()).select_from(stmt.subquery()))
        rows = await self.session.execute(
            stmt.order_by(PersonSearch.surname, PersonSearch.first_name, PersonSearch.person_id)
            .limit(limit)
            .offset(offset)
        )
        return rows.all(), int(total or 0)

    async def all(self, mo_id: uuid.UUID, on: date) -> Sequence[Row[Any]]:
        stmt = _list(mo_id, on).order_by(
            PersonSearch.surname, PersonSearch.first_name, PersonSearch.person_id
        )
        rows: Sequence[Row[Any]] = (await self.session.execute(stmt)).all()
        return rows

    async def mo_on(self, person_id: uuid.UUID, on: date) -> uuid.UUID | None:
        return await self.session.scalar(
            select(PersonFact.org_id).where(
                PersonFact.person_id == person_id,
                PersonFact.kind == FactKind.attachment.value,
                PersonFact.valid.contains(on),
                is_current(),
            )
        )
