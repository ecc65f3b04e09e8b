"""The equipment register: units, their states, monthly use and inventory records."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field


class Input(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class EquipmentStateKind(enum.StrEnum):
    working = "working"  # исправно, в эксплуатации
    under_repair = "under_repair"  # в ремонте
    decommissioned = "decommissioned"  # списано (конечное состояние)


class InventoryResult(enum.StrEnum):
    found = "found"  # в наличии
    not_found = "not_found"  # недостача
    damaged = "damaged"  # в наличии, неисправно


class EquipmentCreate(Input):
    type_code: str = Field(description="Вид оборудования (НСИ equipment_type), например RAD.CT")
    model: str = Field(min_length=1, max_length=300)
    manufacturer: str = Field(min_length=1, max_length=300)
    serial_number: str = Field(min_length=1, max_length=100, description="Заводской номер")
    inventory_number: str | None = Field(default=None, max_length=60)
    manufactured_year: int = Field(ge=1950, description="Год выпуска")
    commissioned_on: date = Field(description="Дата ввода в эксплуатацию")
    department_id: uuid.UUID
    room_id: uuid.UUID | None = None
    norm_hours_month: int | None = Field(
        default=None, ge=1, le=744, description="Норма часов работы в месяц; пусто — норма вида"
    )


class EquipmentUpdate(Input):
    """Details and location; the state changes through ``/state``."""

    type_code: str | None = None
    model: str | None = Field(default=None, min_length=1, max_length=300)
    manufacturer: str | None = Field(default=None, min_length=1, max_length=300)
    serial_number: str | None = Field(default=None, min_length=1, max_length=100)
    inventory_number: str | None = Field(default=None, max_length=60)
    manufactured_year: int | None = Field(default=None, ge=1950)
    commissioned_on: date | None = None
    department_id: uuid.UUID | None = None
    room_id: uuid.UUID | None = None
    norm_hours_month: int | None = Field(default=None, ge=1, le=744)


class EquipmentRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    mo_id: uuid.UUID
    type_code: str
    model: str
    manufacturer: str
    serial_number: str
    inventory_number: str | None
    manufactured_year: int
    commissioned_on: date
    department_id: uuid.UUID
    room_id: uuid.UUID | None
    norm_hours_month: int | None
    state: EquipmentStateKind
    state_since: date


class StateChange(Input):
    state: EquipmentStateKind
    since: date = Field(description="С какой даты")
    reason: str | None = Field(default=None, max_length=500)


class StateRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    state: EquipmentStateKind
    since: date
    reason: str | None
    recorded_at: datetime
    recorded_by: str


class UsageUpdate(Input):
    hours_used: float = Field(ge=0, description="Часов работы за месяц")


class UsageRead(BaseModel):
    month: date = Field(description="Первое число месяца")
    hours_used: float
    norm_hours: int | None = Field(description="Норма часов в месяц (своя или вида оборудования)")
    utilization_percent: float | None = Field(description="Использование, % от нормы")


class InventoryCreate(Input):
    counted_on: date = Field(description="Дата инвентаризации")
    result: InventoryResult
    inventory_number: str | None = Field(
        default=None, max_length=60, description="Пусто — инвентарный номер единицы"
    )
    note: str | None = Field(default=None, max_length=500)


class InventoryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    inventory_number: str
    counted_on: date
    result: InventoryResult
    note: str | None
    recorded_by: str


class EquipmentCard(EquipmentRead):
    type_name: str | None = Field(description="Наименование вида по НСИ")
    states: list[StateRead] = Field(description="История состояний, новые сверху")
    usage: list[UsageRead] = Field(description="Использование за последние 12 месяцев с данными")
    inventory: list[InventoryRead] = Field(description="Записи инвентаризаций, новые сверху")
