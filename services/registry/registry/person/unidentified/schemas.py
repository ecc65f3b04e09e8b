"""НИЛ — unidentified persons registered by an MO under a registration sheet number."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from registry.person.schemas import PastDate, Sex


class UnidentifiedCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    sheet_number: str = Field(min_length=1, max_length=40, description="Номер листа регистрации")
    mo_id: uuid.UUID = Field(description="МО, в которую поступил пациент")
    admitted_on: PastDate = Field(description="Дата поступления")
    sex: Sex | None = None
    estimated_birth_year: int | None = Field(
        default=None, ge=1900, le=2100, description="Примерный год рождения"
    )
    description: str | None = Field(default=None, max_length=2000, description="Приметы, обстоятельства")


class UnidentifiedRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    sheet_number: str
    mo_id: uuid.UUID
    admitted_on: date
    sex: Sex | None
    estimated_birth_year: int | None
    description: str | None
    person_id: uuid.UUID | None = Field(description="Персона регистра, с которой связан НИЛ")
    linked_at: datetime | None
    created_at: datetime


class UnidentifiedLink(BaseModel):
    model_config = ConfigDict(extra="forbid")

    person_id: uuid.UUID = Field(description="Установленная персона регистра")
