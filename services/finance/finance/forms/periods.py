"""Report periods and deadlines.

- quarterly forms (14-Ф) are cumulative from the start of the year, as the federal statistical
  forms are: «за I квартал» — January–March, «за полугодие» — January–June, … the fourth
  quarter covers the whole year (so it meets the annual form 62 in inter-form ratios);
- annual forms (62) cover the calendar year.

A deadline is data of the form version: the ``day`` of the ``months_after``-th month after the
period's last month."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from typing import Literal

from finance.months import MONTHS_RU

Periodicity = Literal["quarter", "year"]
QUARTER_TITLES = {1: "I квартал", 2: "полугодие", 3: "9 месяцев", 4: "год"}


@dataclass(frozen=True)
class Deadline:
    day: int
    months_after: int = 1

    def due(self, period_end: date) -> date:
        index = period_end.year * 12 + period_end.month - 1 + self.months_after
        year, month = divmod(index, 12)
        return date(year, month + 1, min(self.day, calendar.monthrange(year, month + 1)[1]))

    def describe(self) -> str:
        after = "месяца, следующего за отчётным периодом"
        if self.months_after == 1:
            return f"до {self.day}-го числа {after}"
        return f"до {self.day}-го числа {self.months_after}-го {after}"


@dataclass(frozen=True)
class Period:
    kind: Periodicity
    year: int
    quarter: int | None = None

    def __post_init__(self) -> None:
        if self.kind == "quarter" and self.quarter not in (1, 2, 3, 4):
            raise ValueError("quarter must be 1..4")
        if self.kind == "year" and self.quarter is not None:
            raise ValueError("an annual period has no quarter")

    @property
    def start(self) -> date:
        return date(self.year, 1, 1)

    @property
    def end(self) -> date:
        month = 12 if self.quarter is None else self.quarter * 3
        return date(self.year, month, calendar.monthrange(self.year, month)[1])

    @property
    def months(self) -> list[date]:
        return [date(self.year, m, 1) for m in range(1, self.end.month + 1)]

    @property
    def last_month(self) -> date:
        return self.end.replace(day=1)

    @property
    def label(self) -> str:
        if self.kind == "year":
            return f"{self.year} год"
        assert self.quarter is not None
        first, last = MONTHS_RU[0], MONTHS_RU[self.quarter * 3 - 1]
        return f"{QUARTER_TITLES[self.quarter]} {self.year} ({first}–{last})"


def period_of(kind: Periodicity, year: int, quarter: int | None) -> Period:
    return Period(kind, year, quarter if kind == "quarter" else None)


def due_periods(kind: Periodicity, today: date, since: date) -> list[Period]:
    """The periods of ``kind`` ending on or after ``since`` and before ``today``."""
    out: list[Period] = []
    for year in range(since.year, today.year + 1):
        candidates = (
            [Period("year", year)] if kind == "year" else [Period("quarter", year, q) for q in (1, 2, 3, 4)]
        )
        out.extend(p for p in candidates if since <= p.end < today)
    return out
