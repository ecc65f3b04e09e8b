"""Request and response bodies of the register of beneficiaries."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Funding = Literal["federal", "regional"]


class DrugListRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    funding_source: Funding
    basis: str
    inns: list[str]


class CategoryRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str = Field(description="Код льготы: федеральный трёхзначный, vzn-NN, r-…")
    kind: Literal["onls", "vzn", "regional_disease", "regional_social"]
    name: str
    funding_source: Funding
    drug_list_code: str
    discount_percent: int
    icd10: list[str] = Field(description="Коды МКБ-10 (префиксы), нужные для категории; пусто — любые")
    in_kind_refusable: bool = Field(description="Отказ от НСУ (в пользу денег) снимает право в этом году")
    basis: str


class EntitlementIn(BaseModel):
    category_code: str = Field(max_length=30)
    valid_from: date
    valid_to: date | None = None
    document_kind: str | None = Field(default=None, max_length=200)
    document_series: str | None = Field(default=None, max_length=20)
    document_number: str | None = Field(default=None, max_length=40)
    document_date: date | None = None
    document_issuer: str | None = Field(default=None, max_length=300)


class EntitlementRead(EntitlementIn):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    source: str


class DiagnosisIn(BaseModel):
    icd10: str = Field(pattern=r"^[A-Z]\d{2}(\.\d{1,2})?$", description="Код МКБ-10")
    since: date | None = None


class BeneficiaryIn(BaseModel):
    person_id: uuid.UUID = Field(description="Идентификатор лица в регистре застрахованных")
    surname: str | None = Field(default=None, min_length=1, max_length=100)
    first_name: str | None = Field(default=None, min_length=1, max_length=100)
    patronymic: str | None = Field(default=None, max_length=100)
    birth_date: date | None = None
    sex: Literal["male", "female"] | None = None
    snils: str | None = Field(default=None, pattern=r"^\d{11}$")
    enp: str | None = Field(default=None, pattern=r"^\d{16}$")
    home_region: str | None = Field(default=None, pattern=r"^\d{2}$", description="Иногородний: код региона")
    temporary_until: date | None = None
    entitlements: list[EntitlementIn] = Field(default_factory=list, max_length=50)
    diagnoses: list[DiagnosisIn] = Field(default_factory=list, max_length=50)


class BeneficiarySummary(BaseModel):
    id: uuid.UUID
    person_id: uuid.UUID | None
    surname: str | None
    first_name: str | None
    patronymic: str | None
    birth_date: date | None
    snils_masked: str | None
    home_region: str | None
    categories_on: list[str] = Field(description="Категории, действующие на дату списка")


class BeneficiaryCard(BaseModel):
    id: uuid.UUID
    person_id: uuid.UUID | None
    surname: str | None
    first_name: str | None
    patronymic: str | None
    birth_date: date | None
    sex: str | None
    snils_masked: str | None
    enp_masked: str | None
    home_region: str | None
    temporary_until: date | None
    death_date: date | None
    entitlements: list[EntitlementRead]
    refused_years: list[int]
    diagnoses: list[DiagnosisIn]


class CategoryAnswer(BaseModel):
    code: str
    name: str
    funding_source: Funding
    drug_list_code: str
    discount_percent: int


class Refusal(BaseModel):
    category_code: str | None
    reason: Literal[
        "not_registered",
        "dead",
        "temporary_ended",
        "no_entitlement",
        "not_started",
        "expired",
        "refused_in_kind",
        "other_drug_list",
        "diagnosis_not_covered",
    ]
    message: str


class EntitlementAnswer(BaseModel):
    person_id: uuid.UUID
    on: date
    entitled: bool
    categories: list[CategoryAnswer]
    reasons: list[Refusal] = Field(description="Почему нет (или почему не по остальным категориям)")


class RegisterLoadRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    job_id: uuid.UUID | None
    file_name: str
    as_of: date
    lines: int
    new: int
    ended: int
    changed: int
    unchanged: int
    refusals: int
    problems: list[dict[str, object]]
    changes: list[dict[str, object]]
    matching: dict[str, object] | None = Field(
        default=None,
        description=(
            "Сопоставление строк с регистром застрахованных по СНИЛС: status (done — выполнено, "
            "unavailable — регистр недоступен или не подключён: title, detail; not_needed — все "
            "лица уже известны), matched, unmatched, reasons (число без лица по причинам: not_found, "
            "ambiguous, birth_date_mismatch, other_snils) и строки без лица (line, snils_masked, "
            "reason, message)"
        ),
    )
