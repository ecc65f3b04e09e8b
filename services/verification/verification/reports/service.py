"""The reports of a run (no SQL): savings and the forecast (D's ``run_savings`` and
``run_forecast``) with Russian titles and notes, statistics, trends across runs."""

from __future__ import annotations

import uuid
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.auth import Principal
from verification.models import VerificationRun
from verification.reports.repository import AGE_GROUPS, StatisticsRepository, age_group
from verification.reports.schemas import (
    AgeSexLine,
    DistrictLine,
    ForecastRead,
    MatchingRead,
    ReasonLine,
    RunSavingsRead,
    RunStatisticsRead,
    SavingsLineRead,
    TrendPoint,
    TrendsRead,
)
from verification.review.access import visible_run
from verification.rules import REASON_TITLES
from verification.runs.service import org_scope
from verification.savings import SavingsLine
from verification.savings.service import run_forecast, run_savings

TRENDS_LIMIT = 100
NO_DISTRICT = "Район не указан"


def years_note(years: list[int], months: int) -> str | None:
    if not years:
        return None
    listed = ", ".join(str(y) for y in years)
    return (
        f"Не задан тариф страхового взноса на {listed} г.: исключённые месяцы этих лет ({months}) "
        "посчитаны, но в сумму экономии не вошли. Задайте тариф года (коэффициенты удорожания и "
        "дифференциации) — экономия пересчитается."
    )


def _line(line: SavingsLine, title: str) -> SavingsLineRead:
    return SavingsLineRead(
        key=line.key, title=title, persons=line.persons, months=line.months, amount=line.amount
    )


async def savings(session: AsyncSession, principal: Principal, run_id: uuid.UUID) -> RunSavingsRead:
    run = await visible_run(session, principal, run_id)
    return await _savings(session, run)


async def _savings(session: AsyncSession, run: VerificationRun) -> RunSavingsRead:
    found = await run_savings(session, run.id)
    forecast = await run_forecast(session, run.id)
    years = list(found.years_without_tariff)
    return RunSavingsRead(
        run_id=run.id,
        period_from=run.period_from,
        period_to=run.period_to,
        as_of=run.as_of,
        total=_line(found.total, "Итого"),
        by_reason=[_line(x, REASON_TITLES.get(x.key or "", x.key or "")) for x in found.by_reason],
        by_district=[_line(x, x.key or NO_DISTRICT) for x in found.by_district],
        years_without_tariff=years,
        months_without_tariff=found.months_without_tariff,
        note=years_note(years, found.months_without_tariff),
        forecast=ForecastRead(
            year=forecast.year,
            actual_register=forecast.actual_register,
            per_capita=forecast.per_capita,
            amount=forecast.amount,
            assumption=forecast.assumption,
            note=None
            if forecast.per_capita is not None
            else f"Не задан тариф страхового взноса на {forecast.year} г.: прогноз ассигнований не посчитан.",
        ),
    )


async def statistics(session: AsyncSession, principal: Principal, run_id: uuid.UUID) -> RunStatisticsRead:
    run = await visible_run(session, principal, run_id)
    return await _statistics(session, run)


async def _statistics(session: AsyncSession, run: VerificationRun) -> RunStatisticsRead:
    repo = StatisticsRepository(session)
    outcomes = await repo.outcomes(run.id)
    reasons = await repo.reasons(run.id)
    by_age: dict[str, dict[str, int]] = {title: {"male": 0, "female": 0} for _, _, title in AGE_GROUPS}
    for row in await repo.age_sex(run.id):
        by_age[age_group(row["age"])][row["sex"]] += row["n"]
    by_status, by_source = await repo.pairs(run.id)
    return RunStatisticsRead(
        run_id=run.id,
        period_from=run.period_from,
        period_to=run.period_to,
        as_of=run.as_of,
        entries=sum(outcomes.values()),
        outcomes={k: outcomes.get(k, 0) for k in ("keep", "exclude", "update", "review")},
        months_excluded=sum(r["months"] for r in reasons),
        by_reason=[
            ReasonLine(
                reason=r["reason"],
                title=REASON_TITLES.get(r["reason"], r["reason"]),
                persons=r["persons"],
                months=r["months"],
            )
            for r in reasons
        ],
        review_by_reason=await repo.review_reasons(run.id),
        by_district=[DistrictLine(**r) for r in await repo.districts(run.id)],
        by_age_sex=[
            AgeSexLine(age_group=g, male=v["male"], female=v["female"], total=v["male"] + v["female"])
            for g, v in by_age.items()
        ],
        matching=MatchingRead(
            pairs_by_status=by_status,
            pairs_by_source=by_source,
            operator_decisions=await repo.operator_decisions(run.id),
        ),
    )


async def trends(session: AsyncSession, principal: Principal) -> TrendsRead:
    """The caller's finished runs (every run for the region's roles), the last 100, oldest first."""
    items = []
    for row in await StatisticsRepository(session).finished_runs(org_scope(principal), TRENDS_LIMIT):
        found = await run_savings(session, row["id"])
        items.append(
            TrendPoint(
                run_id=row["id"],
                period_from=row["period_from"],
                period_to=row["period_to"],
                as_of=row["as_of"],
                created_at=row["created_at"],
                register_size=row["register_size"],
                excluded=row["excluded"],
                review=row["review"],
                months_excluded=row["months_excluded"],
                savings=Decimal(found.total.amount),
                years_without_tariff=list(found.years_without_tariff),
            )
        )
    return TrendsRead(items=items)


async def report_data(
    session: AsyncSession, principal: Principal, run_id: uuid.UUID
) -> tuple[RunStatisticsRead, RunSavingsRead]:
    run = await visible_run(session, principal, run_id)
    return await _statistics(session, run), await _savings(session, run)
