"""API shapes of the dashboards. Amounts are rubles (decimal strings in JSON), shares are
fractions (0.72 = 72 %), months are ``YYYY-MM``."""

from __future__ import annotations

import uuid
from decimal import Decimal

from pydantic import BaseModel, Field


class Period(BaseModel):
    date_from: str = Field(description="Первый месяц, ГГГГ-ММ")
    date_to: str = Field(description="Последний месяц, ГГГГ-ММ")
    mo_id: uuid.UUID | None = Field(description="МО; пусто — сводно по видимым МО")
    mos: int = Field(description="Сколько МО в сводных цифрах")


class StructureLine(BaseModel):
    """Income or expenses of one КВФО and КОСГУ group over the period."""

    flow: str
    kvfo: int
    group: str
    planned: Decimal
    actual: Decimal


class MonthLine(BaseModel):
    """One month of a flow: plan and actual, КВФО 7 and in all."""

    month: str
    flow: str
    planned: Decimal
    actual: Decimal
    cmi_actual: Decimal = Field(description="В т. ч. средства ОМС (КВФО 7)")


class KpiMonth(BaseModel):
    """Shares of CMI spending (КВФО 7) of a month and the payables at its end."""

    month: str
    cmi_expense: Decimal
    wages: Decimal = Field(description="211 + 213 за счёт средств ОМС")
    medicines: Decimal = Field(description="341 за счёт средств ОМС")
    wages_share: float | None
    medicines_share: float | None
    payables: Decimal = Field(description="Кредиторская задолженность на конец месяца, все КВФО")
    payables_growth: float | None = Field(
        description="Рост кредиторской задолженности к прошлому месяцу (доля)"
    )


class Kpi(BaseModel):
    """The period's KPIs: CMI spending shares and the payables at the period's end."""

    cmi_expense: Decimal
    wages_share: float | None
    medicines_share: float | None
    wages_share_threshold: float
    payables_end: Decimal
    payables_start: Decimal
    income: Decimal
    expense: Decimal
    execution: float | None = Field(description="Исполнение плана по расходам (факт / план)")


class PayableLine(BaseModel):
    month: str
    kvfo: int
    group: str
    amount: Decimal


class DrugLine(BaseModel):
    month: str
    funding_source: str
    amount: Decimal
    prescriptions: int


class Overview(BaseModel):
    period: Period
    kpi: Kpi
    structure: list[StructureLine]
    dynamics: list[MonthLine]
    kpi_by_month: list[KpiMonth]
    payables: list[PayableLine]
    drugs: list[DrugLine]


class MoComparison(BaseModel):
    """An MO's figures over the period beside its size (from registry's MO passport)."""

    mo_id: uuid.UUID
    code: str | None
    name: str
    legal_form: str | None
    beds: int | None
    attached_persons: int | None
    income: Decimal
    expense: Decimal
    cmi_expense: Decimal
    wages_share: float | None
    medicines_share: float | None
    payables_end: Decimal
    expense_per_bed: Decimal | None
    expense_per_attached: Decimal | None
    drugs: Decimal = Field(description="Льготное лекарственное обеспечение по рецептам МО")


class Comparison(BaseModel):
    period: Period
    items: list[MoComparison]


class SavingsRun(BaseModel):
    run_id: uuid.UUID
    period_from: str
    period_to: str
    as_of: str
    excluded: int
    months_excluded: int | None
    monthly_tariff: Decimal | None
    savings_amount: Decimal | None
    actual_register: int | None
    forecast_year: int | None
    appropriation_forecast: Decimal | None


class SavingsRead(BaseModel):
    """Verification of the non-working population's register: the savings of each run and the
    next year's appropriation forecast (the latest run's)."""

    runs: list[SavingsRun]
    latest_savings: Decimal | None = Field(description="Экономия последней проверки")
    latest_period_to: str | None
    latest_forecast: Decimal | None
    latest_forecast_year: int | None
