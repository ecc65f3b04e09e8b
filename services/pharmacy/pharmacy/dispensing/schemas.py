"""Request and response bodies of dispensing (pydantic, apart from the ORM models)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from pharmacy.prescriptions.rules import DeferredServiceKind

PackageStatus = Literal["in_stock", "reserved", "dispensed", "written_off", "returned", "transferred"]
DeferredStatus = Literal["waiting", "ready", "served", "cancelled"]


class ViolationRead(BaseModel):
    code: str = Field(description="Имя проверки: expired, inn_mismatch, code_dispensed…")
    message: str


class DrugBrief(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    inn: str
    trade_name: str
    dosage_form: str
    dosage: str
    marked: bool


# --- scan ----------------------------------------------------------------------------------


class ScanIn(BaseModel):
    code: str = Field(
        min_length=1,
        max_length=400,
        description="Текст со сканера как есть (разделитель GS — \\x1d, «<GS>» и т. п.; раскладка любая)",
    )
    pharmacy_id: uuid.UUID | None = Field(default=None, description="Аптека; по умолчанию — своя")
    prescription_id: uuid.UUID | None = Field(
        default=None, description="Рецепт, под который сканируют: проверить МНН/форму/дозировку и бронь"
    )


class ParsedCode(BaseModel):
    gtin: str
    serial: str
    sgtin: str = Field(description="GTIN + серийный номер (27 символов)")
    expiry: date | None
    batch: str | None
    verification_key: str | None = Field(description="AI 91 как получен")
    crypto: str | None = Field(description="AI 92 как получен")


class PackageRead(BaseModel):
    status: PackageStatus
    batch_id: uuid.UUID
    series: str
    expiry_date: date
    funding_source: Literal["federal", "regional"]
    unit_price: Decimal
    dispensed_at: datetime | None = None
    dispensed_by_prescription: str | None = Field(default=None, description="Серия и номер рецепта отпуска")


class ScanRead(BaseModel):
    parsed: ParsedCode
    drug: DrugBrief
    package: PackageRead | None = Field(description="Упаковка в этой аптеке; нет — не числится")
    usable: bool = Field(description="Можно отпускать (нет ни одной проблемы)")
    problems: list[ViolationRead]


# --- prescription at the counter -------------------------------------------------------------


class PatientMasked(BaseModel):
    name: str | None = Field(description="Фамилия с маской и инициалы")
    birth_year: int | None
    snils: str | None = Field(description="СНИЛС с маской")


class EntitlementBrief(BaseModel):
    entitled: bool
    category_code: str
    messages: list[str]


class ReservationBrief(BaseModel):
    pharmacy_id: uuid.UUID
    quantity: int
    expires_at: datetime


class DeferredBrief(BaseModel):
    pharmacy_id: uuid.UUID
    kind: str
    requested_on: date
    deadline: date
    status: DeferredStatus


class BatchChoice(BaseModel):
    """A batch an unmarked drug may be given from (the batch picker at the counter)."""

    batch_id: uuid.UUID
    drug_id: uuid.UUID
    trade_name: str
    series: str
    expiry_date: date
    free: int = Field(description="Свободно упаковок для этого рецепта (с его бронью)")
    unit_price: Decimal


class PrescriptionAtCounter(BaseModel):
    """What the pharmacist sees of a presented prescription."""

    id: uuid.UUID
    designation: str = Field(description="Серия 7701234 № 0000123")
    series: str
    number: int
    form: str
    status: str
    mo_id: uuid.UUID
    issued_on: date
    valid_until: date
    valid_today: bool
    patient: PatientMasked
    inn: str
    dosage_form: str
    dosage: str
    trade_name: str | None = Field(description="Торговое наименование, если врач его выбрал")
    quantity: int
    signa: str
    funding_source: str
    category_code: str
    entitlement: EntitlementBrief
    marked: bool = Field(description="Препараты этого МНН маркированы: отпуск по сканам кодов")
    free_here: int = Field(description="Свободных упаковок подходящих препаратов в этой аптеке")
    batches: list[BatchChoice] = Field(
        description="Немаркированный препарат: партии этой аптеки, из которых можно отпустить "
        "(тот же препарат и источник финансирования, срок годности не истёк, есть свободные), "
        "сначала с ближайшим сроком годности (FEFO); для маркированного — пусто"
    )
    reservations: list[ReservationBrief]
    deferred: DeferredBrief | None
    dispense_id: uuid.UUID | None
    problems: list[ViolationRead] = Field(description="Проверки рецепта на сегодня без учёта упаковок")


# --- dispense ------------------------------------------------------------------------------


class UnmarkedItemIn(BaseModel):
    batch_id: uuid.UUID
    quantity: int = Field(gt=0, le=1000)


class DispenseIn(BaseModel):
    prescription_id: uuid.UUID | None = None
    series: str | None = Field(default=None, min_length=7, max_length=7)
    number: int | None = Field(default=None, ge=1)
    pharmacy_id: uuid.UUID | None = Field(default=None, description="Аптека; по умолчанию — своя")
    codes: list[str] = Field(
        default_factory=list, max_length=500, description="Сканы кодов маркировки, по одному на упаковку"
    )
    items: list[UnmarkedItemIn] = Field(
        default_factory=list, max_length=50, description="Немаркированные препараты: партия и количество"
    )

    @model_validator(mode="after")
    def _which(self) -> DispenseIn:
        if self.prescription_id is None and (self.series is None or self.number is None):
            raise ValueError("Укажите рецепт: prescription_id или серию и номер")
        if not self.codes and not self.items:
            raise ValueError("Нет ни одной упаковки: отсканируйте коды маркировки или укажите партию")
        return self


class DispenseItemRead(BaseModel):
    batch_id: uuid.UUID
    series: str
    expiry_date: date
    sgtin: str | None
    unit_price: Decimal


class DispenseRead(BaseModel):
    id: uuid.UUID
    prescription_id: uuid.UUID
    designation: str
    pharmacy_id: uuid.UUID
    mo_id: uuid.UUID
    pharmacist: str
    dispensed_at: datetime
    quantity: int
    amount: Decimal
    funding_source: str
    drug: DrugBrief
    items: list[DispenseItemRead]
    trace_report_id: uuid.UUID | None = Field(description="Сведения в МДЛП (в очереди)")


# --- deferred service --------------------------------------------------------------------


class DeferredIn(BaseModel):
    prescription_id: uuid.UUID
    kind: DeferredServiceKind = DeferredServiceKind.PREFERENTIAL
    pharmacy_id: uuid.UUID | None = Field(default=None, description="Аптека; по умолчанию — своя")


class DeferredRead(BaseModel):
    prescription_id: uuid.UUID
    designation: str
    pharmacy_id: uuid.UUID
    pharmacy_name: str | None
    kind: DeferredServiceKind
    requested_on: date
    deadline: date
    working_days_left: int
    overdue: bool
    status: DeferredStatus
    served_on: date | None
    inn: str
    dosage_form: str
    dosage: str
    quantity: int
    issued_on: date
    mo_id: uuid.UUID
    reservation_id: uuid.UUID | None
