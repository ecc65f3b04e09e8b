"""The API's shapes of payment orders and their imports."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, computed_field


class FileFormat(enum.StrEnum):
    onec = "1c"
    csv = "csv"
    xlsx = "xlsx"


class PaymentOrderRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    mo_id: uuid.UUID
    import_id: uuid.UUID | None
    direction: Literal["out", "in"]
    doc_kind: str
    doc_number: str
    doc_date: date
    amount: Decimal
    account: str = Field(description="Счёт МО (плательщика при списании, получателя при поступлении)")
    payer_name: str
    payer_inn: str | None
    payer_kpp: str | None
    payer_account: str | None
    payer_bik: str | None
    payee_name: str
    payee_inn: str | None
    payee_kpp: str | None
    payee_account: str | None
    payee_bik: str | None
    purpose: str
    kbk: str | None
    written_off: date | None
    received: date | None
    kvfo: int | None
    kosgu: str | None
    classified_by: Literal["rule", "model", "user"] | None
    confidence: float | None
    needs_review: bool
    classified_at: datetime | None
    created_at: datetime

    @computed_field(description="Контрагент: получатель при списании, плательщик при поступлении")  # type: ignore[prop-decorator]
    @property
    def counterparty_name(self) -> str:
        return self.payee_name if self.direction == "out" else self.payer_name

    @computed_field(description="ИНН контрагента")  # type: ignore[prop-decorator]
    @property
    def counterparty_inn(self) -> str | None:
        return self.payee_inn if self.direction == "out" else self.payer_inn


class ImportProblem(BaseModel):
    line: int = Field(description="Строка файла (для 1С — строка ключа, для таблицы — номер строки)")
    field: str = Field(description="Поле (ключ 1С или заголовок колонки)")
    message: str
    document: str = Field("", description="Документ: «№ 15 от 03.03.2026»")


class ImportError_(BaseModel):
    title: str
    detail: str


class PaymentImportRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    mo_id: uuid.UUID
    job_id: uuid.UUID | None = Field(description="Фоновая задача разбора (для больших файлов)")
    file_name: str
    file_format: FileFormat | None
    status: Literal["processing", "awaiting_decision", "imported", "discarded", "failed"] = Field(
        description=(
            "processing — файл разбирается; awaiting_decision — в файле есть ошибки, ничего не "
            "записано, ждёт решения (apply — загрузить корректные, discard — отказаться); imported — "
            "записано; discarded — отменено; failed — файл не прочитан"
        )
    )
    documents: int = Field(description="Документов в файле")
    valid: int
    invalid: int
    inserted: int = Field(description="Записано новых платёжных поручений")
    duplicates: int = Field(description="Уже были загружены раньше (не записаны повторно)")
    repeated_in_file: int = Field(description="Повторы одного документа внутри файла")
    header: dict[str, Any] = Field(description="Заголовок файла: версия, кодировка, период, счета, остатки")
    problems: list[ImportProblem] = Field(description="Ошибки по строкам (первые 2000)")
    problems_total: int
    warnings: list[str]
    error: ImportError_ | None
    created_by: str
    created_at: datetime
    decided_by: str | None
    decided_at: datetime | None


class PaymentImportSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    mo_id: uuid.UUID
    job_id: uuid.UUID | None
    file_name: str
    file_format: FileFormat | None
    status: str
    documents: int
    valid: int
    invalid: int
    inserted: int
    duplicates: int
    created_by: str
    created_at: datetime
