"""Territories of the region (districts) and their population by age and sex."""

from __future__ import annotations

import enum
import uuid

from pydantic import BaseModel, ConfigDict, Field

from registry.person.schemas import Sex

OKTMO_PATTERN = r"^\d{8}(\d{3})?$"


class TerritoryKind(enum.StrEnum):
    municipal_district = "municipal_district"  # муниципальный район
    municipal_okrug = "municipal_okrug"  # муниципальный округ
    city_okrug = "city_okrug"  # городской округ


class TerritoryCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    oktmo: str = Field(pattern=OKTMO_PATTERN, description="Код ОКТМО (8 или 11 цифр)")
    name: str = Field(min_length=1, max_length=300)
    kind: TerritoryKind
    center: str | None = Field(default=None, max_length=200, description="Административный центр")
    synthetic: bool = Field(
        default=False, description="Код придуман для демонстрации, это не настоящий ОКТМО"
    )


class TerritoryUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    oktmo: str | None = Field(default=None, pattern=OKTMO_PATTERN)
    name: str | None = Field(default=None, min_length=1, max_length=300)
    kind: TerritoryKind | None = None
    center: str | None = Field(default=None, max_length=200)


class TerritoryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    oktmo: str
    name: str
    kind: TerritoryKind
    center: str | None
    synthetic: bool


class PopulationRow(BaseModel):
    model_config = ConfigDict(extra="forbid", from_attributes=True)

    sex: Sex
    age_from: int = Field(ge=0, le=120)
    age_to: int | None = Field(default=None, ge=0, le=120, description="Пусто — «и старше»")
    population: int = Field(ge=0)


class PopulationLoad(BaseModel):
    """The whole population of the territory on 1 January of the year (replaces that year's figures)."""

    model_config = ConfigDict(extra="forbid")

    rows: list[PopulationRow] = Field(min_length=1, max_length=1000)


class TerritoryPopulationRead(BaseModel):
    territory_id: uuid.UUID
    year: int | None = Field(description="Пусто — сведений нет")
    years: list[int] = Field(description="Годы, за которые есть сведения")
    male: int
    female: int
    total: int
    rows: list[PopulationRow]
