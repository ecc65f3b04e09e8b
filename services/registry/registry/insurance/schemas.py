"""Insurance affiliation: which insurer (СМО) covers a person, under which policy, when."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from registry.person.schemas import Corrects, InsuranceRead

# ФФОМС F008, the kind of document that proves CMI coverage: 1 полис старого образца,
# 2 временное свидетельство, 3 полис единого образца, 4 электронный полис единого образца,
# 5 полис в составе универсальной электронной карты.
PolicyType = Literal["1", "2", "3", "4", "5"]


class InsuranceIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    insurer_id: uuid.UUID = Field(description="Страховая медицинская организация")
    policy_type: PolicyType = Field(description="Тип документа о страховании (F008)")
    policy_series: str | None = Field(default=None, max_length=20)
    policy_number: str = Field(min_length=1, max_length=30, pattern=r"^[0-9A-Za-zА-Яа-я\-]+$")
    valid_from: date
    valid_to: date | None = None
    corrects: Corrects = None


class InsuranceOn(BaseModel):
    person_id: uuid.UUID
    oip: int
    on: date
    insurance: InsuranceRead | None = Field(
        description="Страховая принадлежность на дату; нет — не застрахован"
    )
