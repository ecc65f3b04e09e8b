"""Licenses for medical activity of an MO."""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class LicenseCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    number: str = Field(min_length=1, max_length=60, description="Номер лицензии (реестровая запись)")
    issued_on: date = Field(description="Дата предоставления")
    issuer: str | None = Field(default=None, max_length=300, description="Лицензирующий орган")
    valid_from: date
    valid_to: date | None = Field(default=None, description="Пусто — бессрочная")
    care_profiles: list[str] = Field(
        min_length=1, description="Работы (услуги), составляющие деятельность: профили НСИ care_profile"
    )


class LicenseUpdate(BaseModel):
    """Every field may change; the period is checked again against the MO's other licenses."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    number: str | None = Field(default=None, min_length=1, max_length=60)
    issued_on: date | None = None
    issuer: str | None = Field(default=None, max_length=300)
    valid_from: date | None = None
    valid_to: date | None = None
    care_profiles: list[str] | None = Field(default=None, min_length=1)


class LicenseRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    mo_id: uuid.UUID
    number: str
    issued_on: date
    issuer: str | None
    valid_from: date
    valid_to: date | None
    care_profiles: list[str]
    in_force: bool = Field(description="Действует на дату запроса")
