"""API shapes of the deviations."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Kind = Literal["month_on_month", "peer_group", "rule"]
Status = Literal["new", "acknowledged"]


class DeviationRead(BaseModel):
    id: uuid.UUID
    mo_id: uuid.UUID
    mo_name: str | None
    mo_code: str | None
    month: str = Field(description="ГГГГ-ММ")
    kind: Kind
    metric: str
    value: Decimal
    expected: Decimal | None
    score: float | None = Field(description="Робастный z-score (для выбросов)")
    explanation: str
    status: Status
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    comment: str | None
    detected_at: datetime


class DeviationPage(BaseModel):
    items: list[DeviationRead]
    total: int
    limit: int
    offset: int
    new_by_kind: dict[str, int] = Field(description="Новых отклонений по видам (в пределах доступных МО)")


class AcknowledgeIn(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    comment: str | None = Field(
        default=None, max_length=2000, description="Комментарий: что выяснено, что сделано"
    )


class SearchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    wages_share_threshold: float = Field(
        default=0.85, gt=0, lt=1, description="Порог доли оплаты труда (211 + 213) в расходах средств ОМС"
    )
