"""Calendar-month arithmetic of the rules: which whole months a span of days covers.

The month rule (decision 0009): the region pays for a person per month of non-working insured
status, so a month is excluded only when a reason holds on **every day** of it. A person who
was non-working on any day of a month (died on the 20th, registered as an entrepreneur on the
15th) is rightly paid for that month.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache


@dataclass(frozen=True, slots=True, order=True)
class Month:
    year: int
    month: int

    @classmethod
    def of(cls, day: date) -> Month:
        return cls(day.year, day.month)

    @property
    def first_day(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last_day(self) -> date:
        return self.next().first_day - timedelta(days=1)

    def next(self) -> Month:
        return Month(self.year + 1, 1) if self.month == 12 else Month(self.year, self.month + 1)


def months_between(first: Month, last: Month) -> Iterator[Month]:
    """Every month from ``first`` to ``last``, both included."""
    m = first
    while m <= last:
        yield m
        m = m.next()


@dataclass(frozen=True, slots=True)
class Period:
    """A span of days, both ends included."""

    date_from: date
    date_to: date

    def __post_init__(self) -> None:
        if self.date_to < self.date_from:
            raise ValueError(f"period ends before it starts: {self.date_from}..{self.date_to}")

    def months(self) -> list[Month]:
        """The calendar months that overlap the period (the months a run verifies)."""
        return list(months_between(Month.of(self.date_from), Month.of(self.date_to)))


@lru_cache(maxsize=64)
def period_months(period: Period) -> tuple[Month, ...]:
    """``period.months()``, computed once per period (a run asks for it per person)."""
    return tuple(period.months())


@lru_cache(maxsize=64)
def _spans(period: Period) -> tuple[tuple[Month, date, date], ...]:
    return tuple((m, m.first_day, m.last_day) for m in period.months())


def whole_months(date_from: date, date_to: date | None, within: Period) -> set[Month]:
    """The months of ``within`` whose every day lies in ``date_from..date_to`` (an open end when
    ``date_to`` is None)."""
    return {
        m for m, first, last in _spans(within) if first >= date_from and (date_to is None or last <= date_to)
    }


def touched_months(date_from: date, date_to: date | None, within: Period) -> set[Month]:
    """The months of ``within`` that share at least one day with ``date_from..date_to`` — for
    facts a source states per month (contributions, income): a month with contributions is a
    month of work whatever days the record names."""
    return {
        m for m, first, last in _spans(within) if last >= date_from and (date_to is None or first <= date_to)
    }


def as_ranges(months: set[Month]) -> list[tuple[Month, Month]]:
    """Consecutive months joined into ranges, never across a year boundary (each range is paid
    at one year's tariff)."""
    out: list[tuple[Month, Month]] = []
    for m in sorted(months):
        if out:
            start, end = out[-1]
            if end.next() == m and end.year == m.year:
                out[-1] = (start, m)
                continue
        out.append((m, m))
    return out
