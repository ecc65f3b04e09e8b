"""SQL of service areas and of their attached population (from the person register)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import case, func, literal, or_, select

from oms_kit.pagination import PageParams
from registry.mo_register.areas.population import AGE_BANDS
from registry.mo_register.queries import page_of
from registry.mo_register.repository import RowRepository
from registry.models.mo_register import MoArea
from registry.models.person import Person, PersonFact, PersonSearch
from registry.person.facts import FactKind
from registry.person.repository import is_current


class AreaRepository(RowRepository):
    async def by_code(self, mo_id: uuid.UUID, code: str) -> MoArea | None:
        return await self.session.scalar(select(MoArea).where(MoArea.mo_id == mo_id, MoArea.code == code))

    async def page(
        self,
        mo_id: uuid.UUID,
        paging: PageParams,
        *,
        kind: str | None,
        department_id: uuid.UUID | None,
    ) -> tuple[Sequence[MoArea], int]:
        stmt = select(MoArea).where(MoArea.mo_id == mo_id)
        if kind is not None:
            stmt = stmt.where(MoArea.kind == kind)
        if department_id is not None:
            stmt = stmt.where(MoArea.department_id == department_id)
        return await page_of(self.session, stmt, paging, MoArea.code, MoArea.id)

    async def all_of(self, mo_id: uuid.UUID) -> Sequence[MoArea]:
        return (
            await self.session.scalars(select(MoArea).where(MoArea.mo_id == mo_id).order_by(MoArea.code))
        ).all()

    async def attached_by_age_sex(
        self, mo_id: uuid.UUID, on: date, *, area_code: str | None = None
    ) -> Sequence[Any]:
        """``(area_code, age_from, sex, count)``: persons attached to the MO on ``on`` (the
        attachment facts the register holds now), alive and born by then, by area, age band and
        sex. ``area_code`` limits it to one area."""
        age = func.date_part("year", func.age(literal(on), PersonSearch.birth_date))
        band = case(
            *[(age <= age_to, literal(age_from)) for age_from, age_to in AGE_BANDS if age_to is not None],
            else_=literal(AGE_BANDS[-1][0]),
        ).label("age_from")
        code = PersonFact.data["area_code"].astext.label("area_code")
        attached = (
            select(code, band, PersonSearch.sex)
            .join(PersonSearch, PersonSearch.person_id == PersonFact.person_id)
            .join(Person, Person.id == PersonFact.person_id)
            .where(
                PersonFact.org_id == mo_id,
                PersonFact.kind == FactKind.attachment.value,
                PersonFact.valid.contains(on),
                is_current(),
                Person.merged_into.is_(None),
                PersonSearch.birth_date <= on,
                or_(PersonSearch.death_date.is_(None), PersonSearch.death_date > on),
            )
        )
        if area_code is not None:
            attached = attached.where(PersonFact.data["area_code"].astext == area_code)
        rows = attached.subquery()
        stmt = select(rows.c.area_code, rows.c.age_from, rows.c.sex, func.count()).group_by(
            rows.c.area_code, rows.c.age_from, rows.c.sex
        )
        return (await self.session.execute(stmt)).all()
