from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, model_validator


class Period(BaseModel):
    period_from: date = Field(description="Начало периода (дата отпуска)")
    period_to: date = Field(description="Конец периода (включительно)")

    @model_validator(mode="after")
    def _order(self) -> Period:
        if self.period_to < self.period_from:
            raise ValueError("Конец периода раньше начала")
        if (self.period_to - self.period_from).days > 366:
            raise ValueError("Период не длиннее года")
        return self


class ControlRunIn(Period):
    pharmacy_id: uuid.UUID | None = Field(
        default=None, description="Одна аптека; без неё — все в зоне видимости"
    )


class ControlRunRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    period_from: date
    period_to: date
    pharmacy_id: uuid.UUID | None
    job_id: uuid.UUID | None = Field(description="Фоновая задача (ход — /jobs/{job_id})")
    status: str
    started_by: str
    started_at: datetime
    finished_at: datetime | None
    checked: int
    with_violations: int
    violations: int
    amount: Decimal
    withheld: Decimal
    by_code: dict[str, int] | None


class CodeCount(BaseModel):
    code: str
    title: str
    count: int
    amount: Decimal = Field(description="Сумма к удержанию по нарушениям этого вида")


class ControlSummary(BaseModel):
    checked: int = Field(description="Отпусков проверено")
    unchecked: int = Field(description="Отпусков периода, ещё не прошедших контроль")
    with_violations: int
    amount: Decimal = Field(description="Предъявлено к оплате")
    withheld: Decimal = Field(description="К удержанию")
    accepted: Decimal = Field(description="Принято к оплате")
    by_code: list[CodeCount]


class ControlViolationRead(BaseModel):
    id: uuid.UUID
    dispense_id: uuid.UUID
    prescription_id: uuid.UUID
    pharmacy_id: uuid.UUID
    series: str
    number: int
    dispensed_on: date
    patient: str | None = Field(description="ФИО пациента")
    code: str
    title: str
    message: str
    amount: Decimal = Field(description="Сумма к удержанию по этому нарушению")
    dispense_amount: Decimal
    withheld: Decimal = Field(description="Удерживается по отпуску в целом")


class ViolationPage(BaseModel):
    items: list[ControlViolationRead]
    total: int
    limit: int
    offset: int


class RegistryRowRead(BaseModel):
    dispense_id: uuid.UUID
    prescription_id: uuid.UUID
    pharmacy_id: uuid.UUID
    series: str
    number: int
    form: str
    issued_on: date
    valid_until: date
    mo_code: str
    category_code: str
    funding_source: str
    diagnosis_code: str
    patient: str | None
    snils_masked: str | None
    inn: str
    trade_name: str
    dosage_form: str
    dosage: str
    quantity: int
    dispensed_at: datetime
    amount: Decimal
    checked: bool = Field(description="Прошёл медико-экономический контроль")
    withheld: Decimal | None
    violation_codes: list[str]


class RegistryPage(BaseModel):
    items: list[RegistryRowRead]
    total: int
    limit: int
    offset: int


class ActIn(Period):
    pharmacy_id: uuid.UUID


class ActLine(BaseModel):
    n: int
    dispense_id: uuid.UUID
    series: str
    number: int
    issued_on: date
    dispensed_on: date
    patient: str | None = Field(description="ФИО (инициалы) пациента")
    snils_masked: str | None
    inn: str
    quantity: int
    amount: Decimal
    withheld: Decimal
    violations: list[str] = Field(description="Коды нарушений")
    reasons: str = Field(description="Нарушения словами")


class ActRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    number: str
    pharmacy_id: uuid.UUID
    pharmacy_name: str | None = None
    period_from: date
    period_to: date
    drawn_up_on: date
    drawn_up_by: str
    dispenses: int
    with_violations: int
    amount: Decimal
    withheld: Decimal
    accepted: Decimal
    created_at: datetime


class ActCard(ActRead):
    lines: list[ActLine]


class ActPage(BaseModel):
    items: list[ActRead]
    total: int
    limit: int
    offset: int
