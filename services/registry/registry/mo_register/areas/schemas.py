"""Service areas (участки) of an MO and their attached population by age and sex."""

from __future__ import annotations

import enum
import uuid
from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class AreaKind(enum.StrEnum):
    """Kinds of areas of the orders on primary care (543н for adults, 92н for children)."""

    therapeutic = "therapeutic"  # терапевтический (в т.ч. цеховой)
    pediatric = "pediatric"  # педиатрический
    general_practice = "general_practice"  # врача общей практики
    family_doctor = "family_doctor"  # семейного врача
    complex = "complex"  # комплексный
    feldsher = "feldsher"  # фельдшерский
    obstetric = "obstetric"  # акушерский


class AreaCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    code: str = Field(min_length=1, max_length=20, description="Код участка (как в прикреплении: area_code)")
    kind: AreaKind
    department_id: uuid.UUID | None = Field(
        default=None, description="Отделение, которое обслуживает участок"
    )
    territory_id: uuid.UUID | None = None
    description: str | None = Field(
        default=None, max_length=500, description="Улицы, дома, населённые пункты"
    )


class AreaUpdate(BaseModel):
    """The code is not changed: attachments name the area by it."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    kind: AreaKind | None = None
    department_id: uuid.UUID | None = None
    territory_id: uuid.UUID | None = None
    description: str | None = Field(default=None, max_length=500)


class AreaRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    mo_id: uuid.UUID
    code: str
    kind: AreaKind
    department_id: uuid.UUID | None
    territory_id: uuid.UUID | None
    description: str | None


class AgeSexGroup(BaseModel):
    age_from: int
    age_to: int | None = Field(description="Пусто — «и старше»")
    label: str
    male: int
    female: int
    total: int


class AreaPopulation(BaseModel):
    """Persons attached to the area on ``on``, by age (full years on that date) and sex."""

    area_code: str | None = Field(description="Пусто — прикреплённые без указания участка")
    area_id: uuid.UUID | None
    on: date
    total: int
    groups: list[AgeSexGroup]


class MoPopulation(BaseModel):
    mo_id: uuid.UUID
    on: date
    total: int
    areas: list[AreaPopulation]
