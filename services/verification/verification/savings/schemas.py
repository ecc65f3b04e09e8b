"""API shapes of the contribution tariffs and the savings of a run."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from verification.savings.tariff import BASE_TARIFF, LEGAL_BASIS

Coefficient = Annotated[Decimal, Field(gt=0, le=100, max_digits=8, decimal_places=4)]


class TariffIn(BaseModel):
    """The inputs of a year's tariff (354-FZ); the per-capita and monthly amounts are computed."""

    model_config = ConfigDict(extra="forbid")

    appreciation_coefficient: Coefficient = Field(
        description="Коэффициент удорожания стоимости медицинских услуг на год (ст. 1 354-ФЗ)"
    )
    differentiation_coefficient: Coefficient = Field(
        description="Коэффициент дифференциации субъекта РФ (закон о бюджете ФФОМС)"
    )
    base_tariff: Annotated[Decimal, Field(gt=0, max_digits=12, decimal_places=2)] = Field(
        default=BASE_TARIFF, description="Тариф страхового взноса, руб. (ст. 1 354-ФЗ: 18 864,6)"
    )
    legal_basis: Annotated[str, Field(min_length=1, max_length=2000)] = Field(
        default=LEGAL_BASIS, description="Правовое основание"
    )


class TariffOut(BaseModel):
    year: int
    base_tariff: Decimal
    appreciation_coefficient: Decimal
    differentiation_coefficient: Decimal
    legal_basis: str
    per_capita: Decimal = Field(description="Взнос на одно неработающее застрахованное лицо в год, руб.")
    monthly: Decimal = Field(description="Взнос за один месяц (годовой / 12, до копеек), руб.")
    updated_by: str
    updated_at: datetime
