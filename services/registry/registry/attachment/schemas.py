"""Attachment of a person to an MO for primary care (прикрепление) and the monthly list."""

from __future__ import annotations

import enum
import uuid
from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from registry.person.schemas import AttachmentRead, Sex


class AttachmentMethod(enum.StrEnum):
    application = "application"  # по заявлению застрахованного лица
    territorial = "territorial"  # по территориально-участковому принципу


class AttachmentCreate(BaseModel):
    """An attachment application: attaching closes the previous attachment period the day before."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    person_id: uuid.UUID
    mo_id: uuid.UUID = Field(description="Медицинская организация")
    area_code: str | None = Field(default=None, max_length=20, description="Код участка")
    attached_from: date = Field(description="Дата прикрепления")
    method: AttachmentMethod
    application_date: date | None = Field(default=None, description="Дата заявления")


class AttachmentResult(BaseModel):
    person_id: uuid.UUID
    attachment: AttachmentRead
    previous_mo_id: uuid.UUID | None


class AttachedPerson(BaseModel):
    """A row of the monthly attachment list."""

    model_config = ConfigDict(from_attributes=True)

    person_id: uuid.UUID
    oip: int
    enp: str | None
    surname: str
    first_name: str
    patronymic: str | None
    birth_date: date
    sex: Sex
    area_code: str | None
    attached_from: date
    method: AttachmentMethod


EXPORT_COLUMNS = (
    "oip",
    "enp",
    "surname",
    "first_name",
    "patronymic",
    "birth_date",
    "sex",
    "area_code",
    "attached_from",
    "method",
)
