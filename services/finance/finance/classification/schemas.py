"""What the classification API answers: the review list (a payment with its suggested class and
the alternatives), a person's decision, the decisions log and the current model's card."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

Action = Literal["confirm", "correct"]
Kosgu = Annotated[str, Field(pattern=r"^\d{3}$", description="Код КОСГУ (3 цифры)")]


class Alternative(BaseModel):
    kvfo: int
    kosgu: str
    kosgu_name: str
    probability: float = Field(description="Вероятность по модели (произведение КВФО и КОСГУ)")


class ReviewItem(BaseModel):
    id: uuid.UUID
    mo_id: uuid.UUID
    mo_name: str | None
    direction: Literal["out", "in"]
    doc_number: str
    doc_date: date
    amount: Decimal
    counterparty_name: str = Field(description="Получатель платежа (для поступления — плательщик)")
    counterparty_inn: str | None
    purpose: str
    kbk: str | None
    kvfo: int | None = Field(description="Предложенный КВФО")
    kosgu: str | None = Field(description="Предложенный КОСГУ")
    kosgu_name: str | None
    classified_by: str | None = Field(description="rule — правило, model — модель, пусто — не определено")
    confidence: float | None
    classified_at: datetime | None = Field(
        description="Когда классифицирован: передаётся в решении как версия (expected_classified_at)"
    )
    alternatives: list[Alternative] = Field(description="Другие варианты модели, самые вероятные первыми")


class ReviewPage(BaseModel):
    items: list[ReviewItem]
    total: int
    limit: int
    offset: int
    total_amount: Decimal = Field(description="Сумма всех платежей списка (не только страницы)")
    threshold: float = Field(description="Порог уверенности, ниже которого платёж попадает в список")


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    action: Action = Field(description="confirm — подтвердить предложенное, correct — исправить")
    kvfo: int | None = Field(default=None, description="КВФО (для correct)")
    kosgu: Kosgu | None = Field(default=None, description="КОСГУ (для correct)")
    expected_classified_at: datetime | None = Field(
        default=None,
        description=(
            "classified_at платежа, который видел пользователь: если платёж за это время решил "
            "или переклассифицировал другой, ответ 409 и решение не записывается"
        ),
    )


class BulkConfirmIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ids: list[uuid.UUID] = Field(min_length=1, max_length=500, description="Платежи из списка на проверку")


class DecisionRead(BaseModel):
    id: uuid.UUID
    payment_id: uuid.UUID
    action: Action
    decided_by: str
    decided_at: datetime
    old_kvfo: int | None
    old_kosgu: str | None
    old_classified_by: str | None
    old_confidence: float | None
    new_kvfo: int
    new_kosgu: str


class BulkConfirmRead(BaseModel):
    confirmed: int


class ClassMetrics(BaseModel):
    label: str
    name: str
    precision: float
    recall: float
    f1: float
    support: int


class ClassifierRead(BaseModel):
    id: uuid.UUID
    trained_at: datetime
    trained_by: str | None
    samples: int = Field(description="Размеченных платежей в обучении")
    held_out: int = Field(description="Из них отложено для оценки (стратифицированно)")
    seconds: float
    macro_f1_kosgu: float | None
    macro_f1_kvfo: float | None
    macro_f1_pair: float | None = Field(description="Macro-F1 по паре КВФО+КОСГУ на отложенных")
    accuracy_pair: float | None
    per_class_kosgu: list[ClassMetrics]
    per_class_kvfo: list[ClassMetrics]
    decisions_since: dict[str, int] = Field(
        description="Решений пользователей после обучения (confirm, correct): войдут в следующее"
    )
    review_threshold: float
