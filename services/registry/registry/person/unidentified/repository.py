"""SQL of unidentified persons (НИЛ)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.auth import Principal
from oms_kit.errors import Conflict
from registry.models.person import UnidentifiedPerson
from registry.person.access import sees_whole_register


def _scoped(principal: Principal) -> Select[Any]:
    stmt = select(UnidentifiedPerson)
    if not sees_whole_register(principal):
        stmt = stmt.where(UnidentifiedPerson.mo_id == principal.org_id)
    return stmt


class UnidentifiedRepository:
    def __init__(self, session: AsyncSession, principal: Principal) -> None:
        self.session = session
        self.principal = principal

    async def add(self, record: UnidentifiedPerson) -> UnidentifiedPerson:
        try:
            async with self.session.begin_nested():
                self.session.add(record)
                await self.session.flush()
        except IntegrityError as exc:
            raise Conflict("НИЛ с таким номером листа регистрации уже зарегистрирован") from exc
        await self.session.refresh(record)
        return record

    async def get(self, record_id: uuid.UUID) -> UnidentifiedPerson | None:
        found: UnidentifiedPerson | None = await self.session.scalar(
            _scoped(self.principal).where(UnidentifiedPerson.id == record_id)
        )
        return found

    async def page(
        self,
        *,
        sheet_number: str | None,
        mo_id: uuid.UUID | None,
        person_id: uuid.UUID | None,
        linked: bool | None,
        admitted_from: date | None,
        admitted_to: date | None,
        limit: int,
        offset: int,
    ) -> tuple[Sequence[UnidentifiedPerson], int]:
        stmt = _scoped(self.principal)
        if sheet_number is not None:
            stmt = stmt.where(UnidentifiedPerson.sheet_number == sheet_number)
        if mo_id is not None:
            stmt = stmt.where(UnidentifiedPerson.mo_id == mo_id)
        if person_id is not None:
            stmt = stmt.where(UnidentifiedPerson.person_id == person_id)
        if linked is not None:
            stmt = stmt.where(
                UnidentifiedPerson.person_id.isnot(None) if linked else UnidentifiedPerson.person_id.is_(None)
            )
        if admitted_from is not None:
            stmt = stmt.where(UnidentifiedPerson.admitted_on >= admitted_from)
        if admitted_to is not None:
            stmt = stmt.where(UnidentifiedPerson.admitted_on <= admitted_to)
        total = await self.session.scalar(select(func.count()).select_from(stmt.subquery()))
        rows = await self.session.scalars(
            stmt.order_by(UnidentifiedPerson.admitted_on.desc(), UnidentifiedPerson.id)
            .limit(limit)
            .offset(offset)
        )
        records: Sequence[UnidentifiedPerson] = rows.all()
        return records, int(total or 0)
