"""Months as the finance keeps them: the first day of the month (``budget_entry.month``,
``period_lock.month``), ``ГГГГ-ММ`` in the API, «март 2026» in messages. One place for the
arithmetic and the parsing that the budget, analytics, deviations and forms all need."""

from __future__ import annotations

import re
from datetime import date

from oms_kit.errors import InvalidInput

MONTHS_RU = (
    "январь", "февраль", "март", "апрель", "май", "июнь",
    "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь",
)  # fmt: skip
_YEAR_MONTH = re.compile(r"(\d{4})-(\d{2})")


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def add_months(month: date, n: int) -> date:
    index = month.year * 12 + month.month - 1 + n
    return date(index // 12, index % 12 + 1, 1)


def next_month(month: date) -> date:
    return add_months(month, 1)


def month_text(month: date) -> str:
    """``ГГГГ-ММ``, as the API writes months."""
    return f"{month.year:04d}-{month.month:02d}"


def month_label(month: date) -> str:
    return f"{MONTHS_RU[month.month - 1]} {month.year}"


def parse_month_text(text: str, field: str) -> date:
    """A month the API was given (``ГГГГ-ММ``, years 2000–2100) → its first day; 422 naming
    ``field`` otherwise."""
    match = _YEAR_MONTH.fullmatch(text)
    if match:
        year, month = int(match.group(1)), int(match.group(2))
        if 1 <= month <= 12 and 2000 <= year <= 2100:
            return date(year, month, 1)
    raise InvalidInput(f"Месяц «{text}» — ожидается ГГГГ-ММ, например 2026-03", field=field)
