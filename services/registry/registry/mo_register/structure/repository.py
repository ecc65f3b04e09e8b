"""SQL of the MO card and structure."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import Select, func, or_, select

from oms_kit.auth import Principal
from oms_kit.pagination import PageParams
from registry.mo_register.access import MO_KIND
from registry.mo_register.queries import page_of
from registry.mo_register.repository import RowRepository
from registry.models import Organization
from registry.models.mo_register import (
    MoArea,
    MoBranch,
    MoDepartment,
    MoLicense,
    MoPassport,
    MoRoom,
    Territory,
)
from registry.models.mo_register_equipment import Equipment


class StructureRepository(RowRepository):
    # --- MOs --------------------------------------------------------------------------------

    def _mos(self, principal: Principal) -> Select[Organization, Territory]:
        stmt = (
            select(Organization, Territory)
            .outerjoin(MoPassport, MoPassport.mo_id == Organization.id)
            .outerjoin(Territory, Territory.id == MoPassport.territory_id)
            .where(Organization.kind == MO_KIND)
        )
        if not principal.region_wide:  # scope_to_org, for a two-entity select
            stmt = stmt.where(Organization.id == principal.org_id)
        return stmt

    async def mos(
        self,
        principal: Principal,
        paging: PageParams,
        *,
        territory_id: uuid.UUID | None,
        q: str | None,
    ) -> tuple[Sequence[Any], int]:
        stmt = self._mos(principal)
        if territory_id is not None:
            stmt = stmt.where(MoPassport.territory_id == territory_id)
        if q:
            pattern = f"%{q}%"
            stmt = stmt.where(or_(Organization.name.ilike(pattern), Organization.code.ilike(pattern)))
        total = await self.session.scalar(select(func.count()).select_from(stmt.subquery()))
        rows = await self.session.execute(
            stmt.order_by(Organization.name, Organization.id).limit(paging.limit).offset(paging.offset)
        )
        return rows.all(), int(total or 0)

    async def passport(self, mo_id: uuid.UUID) -> MoPassport | None:
        return await self.session.get(MoPassport, mo_id)

    async def organization_kind(self, org_id: uuid.UUID) -> str | None:
        return await self.session.scalar(select(Organization.kind).where(Organization.id == org_id))

    async def territory(self, territory_id: uuid.UUID | None) -> Territory | None:
        return None if territory_id is None else await self.session.get(Territory, territory_id)

    async def counts(self, mo_id: uuid.UUID, on: date) -> dict[str, int]:
        def count(model: Any, *where: Any) -> Any:
            return (
                select(func.count()).select_from(model).where(model.mo_id == mo_id, *where).scalar_subquery()
            )

        row = (
            await self.session.execute(
                select(
                    count(MoBranch).label("branches"),
                    count(MoDepartment).label("departments"),
                    count(MoRoom).label("rooms"),
                    count(MoArea).label("areas"),
                    count(
                        MoLicense,
                        MoLicense.valid_from <= on,
                        or_(MoLicense.valid_to.is_(None), MoLicense.valid_to >= on),
                    ).label("licenses_in_force"),
                    count(Equipment, Equipment.state != "decommissioned").label("equipment"),
                    count(Equipment, Equipment.state == "working").label("equipment_working"),
                )
            )
        ).one()
        return dict(row._mapping)

    # --- rows of the hierarchy ----------------------------------------------------------------

    async def branches(self, mo_id: uuid.UUID, paging: PageParams) -> tuple[Sequence[MoBranch], int]:
        return await page_of(
            self.session, select(MoBranch).where(MoBranch.mo_id == mo_id), paging, MoBranch.name, MoBranch.id
        )

    async def departments(
        self,
        mo_id: uuid.UUID,
        paging: PageParams,
        *,
        branch_id: uuid.UUID | None,
        department_type: str | None,
    ) -> tuple[Sequence[MoDepartment], int]:
        stmt = select(MoDepartment).where(MoDepartment.mo_id == mo_id)
        if branch_id is not None:
            stmt = stmt.where(MoDepartment.branch_id == branch_id)
        if department_type is not None:
            stmt = stmt.where(MoDepartment.department_type == department_type)
        return await page_of(self.session, stmt, paging, MoDepartment.name, MoDepartment.id)

    async def rooms(self, department_id: uuid.UUID, paging: PageParams) -> tuple[Sequence[MoRoom], int]:
        stmt = select(MoRoom).where(MoRoom.department_id == department_id)
        return await page_of(self.session, stmt, paging, MoRoom.number, MoRoom.id)

    async def room_number_taken(
        self, department_id: uuid.UUID, number: str, *, other_than: uuid.UUID | None = None
    ) -> bool:
        stmt = select(MoRoom.id).where(MoRoom.department_id == department_id, MoRoom.number == number)
        if other_than is not None:
            stmt = stmt.where(MoRoom.id != other_than)
        return (await self.session.scalar(stmt.limit(1))) is not None

    async def whole_tree(
        self, mo_id: uuid.UUID
    ) -> tuple[Sequence[MoBranch], Sequence[MoDepartment], Sequence[MoRoom]]:
        branches = await self.session.scalars(
            select(MoBranch).where(MoBranch.mo_id == mo_id).order_by(MoBranch.name, MoBranch.id)
        )
        departments = await self.session.scalars(
            select(MoDepartment)
            .where(MoDepartment.mo_id == mo_id)
            .order_by(MoDepartment.name, MoDepartment.id)
        )
        rooms = await self.session.scalars(
            select(MoRoom).where(MoRoom.mo_id == mo_id).order_by(MoRoom.number, MoRoom.id)
        )
        return branches.all(), departments.all(), rooms.all()

    async def has_any(self, model: Any, column: Any, value: uuid.UUID) -> bool:
        """Does any row of ``model`` refer to ``value`` by ``column`` (a child blocks a delete)."""
        found = await self.session.scalar(select(model.id).where(column == value).limit(1))
        return found is not None
