"""Date slips registers make, shared by search, matching and the demo's planted duplicates."""

from __future__ import annotations

from datetime import date


def swapped_day_month(d: date) -> date | None:
    """``d`` with day and month exchanged (03.11 ↔ 11.03), or None where no such date differs."""
    if d.day > 12 or d.day == d.month:
        return None
    try:
        return date(d.year, d.day, d.month)
    except ValueError:
        return None
