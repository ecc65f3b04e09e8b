"""Insurance affiliation: which insurer (СМО) covers a person, under which policy, when."""

from __future__ import annotations

import uuid
from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from registry.person.schemas import Corrects, InsuranceRead


class InsuranceIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    insurer_id: uuid.UUID = Field(description="Страховая медицинская организация")
    policy_type: str = Field(
        min_length=1,
        max_length=2,
        description="Тип документа, подтверждающего факт страхования: код справочника НСИ policy_type "
        "(ФФОМС F008), действующий на дату записи",
        examples=["3"],
    )
    policy_series: str | None = Field(default=None, max_length=20)
    policy_number: str = Field(min_length=1, max_length=30, pattern=r"^[0-9A-Za-zА-Яа-я\-]+$")
    valid_from: date
    valid_to: date | None = None
    corrects: Corrects = None


class InsuranceOn(BaseModel):
    person_id: uuid.UUID
    oip: int
    enp: str | None = Field(description="ЕНП персоны на дату")
    on: date
    insurance: InsuranceRead | None = Field(
        description="Страховая принадлежность на дату; нет — не застрахован"
    )
