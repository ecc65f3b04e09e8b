"""The stock API's bodies and answers (pydantic; the ORM models stay in pharmacy/models)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

Funding = Literal["federal", "regional"]
WriteOffReason = Literal["expired", "defect", "damage", "recall", "shortage"]

WRITE_OFF_REASON_NAMES: dict[str, str] = {
    "expired": "истёк срок годности",
    "defect": "брак",
    "damage": "бой/порча",
    "recall": "изъятие по решению Росздравнадзора",
    "shortage": "недостача",
}


class ReceiptLineIn(BaseModel):
    drug_id: uuid.UUID | None = Field(default=None, description="Препарат справочника")
    gtin: str | None = Field(default=None, max_length=14, description="Или GTIN упаковки")
    series: str = Field(min_length=1, max_length=20, description="Серия (партия)")
    expiry_date: date = Field(description="Срок годности")
    funding_source: Funding
    unit_price: Decimal = Field(ge=0, max_digits=14, decimal_places=2, description="Цена за упаковку, ₽")
    quantity: int = Field(gt=0, le=100_000, description="Упаковок")
    codes: list[str] = Field(
        default_factory=list,
        max_length=100_000,
        description="Отсканированные коды маркировки (GS1 DataMatrix), по одному на упаковку",
    )
    low_threshold: int | None = Field(default=None, ge=0, description="Порог «мало на остатке»")

    @model_validator(mode="after")
    def _drug_named(self) -> ReceiptLineIn:
        if self.drug_id is None and not self.gtin:
            raise ValueError("Укажите препарат: drug_id или GTIN")
        return self


class ReceiptIn(BaseModel):
    pharmacy_id: uuid.UUID | None = Field(default=None, description="Аптека (по умолчанию — своя)")
    supplier: str = Field(min_length=1, max_length=300, description="Поставщик или склад")
    invoice_number: str = Field(min_length=1, max_length=60, description="Номер накладной")
    invoice_date: date
    comment: str | None = Field(default=None, max_length=500)
    lines: list[ReceiptLineIn] = Field(min_length=1, max_length=500)


class OutLineIn(BaseModel):
    batch_id: uuid.UUID
    quantity: int = Field(gt=0, le=100_000)
    codes: list[str] = Field(
        default_factory=list,
        max_length=100_000,
        description="Коды маркировки упаковок (маркированный препарат)",
    )


class TransferIn(BaseModel):
    pharmacy_id: uuid.UUID | None = Field(default=None, description="Откуда (по умолчанию — своя аптека)")
    to_pharmacy_id: uuid.UUID = Field(description="Куда")
    number: str = Field(min_length=1, max_length=60, description="Номер накладной на перемещение")
    doc_date: date
    comment: str | None = Field(default=None, max_length=500)
    lines: list[OutLineIn] = Field(min_length=1, max_length=500)


class ReturnIn(BaseModel):
    pharmacy_id: uuid.UUID | None = None
    supplier: str = Field(min_length=1, max_length=300)
    supplier_id: uuid.UUID | None = Field(
        default=None, description="Поставщик как организация (нужен для сведений в МДЛП о маркированных)"
    )
    number: str = Field(min_length=1, max_length=60)
    doc_date: date
    comment: str | None = Field(default=None, max_length=500)
    lines: list[OutLineIn] = Field(min_length=1, max_length=500)


class CounterpartyRead(BaseModel):
    """A pharmacy or warehouse of the region a stock document can go to (no stock of its own
    shown: a pharmacist picks where to transfer or return to)."""

    model_config = ConfigDict(from_attributes=True)
    id: uuid.UUID
    code: str | None
    name: str
    kind: Literal["pharmacy", "warehouse"] = Field(
        description="pharmacy — аптека, warehouse — аптечный склад"
    )


class WriteOffIn(BaseModel):
    pharmacy_id: uuid.UUID | None = None
    reason: WriteOffReason = Field(
        description="expired — истёк срок годности, defect — брак, damage — бой/порча, "
        "recall — изъятие по решению Росздравнадзора, shortage — недостача"
    )
    number: str = Field(min_length=1, max_length=60, description="Номер акта списания")
    doc_date: date
    comment: str | None = Field(default=None, max_length=500)
    lines: list[OutLineIn] = Field(min_length=1, max_length=500)


class MovementRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    batch_id: uuid.UUID
    drug_id: uuid.UUID
    kind: str
    quantity: int
    balance_after: int
    reason: str | None
    document: str | None
    sgtins: list[str] | None
    booked_by: str
    booked_at: datetime


class DocumentRead(BaseModel):
    id: uuid.UUID
    pharmacy_id: uuid.UUID
    kind: str
    number: str
    doc_date: date
    counterparty_id: uuid.UUID | None
    counterparty_name: str | None
    reason: str | None
    status: str
    comment: str | None
    created_by: str
    created_at: datetime
    posted_by: str | None
    posted_at: datetime | None
    movements: list[MovementRead] = Field(default_factory=list)


class InventoryCreate(BaseModel):
    pharmacy_id: uuid.UUID | None = None
    number: str = Field(min_length=1, max_length=60, description="Номер инвентаризационной описи")
    doc_date: date
    comment: str | None = Field(default=None, max_length=500)


class InventoryLineIn(BaseModel):
    batch_id: uuid.UUID
    counted_quantity: int | None = Field(default=None, ge=0, description="Посчитано упаковок")
    codes: list[str] | None = Field(
        default=None, max_length=100_000, description="Или отсканированные коды (маркированный препарат)"
    )

    @model_validator(mode="after")
    def _something_counted(self) -> InventoryLineIn:
        if self.counted_quantity is None and self.codes is None:
            raise ValueError("Укажите посчитанное количество или отсканированные коды")
        return self


class InventoryLinesIn(BaseModel):
    lines: list[InventoryLineIn] = Field(min_length=1, max_length=2000)


class InventoryLineRead(BaseModel):
    batch_id: uuid.UUID
    drug_id: uuid.UUID
    inn: str
    trade_name: str
    series: str
    expiry_date: date
    funding_source: str
    counted_quantity: int
    codes: list[str] | None
    book_quantity: int = Field(description="Учётный остаток (на момент проведения, до — текущий)")
    difference: int = Field(description="Посчитано − учётный: + излишек, − недостача")
    missing_codes: list[str] = Field(default_factory=list, description="Не найденные упаковки")
    surplus_codes: list[str] = Field(default_factory=list, description="Найденные сверх учёта")


class InventoryRead(BaseModel):
    document: DocumentRead
    lines: list[InventoryLineRead]


class StockRow(BaseModel):
    batch_id: uuid.UUID
    pharmacy_id: uuid.UUID
    pharmacy_name: str | None
    drug_id: uuid.UUID
    inn: str
    trade_name: str
    dosage_form: str
    dosage: str
    marked: bool
    series: str
    expiry_date: date
    days_to_expiry: int
    funding_source: str
    unit_price: Decimal
    quantity: int
    reserved: int
    free: int
    drug_free: int = Field(description="Свободно по препарату в аптеке (все партии, не просрочено)")
    threshold: int
    low: bool = Field(description="Свободный остаток препарата в аптеке ниже порога")


class CardMovement(BaseModel):
    id: uuid.UUID
    booked_at: datetime
    kind: str
    quantity: int
    balance: int = Field(description="Остаток препарата в аптеке после движения (все партии)")
    batch_id: uuid.UUID
    series: str
    batch_balance: int
    document: str | None
    document_id: uuid.UUID | None
    reason: str | None
    counterparty_id: uuid.UUID | None
    prescription_id: uuid.UUID | None
    sgtins: list[str] | None
    booked_by: str


class CardBatch(BaseModel):
    batch_id: uuid.UUID
    series: str
    expiry_date: date
    funding_source: str
    unit_price: Decimal
    quantity: int
    reserved: int


class StockCard(BaseModel):
    pharmacy_id: uuid.UUID
    pharmacy_name: str | None
    drug_id: uuid.UUID
    inn: str
    trade_name: str
    dosage_form: str
    dosage: str
    marked: bool
    balance: int
    reserved: int
    batches: list[CardBatch]
    movements: list[CardMovement]
    total: int = Field(description="Всего движений (с учётом периода)")
    limit: int
    offset: int


class PackageHistoryItem(BaseModel):
    booked_at: datetime
    kind: str
    pharmacy_id: uuid.UUID
    document: str | None
    reason: str | None
    booked_by: str


class MarkedPackageRead(BaseModel):
    sgtin: str
    gtin: str
    serial: str
    status: str
    pharmacy_id: uuid.UUID
    pharmacy_name: str | None
    batch_id: uuid.UUID
    drug_id: uuid.UUID
    inn: str
    trade_name: str
    series: str
    expiry_date: date
    received_at: datetime
    changed_at: datetime
    history: list[PackageHistoryItem]


class AvailabilityRead(BaseModel):
    """Free packages of one drug in one pharmacy on a date (held − reserved, batches not
    expired), by funding source, with the nearest expiry among them."""

    pharmacy_id: uuid.UUID
    pharmacy_name: str | None
    drug_id: uuid.UUID
    inn: str
    trade_name: str
    dosage_form: str
    dosage: str
    free: int
    free_federal: int
    free_regional: int
    nearest_expiry: date | None


class SweepResult(BaseModel):
    lapsed: int
