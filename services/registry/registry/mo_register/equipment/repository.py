"""SQL of the equipment register."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.dialects.postgresql import insert

from oms_kit.pagination import PageParams
from registry.mo_register.queries import page_of
from registry.mo_register.repository import RowRepository
from registry.models.mo_register_equipment import (
    Equipment,
    EquipmentInventory,
    EquipmentState,
    EquipmentUsage,
)


class EquipmentRepository(RowRepository):
    async def page(
        self,
        mo_id: uuid.UUID,
        paging: PageParams,
        *,
        type_code: str | None,
        state: str | None,
        department_id: uuid.UUID | None,
        q: str | None,
    ) -> tuple[Sequence[Equipment], int]:
        stmt = select(Equipment).where(Equipment.mo_id == mo_id)
        if type_code is not None:
            # A group (RAD) lists its kinds (RAD.CT, RAD.MRI, …) too.
            stmt = stmt.where(
                or_(Equipment.type_code == type_code, Equipment.type_code.startswith(f"{type_code}."))
            )
        if state is not None:
            stmt = stmt.where(Equipment.state == state)
        if department_id is not None:
            stmt = stmt.where(Equipment.department_id == department_id)
        if q:
            pattern = f"%{q}%"
            stmt = stmt.where(
                or_(
                    Equipment.model.ilike(pattern),
                    Equipment.serial_number.ilike(pattern),
                    Equipment.inventory_number.ilike(pattern),
                )
            )
        return await page_of(self.session, stmt, paging, Equipment.type_code, Equipment.model, Equipment.id)

    async def same_serial(
        self, type_code: str, manufacturer: str, serial_number: str, *, other_than: uuid.UUID | None
    ) -> Equipment | None:
        stmt = select(Equipment).where(
            Equipment.type_code == type_code,
            Equipment.manufacturer == manufacturer,
            Equipment.serial_number == serial_number,
        )
        if other_than is not None:
            stmt = stmt.where(Equipment.id != other_than)
        return await self.session.scalar(stmt.limit(1))

    async def states(self, equipment_id: uuid.UUID) -> Sequence[EquipmentState]:
        stmt = (
            select(EquipmentState)
            .where(EquipmentState.equipment_id == equipment_id)
            .order_by(EquipmentState.since.desc(), EquipmentState.id.desc())
        )
        return (await self.session.scalars(stmt)).all()

    async def usage(self, equipment_id: uuid.UUID, *, months: int | None = None) -> Sequence[EquipmentUsage]:
        stmt = (
            select(EquipmentUsage)
            .where(EquipmentUsage.equipment_id == equipment_id)
            .order_by(EquipmentUsage.month.desc())
        )
        if months is not None:
            stmt = stmt.limit(months)
        return (await self.session.scalars(stmt)).all()

    async def put_usage(self, equipment_id: uuid.UUID, month: date, hours_used: float) -> None:
        stmt = insert(EquipmentUsage).values(equipment_id=equipment_id, month=month, hours_used=hours_used)
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=[EquipmentUsage.equipment_id, EquipmentUsage.month],
                set_={"hours_used": stmt.excluded.hours_used},
            )
        )

    async def inventory(self, equipment_id: uuid.UUID) -> Sequence[EquipmentInventory]:
        stmt = (
            select(EquipmentInventory)
            .where(EquipmentInventory.equipment_id == equipment_id)
            .order_by(EquipmentInventory.counted_on.desc(), EquipmentInventory.id.desc())
        )
        return (await self.session.scalars(stmt)).all()
