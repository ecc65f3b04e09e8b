"""What the review queue answers: a borderline pair with both records side by side and the
per-field evidence; the operator's decision and the outcomes it changed."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from verification.runs.schemas import RegisterPersonRead

Decision = Literal["confirm", "reject"]
PairStatus = Literal["review", "auto", "confirmed", "rejected"]


class SourceRecordRead(BaseModel):
    """The source's record of the pair (what the source says about a person)."""

    id: uuid.UUID
    source: str = Field(description="Источник: fns, sfr, zags, mvd, military")
    kind: str = Field(description="Вид сведений: zags.death, sfr.contributions, …")
    external_id: str | None
    surname: str | None
    first_name: str | None
    patronymic: str | None
    birth_date: date | None
    sex: str | None
    snils: str | None
    enp: str | None
    doc_type: str | None
    doc_series: str | None
    doc_number: str | None
    inn: str | None
    district: str | None
    date_from: date | None
    date_to: date | None
    attributes: dict[str, Any]


class ReviewItem(BaseModel):
    pair_id: uuid.UUID
    pair_key: str
    subject_id: uuid.UUID = Field(description="Лицо регистра (левая запись пары)")
    reason: str = Field(description="Основание, о котором говорит пара: dead, employed, …, duplicate")
    reason_title: str
    source: str = Field(description="Источник записи справа; register — дубль в самом регистре")
    match_probability: float
    match_weight: float
    status: str = Field(description="review (ждёт решения), confirmed, rejected")
    outcome: str = Field(description="Итог лица регистра: review, exclude, keep, update")
    outcome_reason: str | None
    person: RegisterPersonRead = Field(description="Запись регистра")
    other_person: RegisterPersonRead | None = Field(description="Вторая запись регистра (дубль)")
    other_subject_id: uuid.UUID | None
    source_record: SourceRecordRead | None = Field(description="Запись источника")
    evidence: dict[str, Any] = Field(
        description="По полям: уровень совпадения (level), gamma и вес (weight) в модели сопоставления"
    )
    decision: Decision | None = Field(
        description="Последнее решение оператора по этой паре (в любой проверке)"
    )
    decided_by: str | None
    decided_at: datetime | None
    comment: str | None


class DecisionIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    decision: Decision = Field(description="confirm — подтвердить совпадение, reject — отклонить")
    comment: Annotated[str | None, Field(max_length=2000)] = Field(default=None, description="Комментарий")
    expected_status: PairStatus | None = Field(
        default=None,
        description=(
            "Состояние пары, которое видел оператор (status из очереди): если пару за это время "
            "решил другой оператор, ответ 409 и решение не записывается"
        ),
    )


class SubjectOutcomeRead(BaseModel):
    subject_id: uuid.UUID
    outcome: str = Field(description="keep, exclude, update, review")
    reason: str | None
    reasons: list[str]
    periods: list[dict[str, Any]]
    months_excluded: int
    duplicate_of: uuid.UUID | None
    decided_by: str


class DecisionRead(BaseModel):
    pair_id: uuid.UUID
    pair_key: str
    decision: Decision
    status: str = Field(description="Состояние пары после решения: confirmed или rejected")
    recorded: bool = Field(description="false: то же решение уже было последним, новая запись не создана")
    outcomes: list[SubjectOutcomeRead] = Field(
        description="Итоги лиц, пересмотренные по решению (для дубля — все записи его группы)"
    )
