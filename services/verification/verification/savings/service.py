"""Tariff reads and changes; savings and the forecast of a run (rules; SQL in repository)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.auth import Principal
from oms_kit.errors import Forbidden, InvalidInput, NotFound
from verification.models import ContributionTariff
from verification.savings.report import Forecast, Savings, forecast
from verification.savings.repository import SavingsRepository, TariffRepository
from verification.savings.schemas import TariffIn
from verification.savings.tariff import TariffInputs

# Tariffs are the region's: set by its payer or its territorial fund.
TARIFF_WRITERS = frozenset({"payer", "tfoms"})


async def list_tariffs(session: AsyncSession) -> list[ContributionTariff]:
    return list(await TariffRepository(session).all())


async def get_tariff(session: AsyncSession, year: int) -> ContributionTariff:
    tariff = await TariffRepository(session).get(year)
    if tariff is None:
        raise NotFound(f"Тариф на {year} год не задан")
    return tariff


async def put_tariff(
    session: AsyncSession, principal: Principal, year: int, body: TariffIn
) -> ContributionTariff:
    if principal.org_type not in TARIFF_WRITERS:
        raise Forbidden("Тариф задают страхователь неработающего населения или ТФОМС")
    inputs = TariffInputs(
        year=year,
        appreciation_coefficient=body.appreciation_coefficient,
        differentiation_coefficient=body.differentiation_coefficient,
        base_tariff=body.base_tariff,
        legal_basis=body.legal_basis,
    )
    if inputs.monthly <= 0:
        raise InvalidInput("Взнос за месяц получается меньше копейки", field="appreciation_coefficient")
    return await TariffRepository(session).put(inputs, principal.subject)


async def run_savings(session: AsyncSession, run_id: uuid.UUID) -> Savings:
    return await SavingsRepository(session).savings(run_id)


async def run_forecast(session: AsyncSession, run_id: uuid.UUID) -> Forecast:
    """The next year's appropriation from the run's actual register (see ``report``)."""
    repo = SavingsRepository(session)
    year = await repo.period_to_year(run_id)
    if year is None:
        raise NotFound("Проверка не найдена")
    per_capita = await TariffRepository(session).per_capita_by_year()
    return forecast(year + 1, await repo.actual_register(run_id), per_capita)
