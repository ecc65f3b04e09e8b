"""Savings of a run and the next year's appropriation forecast (decision 0009).

Savings = Σ over excluded persons of the months excluded × the monthly tariff of each month's
year, by reason and by district. Only ``exclude`` outcomes count (a ``review`` outcome saves
nothing until the operator confirms it).

Forecast of the next year's appropriation = the actual register (persons not excluded in the
last month of the verified period) × the next year's per-capita amount — assuming the register
carries into the next year as it stands at the end of the period (no arrivals, deaths or jobs
after it are guessed).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

from verification.savings.tariff import contribution


@dataclass(frozen=True, slots=True)
class SavingsLine:
    """One row of a savings grouping. ``key`` is a reason, a district code, or None (the total,
    or the persons without a district)."""

    key: str | None
    persons: int
    months: int
    amount: Decimal


@dataclass(frozen=True, slots=True)
class Savings:
    total: SavingsLine
    by_reason: tuple[SavingsLine, ...]
    by_district: tuple[SavingsLine, ...]
    years_without_tariff: tuple[int, ...] = ()  # months of these years are counted, not priced
    months_without_tariff: int = 0


@dataclass(frozen=True, slots=True)
class Forecast:
    year: int
    actual_register: int
    per_capita: Decimal | None  # None: no tariff of that year configured
    amount: Decimal | None
    assumption: str = field(
        default=(
            "Численность на следующий год принята равной численности актуального регистра "
            "на конец проверенного периода"
        )
    )


def forecast(year: int, actual_register: int, per_capita_by_year: Mapping[int, Decimal]) -> Forecast:
    pc = per_capita_by_year.get(year)
    return Forecast(
        year=year,
        actual_register=actual_register,
        per_capita=pc,
        amount=None if pc is None else contribution(pc, actual_register),
    )


def sum_lines(lines: Iterable[SavingsLine]) -> tuple[int, Decimal]:
    months, amount = 0, Decimal("0.00")
    for line in lines:
        months += line.months
        amount += line.amount
    return months, amount
