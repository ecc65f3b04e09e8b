"""Request and response bodies of matching, the duplicate review queue and merges."""

from __future__ import annotations

import enum
import uuid
from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field, model_validator

from registry.matching.weights import Grade
from registry.person.schemas import NamePart, PersonSummary, Sex, Snils


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class MatchDocument(_In):
    type: str | None = Field(default=None, max_length=10, description="Вид документа (F011)")
    series: str | None = Field(default=None, max_length=20)
    number: str = Field(min_length=1, max_length=30)


class MatchRequest(_In):
    """Сведения о разыскиваемом человеке (в духе FHIR Patient/$match): ФИО кириллицей или
    латиницей, дата рождения, пол, идентификаторы — что известно."""

    surname: NamePart | None = None
    first_name: NamePart | None = None
    patronymic: NamePart | None = None
    birth_date: date | None = None
    sex: Sex | None = None
    snils: Snils | None = None
    enp: str | None = Field(default=None, pattern=r"^\d{16}$", description="ЕНП")
    documents: list[MatchDocument] = Field(default_factory=list, max_length=5)
    limit: int = Field(default=10, ge=1, le=50, description="Сколько кандидатов вернуть")
    min_grade: Grade = Field(default=Grade.possible, description="Не ниже какой степени совпадения")

    @model_validator(mode="after")
    def _enough_to_match(self) -> MatchRequest:
        if self.snils or self.enp or self.documents:
            return self
        if self.surname and (self.birth_date or self.first_name):
            return self
        raise ValueError("Укажите СНИЛС, ЕНП, документ или фамилию с датой рождения (или с именем)")


class MatchReason(BaseModel):
    field: str = Field(description="surname, first_name, patronymic, birth_date, sex, snils, enp, document")
    level: str = Field(description="Степень совпадения: exact, close, swapped, former, disagree…")
    weight: float = Field(description="Вес (log2 m/u): плюс — за совпадение, минус — против")
    detail: str


class MatchCandidate(BaseModel):
    person_id: uuid.UUID
    oip: int
    score: float = Field(description="Сумма весов по полям (Феллеги — Сантер)")
    grade: Grade
    reasons: list[MatchReason]
    person: PersonSummary | None = Field(
        default=None, description="Текущие сведения (нет, если кандидат вне области видимости)"
    )


class MatchResult(BaseModel):
    candidates: list[MatchCandidate]
    thresholds: dict[str, float] = Field(description="Пороги степеней: certain, probable, possible")


class DuplicateStatus(enum.StrEnum):
    open = "open"
    merged = "merged"
    rejected = "rejected"


class DuplicateSource(enum.StrEnum):
    registration = "registration"
    scan = "scan"


class DuplicateRead(BaseModel):
    id: uuid.UUID
    person_a: PersonSummary | None
    person_b: PersonSummary | None
    person_a_id: uuid.UUID
    person_b_id: uuid.UUID
    score: float
    grade: Grade
    reasons: list[MatchReason]
    status: DuplicateStatus
    source: DuplicateSource
    job_id: uuid.UUID | None
    found_at: datetime
    resolved_at: datetime | None
    resolved_by: str | None
    resolution: str | None


class DuplicateReject(_In):
    reason: str = Field(min_length=3, max_length=500, description="Почему это разные люди")


class ScanRequest(_In):
    min_grade: Grade = Field(default=Grade.possible, description="Какие пары ставить в очередь")


class MergeRequest(_In):
    merged_id: uuid.UUID = Field(description="Дубликат: его сведения переходят к персоне-продолжателю")
    reason: str = Field(min_length=3, max_length=500, description="Основание объединения")


class UnmergeRequest(_In):
    reason: str = Field(min_length=3, max_length=500, description="Основание разъединения")


class MergeRead(BaseModel):
    id: uuid.UUID
    survivor_id: uuid.UUID
    survivor_oip: int
    merged_id: uuid.UUID
    merged_oip: int
    reason: str
    merged_at: datetime
    merged_by: str
    facts_moved: int = Field(description="Сколько записей стали записями персоны-продолжателя")
    unmerged_at: datetime | None
    unmerged_by: str | None
    unmerge_reason: str | None
