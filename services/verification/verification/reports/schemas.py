"""What the reports answer (money as decimal strings in rubles with kopecks)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from pydantic import BaseModel, Field


class SavingsLineRead(BaseModel):
    key: str | None = Field(description="Код основания или района; null — итог или лица без района")
    title: str
    persons: int
    months: int
    amount: Decimal = Field(description="Экономия, руб.")


class ForecastRead(BaseModel):
    year: int
    actual_register: int = Field(description="Численность актуального регистра на конец периода")
    per_capita: Decimal | None = Field(description="Взнос на одно лицо в год; null — тариф года не задан")
    amount: Decimal | None = Field(description="Прогноз ассигнований на год; null — тариф года не задан")
    assumption: str
    note: str | None = Field(description="Пояснение, если прогноз не посчитан")


class RunSavingsRead(BaseModel):
    run_id: uuid.UUID
    period_from: date
    period_to: date
    as_of: date
    total: SavingsLineRead
    by_reason: list[SavingsLineRead]
    by_district: list[SavingsLineRead]
    years_without_tariff: list[int] = Field(description="Годы без тарифа: их месяцы посчитаны, но не оценены")
    months_without_tariff: int
    note: str | None = Field(description="Пояснение по-русски, если часть месяцев не оценена")
    forecast: ForecastRead


class ReasonLine(BaseModel):
    reason: str
    title: str
    persons: int
    months: int


class DistrictLine(BaseModel):
    district: str | None
    entries: int = Field(description="Записей регистра")
    excluded: int
    months: int


class AgeSexLine(BaseModel):
    age_group: str = Field(description="Возраст на дату проверки: «0–17», «18–29», …, «70 и старше»")
    male: int
    female: int
    total: int


class MatchingRead(BaseModel):
    pairs_by_status: dict[str, int] = Field(
        description="Пары по состоянию: auto, review, confirmed, rejected"
    )
    pairs_by_source: dict[str, int] = Field(description="Пары по источнику; register — дубли в регистре")
    operator_decisions: int = Field(description="Решений оператора, принятых в этой проверке")


class RunStatisticsRead(BaseModel):
    run_id: uuid.UUID
    period_from: date
    period_to: date
    as_of: date
    entries: int
    outcomes: dict[str, int] = Field(description="keep, exclude, update, review")
    months_excluded: int = Field(description="Исключённых месяцев (итог exclude)")
    by_reason: list[ReasonLine] = Field(description="Исключённые по основанию")
    review_by_reason: dict[str, int]
    by_district: list[DistrictLine]
    by_age_sex: list[AgeSexLine] = Field(description="Исключённые по возрасту и полу")
    matching: MatchingRead


class TrendPoint(BaseModel):
    run_id: uuid.UUID
    period_from: date
    period_to: date
    as_of: date
    created_at: datetime
    register_size: int
    excluded: int
    review: int
    months_excluded: int
    savings: Decimal = Field(description="Экономия проверки, руб. (месяцы лет без тарифа не оценены)")
    years_without_tariff: list[int]


class TrendsRead(BaseModel):
    items: list[TrendPoint] = Field(description="Завершённые проверки по дате запуска, старые первыми")
