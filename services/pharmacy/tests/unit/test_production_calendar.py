"""The production calendar 2024–2027 and counting in working days."""

from datetime import date

import pytest

from pharmacy.prescriptions.production_calendar import (
    CalendarNotCoveredError,
    add_working_days,
    is_working_day,
    working_days_between,
)


def _working_days_in(year: int) -> int:
    first, last = date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()
    return sum(is_working_day(date.fromordinal(day)) for day in range(first, last + 1))


@pytest.mark.parametrize(("year", "days"), [(2024, 248), (2025, 247), (2026, 247)])
def test_yearly_totals_match_the_published_calendars(year: int, days: int) -> None:
    assert _working_days_in(year) == days
    assert working_days_between(date(year, 1, 1), date(year, 12, 31)) == days  # 1 January is never one


@pytest.mark.parametrize(
    ("day", "working"),
    [
        (date(2024, 4, 27), True),  # working Saturday
        (date(2024, 4, 29), False),  # moved from 27 April
        (date(2024, 12, 28), True),
        (date(2024, 12, 30), False),
        (date(2025, 1, 8), False),
        (date(2025, 1, 9), True),
        (date(2025, 5, 8), False),  # moved from Sunday 23 February
        (date(2025, 6, 13), False),  # moved from Saturday 8 March
        (date(2025, 11, 1), True),
        (date(2025, 11, 3), False),
        (date(2025, 12, 31), False),
        (date(2026, 1, 9), False),
        (date(2026, 1, 12), True),
        (date(2026, 3, 9), False),  # 8 March on a Sunday
        (date(2026, 5, 11), False),  # 9 May on a Saturday
        (date(2026, 11, 24), True),
        (date(2026, 12, 31), False),
        (date(2027, 5, 3), False),  # Labour Code art. 112 only
        (date(2027, 6, 14), False),
        (date(2027, 1, 11), True),
    ],
)
def test_days(day: date, working: bool) -> None:
    assert is_working_day(day) is working


def test_adding_working_days_skips_weekends_and_holidays() -> None:
    # Tuesday 29 April 2025: 30 Apr working, 1–4 May off, 5–7 working, 8–11 off, 12… working.
    assert add_working_days(date(2025, 4, 29), 1) == date(2025, 4, 30)
    assert add_working_days(date(2025, 4, 29), 2) == date(2025, 5, 5)
    assert add_working_days(date(2025, 4, 29), 5) == date(2025, 5, 12)
    # a request on a Saturday counts from Monday
    assert add_working_days(date(2026, 11, 21), 1) == date(2026, 11, 23)
    with pytest.raises(ValueError):
        add_working_days(date(2026, 1, 1), 0)


def test_working_days_between() -> None:
    assert working_days_between(date(2026, 11, 20), date(2026, 11, 27)) == 5
    assert working_days_between(date(2026, 11, 27), date(2026, 11, 20)) == 0


def test_outside_the_table_is_refused_not_guessed() -> None:
    with pytest.raises(CalendarNotCoveredError, match="2024–2027"):
        is_working_day(date(2028, 1, 3))
    with pytest.raises(CalendarNotCoveredError):
        add_working_days(date(2027, 12, 28), 10)
