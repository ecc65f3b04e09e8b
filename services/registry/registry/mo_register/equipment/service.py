"""Rules of the equipment register:

- the kind is an NSI ``equipment_type`` kind (not a group); the unit is in a department (and
  optionally a room of it) of its own MO; it was put into service no earlier than the year it
  was made and not in the future; a kind, manufacturer and serial number name one unit;
- states form a history: each change starts no earlier than the current state, and a
  decommissioned unit stays decommissioned;
- monthly use is kept per month, and its share of the norm is the utilization.
Every change publishes ``registry.mo.updated`` (part ``equipment``)."""

from __future__ import annotations

import calendar
import uuid
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.auth import Principal
from oms_kit.errors import Conflict
from oms_kit.pagination import Page, PageParams
from registry.mo_register.access import require_mo
from registry.mo_register.codes import equipment_type_name, require_equipment_type
from registry.mo_register.equipment.repository import EquipmentRepository
from registry.mo_register.equipment.schemas import (
    EquipmentCard,
    EquipmentCreate,
    EquipmentRead,
    EquipmentStateKind,
    EquipmentUpdate,
    InventoryCreate,
    InventoryRead,
    StateChange,
    StateRead,
    UsageRead,
    UsageUpdate,
)
from registry.mo_register.rows import MoRows, changes_of
from registry.mo_register.standards.catalog import standards
from registry.mo_register.structure.repository import StructureRepository
from registry.mo_register.structure.service import require_department_of
from registry.models.mo_register import MoRoom
from registry.models.mo_register_equipment import (
    Equipment,
    EquipmentInventory,
    EquipmentState,
    EquipmentUsage,
)
from registry.person.errors import field_error

DETAILS = (
    "type_code",
    "model",
    "manufacturer",
    "serial_number",
    "inventory_number",
    "manufactured_year",
    "commissioned_on",
    "department_id",
    "room_id",
    "norm_hours_month",
)
OPTIONAL = ("inventory_number", "room_id", "norm_hours_month")
EQUIPMENT = MoRows(Equipment, "Оборудование не найдено", part="equipment")


def norm_hours(unit: Equipment) -> int | None:
    return unit.norm_hours_month or standards().work_norms.get(unit.type_code)


def usage_read(unit: Equipment, row: EquipmentUsage) -> UsageRead:
    norm = norm_hours(unit)
    percent = round(100 * row.hours_used / norm, 1) if norm else None
    return UsageRead(month=row.month, hours_used=row.hours_used, norm_hours=norm, utilization_percent=percent)


async def _check(
    session: AsyncSession, mo_id: uuid.UUID, values: dict[str, Any], unit_id: uuid.UUID | None
) -> None:
    """``values``: every detail of the unit as it would be after the change."""
    today = date.today()
    await require_equipment_type(session, values["type_code"], field="type_code")
    if values["manufactured_year"] > today.year:
        raise field_error("manufactured_year", "Год выпуска в будущем")
    if values["commissioned_on"] > today:
        raise field_error("commissioned_on", "Дата ввода в эксплуатацию в будущем")
    if values["commissioned_on"].year < values["manufactured_year"]:
        raise field_error(
            "commissioned_on",
            f"Ввод в эксплуатацию ({values['commissioned_on']:%d.%m.%Y}) раньше года выпуска "
            f"({values['manufactured_year']})",
        )
    await require_department_of(session, mo_id, values["department_id"], field="department_id")
    if values["room_id"] is not None:
        room = await StructureRepository(session).get(MoRoom, values["room_id"])
        if room is None or room.department_id != values["department_id"]:
            raise field_error("room_id", "Кабинет не найден в этом отделении")
    twin = await EquipmentRepository(session).same_serial(
        values["type_code"], values["manufacturer"], values["serial_number"], other_than=unit_id
    )
    if twin is not None:
        raise field_error(
            "serial_number", "Единица этого вида и производителя с таким заводским номером уже учтена"
        )


async def list_equipment(
    session: AsyncSession,
    principal: Principal,
    mo_id: uuid.UUID,
    paging: PageParams,
    *,
    type_code: str | None,
    state: EquipmentStateKind | None,
    department_id: uuid.UUID | None,
    q: str | None,
) -> Page[EquipmentRead]:
    await require_mo(session, principal, mo_id)
    rows, total = await EquipmentRepository(session).page(
        mo_id,
        paging,
        type_code=type_code,
        state=state.value if state else None,
        department_id=department_id,
        q=q,
    )
    items = [EquipmentRead.model_validate(r) for r in rows]
    return Page[EquipmentRead](items=items, total=total, limit=paging.limit, offset=paging.offset)


async def card(session: AsyncSession, principal: Principal, equipment_id: uuid.UUID) -> EquipmentCard:
    unit = await EQUIPMENT.load(session, principal, equipment_id)
    repo = EquipmentRepository(session)
    return EquipmentCard(
        **EquipmentRead.model_validate(unit).model_dump(),
        type_name=await equipment_type_name(session, unit.type_code),
        states=[StateRead.model_validate(s) for s in await repo.states(unit.id)],
        usage=[usage_read(unit, u) for u in await repo.usage(unit.id, months=12)],
        inventory=[InventoryRead.model_validate(i) for i in await repo.inventory(unit.id)],
    )


