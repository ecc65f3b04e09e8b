"""Tariff and savings arithmetic on hand-computed numbers (354-FZ, decision 0009)."""

from decimal import Decimal

import pytest

from verification.savings import BASE_TARIFF, TariffInputs, contribution, forecast, monthly_tariff, per_capita


def test_per_capita_and_monthly_on_known_numbers() -> None:
    # 18 864,60 × 1,5 × 0,5 = 14 148,45; / 12 = 1 179,0375 → 1 179,04
    t = TariffInputs(
        2026, appreciation_coefficient=Decimal("1.5"), differentiation_coefficient=Decimal("0.5")
    )
    assert t.base_tariff == BASE_TARIFF == Decimal("18864.6")
    assert t.per_capita == Decimal("14148.45")
    assert t.monthly == Decimal("1179.04")


def test_rounding_to_kopecks_half_up() -> None:
    # 18 864,6 × 1,2 = 22 637,52; × 0,3333 = 7 545,085416 → 7 545,09; / 12 = 628,7575 → 628,76
    assert per_capita(Decimal("18864.6"), Decimal("1.2"), Decimal("0.3333")) == Decimal("7545.09")
    assert monthly_tariff(Decimal("7545.09")) == Decimal("628.76")
    # exactly half a kopeck rounds up: 0,06 / 12 = 0,005 → 0,01
    assert monthly_tariff(Decimal("0.06")) == Decimal("0.01")


def test_contribution_and_forecast() -> None:
    # 15 091,68 × 3 = 45 275,04
    assert contribution(Decimal("15091.68"), 3) == Decimal("45275.04")
    f = forecast(2027, 3, {2027: Decimal("15091.68")})
    assert (f.year, f.actual_register, f.amount) == (2027, 3, Decimal("45275.04"))
    assert "актуального регистра" in f.assumption
    missing = forecast(2028, 3, {2027: Decimal("15091.68")})
    assert (missing.per_capita, missing.amount) == (None, None)


@pytest.mark.parametrize("field", ["appreciation_coefficient", "differentiation_coefficient", "base_tariff"])
def test_inputs_must_be_positive(field: str) -> None:
    values = {"appreciation_coefficient": Decimal("1"), "differentiation_coefficient": Decimal("1")}
    values[field] = Decimal("0")
    with pytest.raises(ValueError, match=field):
        TariffInputs(2026, **values)  # type: ignore[arg-type]
