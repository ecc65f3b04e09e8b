from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

ReportStatus = Literal["queued", "sent", "accepted", "rejected", "failed"]
Operation = Literal["dispense_by_prescription", "write_off", "return"]


class TraceErrorRead(BaseModel):
    code: str
    message: str
    object_id: str | None = None


class TraceReportSummary(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    idempotency_key: str = Field(
        description="Ключ идемпотентности отчёта (request_id в МДЛП), один на все повторы"
    )
    operation: str = Field(description="dispense_by_prescription (521), write_off (552), return (415)")
    action_id: int = Field(description="Номер схемы документа МДЛП")
    pharmacy_id: uuid.UUID
    dispense_id: uuid.UUID | None
    sgtins: list[str]
    status: ReportStatus
    attempts: int
    external_id: str | None = Field(description="Идентификатор документа в МДЛП")
    error: str | None
    created_at: datetime
    sent_at: datetime | None
    answered_at: datetime | None
    next_attempt_at: datetime | None


class TraceReportRead(TraceReportSummary):
    document: str = Field(description="XML документа МДЛП, как отправлен")
    ticket: str | None = Field(description="Квитанция МДЛП (документ 200 result), если получена")
    errors: list[TraceErrorRead]


class TraceReportPage(BaseModel):
    items: list[TraceReportSummary]
    total: int
    limit: int
    offset: int
    by_status: dict[str, int] = Field(
        description="Число отчётов по статусам при тех же фильтрах (без статуса)"
    )
