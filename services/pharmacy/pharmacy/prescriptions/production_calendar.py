"""The Russian production calendar (производственный календарь), 2024–2027, as data.

A day is a working day unless it is a Saturday or Sunday or a non-working day below; a
Saturday or Sunday made a working day by a transfer (рабочая суббота) is listed apart.

Sources:

- non-working public holidays — Labour Code (ТК РФ) art. 112: 1–6 and 8 January (New Year
  holidays), 7 January, 23 February, 8 March, 1 May, 9 May, 12 June, 4 November; a holiday
  that falls on a weekend moves to the next working day, except the January ones, whose
  weekend days the Government moves by its yearly decree;
- 2024 — постановление Правительства РФ от 10.08.2023 № 1306: Sat 6 Jan → Fri 10 May,
  Sun 7 Jan → Tue 31 Dec, Sat 27 Apr → Mon 29 Apr, Sat 2 Nov → Tue 30 Apr,
  Sat 28 Dec → Mon 30 Dec (so 27 Apr, 2 Nov and 28 Dec are working Saturdays);
- 2025 — постановление Правительства РФ от 04.10.2024 № 1335: Sat 4 Jan → Fri 2 May,
  Sun 5 Jan → Wed 31 Dec, Sun 23 Feb → Thu 8 May, Sat 8 Mar → Fri 13 Jun,
  Sat 1 Nov → Mon 3 Nov (1 Nov a working Saturday);
- 2026 — постановление Правительства РФ, подписано 24.09.2025: Sat 3 Jan → Fri 9 Jan,
  Sun 4 Jan → Thu 31 Dec; by art. 112, Sun 8 Mar → Mon 9 Mar, Sat 9 May → Mon 11 May;
- 2027 — NO decree yet (the yearly decree is published in the autumn before; a draft
  discussed in December 2025 moved days to 5 November and made 13 November a working
  Saturday). Only the Labour Code rules are encoded: Sat 1 May → Mon 3 May, Sun 9 May →
  Mon 10 May, Sat 12 Jun → Mon 14 Jun; the January weekend days (Sat 2, Sun 3 Jan) are
  not moved anywhere. Update this table when the 2027 decree is published.

Regional holidays (e.g. in Tatarstan, Bashkortostan) are not included: the deadlines of the
drug benefit count federal working days.
"""

from __future__ import annotations

from datetime import date, timedelta


def _days(year: int, *month_days: tuple[int, int]) -> frozenset[date]:
    return frozenset(date(year, month, day) for month, day in month_days)


_NEW_YEAR = tuple((1, day) for day in range(1, 9))

# Non-working days that are not Saturdays or Sundays anyway are what matters, but the
# holidays are listed in full so the table reads like the calendar.
NON_WORKING_DAYS: dict[int, frozenset[date]] = {
    2024: _days(
        2024,
        *_NEW_YEAR,
        (2, 23),
        (3, 8),
        (4, 29),
        (4, 30),
        (5, 1),
        (5, 9),
        (5, 10),
        (6, 12),
        (11, 4),
        (12, 30),
        (12, 31),
    ),
    2025: _days(
        2025,
        *_NEW_YEAR,
        (2, 23),
        (3, 8),
        (5, 1),
        (5, 2),
        (5, 8),
        (5, 9),
        (6, 12),
        (6, 13),
        (11, 3),
        (11, 4),
        (12, 31),
    ),
    2026: _days(
        2026,
        *_NEW_YEAR,
        (1, 9),
        (2, 23),
        (3, 8),
        (3, 9),
        (5, 1),
        (5, 9),
        (5, 11),
        (6, 12),
        (11, 4),
        (12, 31),
    ),
    2027: _days(
        2027,
        *_NEW_YEAR,
        (2, 23),
        (3, 8),
        (5, 1),
        (5, 3),
        (5, 9),
        (5, 10),
        (6, 12),
        (6, 14),
        (11, 4),
    ),
}

WORKING_WEEKENDS: dict[int, frozenset[date]] = {
    2024: _days(2024, (4, 27), (11, 2), (12, 28)),
    2025: _days(2025, (11, 1)),
    2026: frozenset(),
    2027: frozenset(),
}

FIRST_YEAR = min(NON_WORKING_DAYS)
LAST_YEAR = max(NON_WORKING_DAYS)


class CalendarNotCoveredError(LookupError):
    """A date outside the years the production calendar holds."""


def is_working_day(day: date) -> bool:
    """``day`` is a working day of the federal production calendar."""
    if day.year not in NON_WORKING_DAYS:
        raise CalendarNotCoveredError(
            f"Производственный календарь задан на {FIRST_YEAR}–{LAST_YEAR} годы, дата {day:%d.%m.%Y} вне его"
        )
    if day in WORKING_WEEKENDS[day.year]:
        return True
    return day.weekday() < 5 and day not in NON_WORKING_DAYS[day.year]


def add_working_days(start: date, count: int) -> date:
    """The ``count``-th working day after ``start`` (``start`` itself is not counted, as a
    period counted in days begins on the day after the event — Civil Code art. 191)."""
    if count < 1:
        raise ValueError("count must be positive")
    day = start
    remaining = count
    while remaining:
        day += timedelta(days=1)
        if is_working_day(day):
            remaining -= 1
    return day


def working_days_between(start: date, end: date) -> int:
    """Working days after ``start`` up to and including ``end`` (0 when ``end <= start``)."""
    count = 0
    day = start
    while day < end:
        day += timedelta(days=1)
        if is_working_day(day):
            count += 1
    return count
