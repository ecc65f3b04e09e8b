"""Contribution tariff per year (354-FZ), savings of a run, appropriation forecast. Decision 0009."""

from verification.savings.report import Forecast, Savings, SavingsLine, forecast
from verification.savings.tariff import (
    BASE_TARIFF,
    LEGAL_BASIS,
    TariffInputs,
    contribution,
    monthly_tariff,
    per_capita,
    to_kopecks,
)

__all__ = [
    "BASE_TARIFF",
    "LEGAL_BASIS",
    "Forecast",
    "Savings",
    "SavingsLine",
    "TariffInputs",
    "contribution",
    "forecast",
    "monthly_tariff",
    "per_capita",
    "to_kopecks",
]
