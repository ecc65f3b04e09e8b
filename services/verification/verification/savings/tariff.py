"""The contribution tariff for the non-working insured population of a year (Federal Law of
30.11.2011 No. 354-FZ «О размере и порядке расчета тарифа страхового взноса на обязательное
медицинское страхование неработающего населения»), decision 0009.

Per capita a year = base tariff × Кудорожания (the law, per year) × Кдифференциации (the
region's, set in the law on the FFOMS budget), rounded to kopecks half up. The monthly tariff is
the per-capita amount / 12, rounded to kopecks half up: a person-month excluded is worth exactly
the monthly tariff, so savings by reason and by district add up to the total to the kopeck.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

KOPECK = Decimal("0.01")

# Art. 1 of 354-FZ: the tariff of the contribution for one non-working insured person, rubles.
BASE_TARIFF = Decimal("18864.6")
LEGAL_BASIS = (
    "Федеральный закон от 30.11.2011 № 354-ФЗ «О размере и порядке расчета тарифа страхового "
    "взноса на обязательное медицинское страхование неработающего населения», ст. 1: "
    "тариф 18 864,6 руб. × коэффициент удорожания стоимости медицинских услуг на год × "
    "коэффициент дифференциации субъекта РФ"
)


def to_kopecks(amount: Decimal) -> Decimal:
    return amount.quantize(KOPECK, rounding=ROUND_HALF_UP)


@dataclass(frozen=True, slots=True)
class TariffInputs:
    year: int
    appreciation_coefficient: Decimal  # Кудорожания of the year, from 354-FZ
    differentiation_coefficient: Decimal  # Кдифференциации of the region
    base_tariff: Decimal = BASE_TARIFF
    legal_basis: str = LEGAL_BASIS

    def __post_init__(self) -> None:
        for name in ("appreciation_coefficient", "differentiation_coefficient", "base_tariff"):
            if getattr(self, name) <= 0:
                raise ValueError(f"{name} must be positive")

    @property
    def per_capita(self) -> Decimal:
        """The annual contribution for one non-working insured person, rubles."""
        return per_capita(self.base_tariff, self.appreciation_coefficient, self.differentiation_coefficient)

    @property
    def monthly(self) -> Decimal:
        return monthly_tariff(self.per_capita)


def per_capita(base_tariff: Decimal, appreciation: Decimal, differentiation: Decimal) -> Decimal:
    return to_kopecks(base_tariff * appreciation * differentiation)


def monthly_tariff(per_capita_annual: Decimal) -> Decimal:
    return to_kopecks(per_capita_annual / 12)


def contribution(per_capita_annual: Decimal, insured: int) -> Decimal:
    """The region's contribution for ``insured`` non-working persons for a year (354-FZ: the
    per-capita amount × their number)."""
    return to_kopecks(per_capita_annual * insured)
