"""Request and response bodies of prescriptions."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

Funding = Literal["federal", "regional"]
Form = Literal["148-1/у-04(л)", "148-1/у-06(л)"]
Basis = Literal["standard", "narcotic_list_ii", "pensioner_disabled_chronic"]
Status = Literal["issued", "deferred", "dispensed", "cancelled", "expired"]
ICD10 = r"^[A-Za-z]\d{2}(\.\d{1,2})?$"


class PrescriptionIn(BaseModel):
    """What the doctor writes. The drug is a catalogue entry (``drug_id``: the trade name the
    doctor chose) or, by МНН, ``inn`` + ``dosage_form`` + ``dosage`` (any trade name)."""

    person_id: uuid.UUID
    form: Form = "148-1/у-04(л)"
    category_code: str = Field(max_length=30, description="Код категории льготы, по которой выписан рецепт")
    diagnosis_code: str = Field(pattern=ICD10, description="Код МКБ-10")
    drug_id: uuid.UUID | None = Field(default=None, description="Препарат справочника")
    inn: str | None = Field(default=None, max_length=300, description="МНН (если препарат не выбран)")
    dosage_form: str | None = Field(default=None, max_length=200)
    dosage: str | None = Field(default=None, max_length=100)
    quantity: int = Field(le=1000, description="Количество упаковок")
    signa: str = Field(min_length=1, max_length=500, description="Способ применения (Signa)")
    validity_basis: Basis = Field(default="standard", description="Основание срока действия")
    medical_record_number: str | None = Field(default=None, max_length=30, description="№ медицинской карты")
    doctor_name: str | None = Field(default=None, max_length=300, description="Ф.И.О. врача на бланке")
    pharmacy_id: uuid.UUID | None = Field(
        default=None, description="Зарезервировать препарат в этой аптеке (прикреплённой к МО)"
    )


class CopyIn(BaseModel):
    """A new prescription from an earlier one: same person, category, diagnosis, drug, quantity
    and signa; today's date and a new number; everything checked again."""

    validity_basis: Basis | None = Field(default=None, description="Другое основание срока (иначе то же)")
    quantity: int | None = Field(default=None, le=1000)
    pharmacy_id: uuid.UUID | None = Field(default=None, description="Зарезервировать в этой аптеке")
    doctor_name: str | None = Field(default=None, max_length=300)


class CancelIn(BaseModel):
    reason: str = Field(min_length=3, max_length=500, description="Причина аннулирования")


class ReservationInfo(BaseModel):
    id: uuid.UUID
    pharmacy_id: uuid.UUID
    pharmacy_name: str | None
    quantity: int
    status: str
    expires_at: datetime
    closed_at: datetime | None
    closed_reason: str | None


class DispenseInfo(BaseModel):
    id: uuid.UUID
    pharmacy_id: uuid.UUID
    pharmacy_name: str | None
    dispensed_at: datetime
    quantity: int
    amount: Decimal
    funding_source: str


class DeferredInfo(BaseModel):
    pharmacy_id: uuid.UUID
    pharmacy_name: str | None
    kind: str
    requested_on: date
    deadline: date
    status: str
    overdue: bool
    served_on: date | None


class SignatureInfo(BaseModel):
    valid: bool
    message: str
    algorithm: str | None
    signed_at: datetime | None
    certificate_subject: str | None


class PrescriptionSummary(BaseModel):
    id: uuid.UUID
    form: str
    series: str
    number: int
    designation: str = Field(description="«Серия 9990001 № 0000012» как на бланке")
    status: Status = Field(description="expired — срок истёк, рецепт не отпущен и не на отсроченном")
    issued_on: date
    valid_until: date
    mo_id: uuid.UUID
    mo_code: str
    mo_name: str | None
    doctor_subject: str
    doctor_name: str | None
    person_id: uuid.UUID
    patient_full_name: str | None
    category_code: str
    funding_source: Funding
    discount_percent: int
    diagnosis_code: str
    drug_id: uuid.UUID | None
    inn: str
    dosage_form: str
    dosage: str
    quantity: int
    pharmacy_id: uuid.UUID | None
    pharmacy_name: str | None


class PrescriptionRead(PrescriptionSummary):
    category_name: str | None
    trade_name: str | None
    signa: str
    validity_basis: str
    validity_days: int
    patient_birth_date: date | None
    patient_snils_masked: str | None
    patient_policy_masked: str | None
    medical_record_number: str | None
    barcode: str | None
    copied_from_id: uuid.UUID | None
    cancelled_at: datetime | None
    cancel_reason: str | None
    created_at: datetime
    signature: SignatureInfo
    reservations: list[ReservationInfo]
    dispense: DispenseInfo | None
    deferred: DeferredInfo | None


class ValidityOption(BaseModel):
    basis: Basis
    days: int
    title: str


class FormOption(BaseModel):
    form: Form
    title: str
    validity: list[ValidityOption]


class PharmacyStock(BaseModel):
    pharmacy_id: uuid.UUID
    pharmacy_name: str | None
    free: int
    free_federal: int
    free_regional: int
    nearest_expiry: date | None


class DrugOption(BaseModel):
    drug_id: uuid.UUID
    inn: str
    trade_name: str
    dosage_form: str
    dosage: str
    package_quantity: int
    categories: list[str] = Field(description="Категории лица, чей перечень включает препарат")
    free_total: int = Field(description="Свободно упаковок во всех прикреплённых аптеках")
    stock: list[PharmacyStock]


class CategoryOption(BaseModel):
    code: str
    name: str
    funding_source: Funding
    discount_percent: int
    drug_list_code: str
    icd10: list[str]


class AttachedPharmacy(BaseModel):
    pharmacy_id: uuid.UUID
    pharmacy_name: str | None


class DrugOptions(BaseModel):
    """What the doctor may prescribe to the person on the date: the categories in force, the
    drugs of their lists valid in the NSI, with free stock in the MO's attached pharmacies."""

    person_id: uuid.UUID
    on: date
    entitled: bool
    reasons: list[str] = Field(description="Почему нет права (если нет)")
    categories: list[CategoryOption]
    pharmacies: list[AttachedPharmacy] = Field(description="Аптеки, прикреплённые к МО врача")
    drugs: list[DrugOption]
