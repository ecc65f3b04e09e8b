"""The shared month helpers (finance.months) the budget, analytics, deviations and forms use."""

from __future__ import annotations

from datetime import date

import pytest

from finance.months import add_months, month_label, month_text, next_month, parse_month_text
from oms_kit.errors import InvalidInput


def test_month_arithmetic_crosses_years() -> None:
    assert next_month(date(2026, 12, 1)) == date(2027, 1, 1)
    assert add_months(date(2026, 3, 1), -11) == date(2025, 4, 1)
    assert add_months(date(2026, 1, 1), 24) == date(2028, 1, 1)
    assert month_text(date(2026, 3, 1)) == "2026-03"
    assert month_label(date(2026, 3, 1)) == "март 2026"


def test_api_months_are_checked_and_the_field_named() -> None:
    assert parse_month_text("2026-03", "date_to") == date(2026, 3, 1)
    for bad in ("2026-13", "2026-3", "03.2026", "1999-12", "2026-03-01", ""):
        with pytest.raises(InvalidInput) as caught:
            parse_month_text(bad, "date_to")
        assert caught.value.field == "date_to" and "ожидается ГГГГ-ММ" in caught.value.detail
