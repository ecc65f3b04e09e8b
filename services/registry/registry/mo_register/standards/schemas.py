"""The need for equipment: required by the equipping standards − working units, by kind."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from pydantic import BaseModel, Field


class NeedLine(BaseModel):
    type_code: str
    type_name: str | None
    required: int = Field(description="Требуется по стандартам оснащения отделений")
    available: int = Field(description="Исправных единиц (в эксплуатации)")
    need: int = Field(description="Потребность: требуется − исправных, не меньше нуля")


class MoNeed(BaseModel):
    mo_id: uuid.UUID
    mo_name: str
    mo_code: str | None
    lines: list[NeedLine]
    required: int
    available: int
    need: int


class EquipmentNeedReport(BaseModel):
    """For one MO (``scope`` mo) or every MO the caller sees (``scope`` region). A region's need
    of a kind is the sum of its MOs' needs: a spare unit in one MO does not equip another."""

    scope: Literal["mo", "region"]
    on: date
    standards_version: str
    lines: list[NeedLine] = Field(description="Итог по видам оборудования")
    mos: list[MoNeed] = Field(description="По медицинским организациям")
    need: int


EXPORT_COLUMNS = (
    "mo_code",
    "mo_name",
    "type_code",
    "type_name",
    "required",
    "available",
    "need",
)
