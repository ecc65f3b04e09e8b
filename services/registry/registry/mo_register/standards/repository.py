"""SQL of the need calculation: departments by type and working units by kind, per MO."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.auth import Principal, scope_to_org
from registry.mo_register.access import MO_KIND
from registry.mo_register.codes import EQUIPMENT_TYPE
from registry.models import NsiEntry, Organization
from registry.models.mo_register import MoDepartment
from registry.models.mo_register_equipment import Equipment
from registry.nsi.repository import NsiRepository, valid_on


class NeedRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def mos(self, principal: Principal, mo_id: uuid.UUID | None) -> Sequence[Organization]:
        stmt = select(Organization).where(Organization.kind == MO_KIND)
        if mo_id is not None:
            stmt = stmt.where(Organization.id == mo_id)
        stmt = scope_to_org(stmt, Organization.id, principal)
        return (await self.session.scalars(stmt.order_by(Organization.name, Organization.id))).all()

    async def departments(self, mo_ids: Collection[uuid.UUID]) -> Sequence[Any]:
        """``(mo_id, department_type, count)``."""
        stmt = (
            select(MoDepartment.mo_id, MoDepartment.department_type, func.count())
            .where(MoDepartment.mo_id.in_(mo_ids))
            .group_by(MoDepartment.mo_id, MoDepartment.department_type)
        )
        return (await self.session.execute(stmt)).all()

    async def working_units(self, mo_ids: Collection[uuid.UUID]) -> Sequence[Any]:
        """``(mo_id, type_code, count)`` of units in service (state ``working``)."""
        stmt = (
            select(Equipment.mo_id, Equipment.type_code, func.count())
            .where(Equipment.mo_id.in_(mo_ids), Equipment.state == "working")
            .group_by(Equipment.mo_id, Equipment.type_code)
        )
        return (await self.session.execute(stmt)).all()

    async def type_names(self, codes: Collection[str], on: date) -> dict[str, str]:
        nsi = NsiRepository(self.session)
        dictionary = await nsi.dictionary(EQUIPMENT_TYPE)
        version = await nsi.version_in_force(dictionary.id, on) if dictionary is not None else None
        if version is None or not codes:
            return {}
        rows = await self.session.execute(
            select(NsiEntry.code, NsiEntry.name).where(
                NsiEntry.version_id == version.id, NsiEntry.code.in_(codes), valid_on(on)
            )
        )
        return {code: name for code, name in rows.all()}