async def create_equipment(
    session: AsyncSession, principal: Principal, mo_id: uuid.UUID, data: EquipmentCreate
) -> EquipmentCard:
    await require_mo(session, principal, mo_id)
    values = data.model_dump()
    await _check(session, mo_id, values, None)
    unit = Equipment(
        id=uuid.uuid4(),
        mo_id=mo_id,
        state=EquipmentStateKind.working.value,
        state_since=data.commissioned_on,
        **values,
    )
    await EQUIPMENT.add(session, unit)
    await EquipmentRepository(session).add(
        EquipmentState(
            equipment_id=unit.id,
            state=unit.state,
            since=unit.state_since,
            reason="Ввод в эксплуатацию",
            recorded_by=principal.subject,
        )
    )
    return await card(session, principal, unit.id)


async def update_equipment(
    session: AsyncSession, principal: Principal, equipment_id: uuid.UUID, data: EquipmentUpdate
) -> EquipmentCard:
    unit = await EQUIPMENT.load(session, principal, equipment_id, lock=True)
    changes = changes_of(data, required=[name for name in DETAILS if name not in OPTIONAL])
    if (
        "department_id" in changes
        and "room_id" not in changes
        and changes["department_id"] != unit.department_id
    ):
        changes["room_id"] = None  # moved to another department: its old room no longer applies
    values = {name: changes.get(name, getattr(unit, name)) for name in DETAILS}
    await _check(session, unit.mo_id, values, unit.id)
    states = await EquipmentRepository(session).states(unit.id)  # newest first
    moved = values["commissioned_on"] != unit.commissioned_on
    if moved and len(states) > 1:
        raise field_error("commissioned_on", "Дату ввода нельзя изменить после смены состояния")
    if moved:  # the only state so far began with the commissioning
        states[-1].since = changes["state_since"] = values["commissioned_on"]
    await EQUIPMENT.update(session, unit, changes)
    return await card(session, principal, unit.id)


async def change_state(
    session: AsyncSession, principal: Principal, equipment_id: uuid.UUID, data: StateChange
) -> EquipmentCard:
    unit = await EQUIPMENT.load(session, principal, equipment_id, lock=True)
    if unit.state == EquipmentStateKind.decommissioned.value:
        raise Conflict("Оборудование списано: его состояние больше не меняется")
    if data.state.value == unit.state:
        raise field_error("state", "Оборудование уже в этом состоянии")
    if data.since > date.today():
        raise field_error("since", "Дата смены состояния в будущем")
    if data.since < unit.state_since:
        raise field_error("since", f"Дата раньше начала текущего состояния ({unit.state_since:%d.%m.%Y})")
    await EquipmentRepository(session).add(
        EquipmentState(
            equipment_id=unit.id,
            state=data.state.value,
            since=data.since,
            reason=data.reason,
            recorded_by=principal.subject,
        )
    )
    await EQUIPMENT.update(session, unit, {"state": data.state.value, "state_since": data.since})
    return await card(session, principal, unit.id)


async def usage(session: AsyncSession, principal: Principal, equipment_id: uuid.UUID) -> list[UsageRead]:
    unit = await EQUIPMENT.load(session, principal, equipment_id)
    return [usage_read(unit, u) for u in await EquipmentRepository(session).usage(unit.id)]


async def put_usage(
    session: AsyncSession, principal: Principal, equipment_id: uuid.UUID, month: date, data: UsageUpdate
) -> UsageRead:
    unit = await EQUIPMENT.load(session, principal, equipment_id)
    if month.day != 1:
        raise field_error("month", "Месяц задаётся первым числом", location="path")
    today = date.today()
    if month > today.replace(day=1):
        raise field_error("month", "Месяц ещё не наступил", location="path")
    if month < unit.commissioned_on.replace(day=1):
        raise field_error("month", "Месяц раньше ввода оборудования в эксплуатацию", location="path")
    hours_in_month = calendar.monthrange(month.year, month.month)[1] * 24
    if data.hours_used > hours_in_month:
        raise field_error("hours_used", f"В месяце всего {hours_in_month} часов")
    await EquipmentRepository(session).put_usage(unit.id, month, data.hours_used)
    return usage_read(unit, EquipmentUsage(equipment_id=unit.id, month=month, hours_used=data.hours_used))


async def add_inventory(
    session: AsyncSession, principal: Principal, equipment_id: uuid.UUID, data: InventoryCreate
) -> InventoryRead:
    unit = await EQUIPMENT.load(session, principal, equipment_id)
    if data.counted_on > date.today():
        raise field_error("counted_on", "Дата инвентаризации в будущем")
    if data.counted_on < unit.commissioned_on:
        raise field_error("counted_on", "Дата инвентаризации раньше ввода в эксплуатацию")
    number = data.inventory_number or unit.inventory_number
    if not number:
        raise field_error("inventory_number", "У единицы нет инвентарного номера: укажите его")
    if unit.inventory_number is None:
        unit.inventory_number = number  # the first count gives the unit its number
    row = EquipmentInventory(
        equipment_id=unit.id,
        inventory_number=number,
        counted_on=data.counted_on,
        result=data.result.value,
        note=data.note,
        recorded_by=principal.subject,
    )
    await EquipmentRepository(session).add(row)
    await EQUIPMENT.changed(session, unit)
    return InventoryRead.model_validate(row)


async def inventory(
    session: AsyncSession, principal: Principal, equipment_id: uuid.UUID
) -> list[InventoryRead]:
    unit = await EQUIPMENT.load(session, principal, equipment_id)
    return [InventoryRead.model_validate(i) for i in await EquipmentRepository(session).inventory(unit.id)]
