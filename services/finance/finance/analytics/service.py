"""Rules of the dashboards: which MOs and months (the caller's scope; one MO only for callers
who see single MOs — FOMS gets the consolidated region, 403 for anything per MO), and the
shaping of the grouped rows (КОСГУ groups, shares, growth)."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession

from finance.analytics.repository import AnalyticsRepository, Slice
from finance.analytics.schemas import (
    Comparison,
    DrugLine,
    Kpi,
    KpiMonth,
    MoComparison,
    MonthLine,
    Overview,
    PayableLine,
    Period,
    SavingsRead,
    SavingsRun,
    StructureLine,
)
from finance.budget.codes import KOSGU
from finance.months import add_months, first_of_month, month_text, parse_month_text
from finance.scope import ensure_mo, mo_scope
from oms_kit.auth import Principal
from oms_kit.errors import InvalidInput

ZERO = Decimal("0.00")
WAGES_SHARE_THRESHOLD = 0.85  # see finance.deviations.rules
PERIOD_MONTHS = 12
MAX_MONTHS = 60


def group_of(kosgu: str) -> str:
    item = KOSGU.get(kosgu)
    return item.group if item is not None and item.group else f"КОСГУ {kosgu}"


def share(part: Decimal, whole: Decimal) -> float | None:
    return None if not whole else round(float(part / whole), 4)


async def slice_for(
    session: AsyncSession,
    principal: Principal,
    mo_id: uuid.UUID | None,
    date_from: str | None,
    date_to: str | None,
    *,
    per_mo: bool = False,
) -> Slice:
    """The caller's MOs (or the one asked for) and the months (default: the 12 months up to the
    latest month with figures)."""
    scope = await mo_scope(session, principal)
    if mo_id is not None or per_mo:
        scope.ensure_per_mo()
    if mo_id is not None:
        await ensure_mo(session, scope, mo_id)
    if date_to is not None:
        end = parse_month_text(date_to, "date_to")
    else:
        latest = await AnalyticsRepository(session).latest_month(scope)
        end = latest or add_months(first_of_month(date.today()), -1)
    start = (
        parse_month_text(date_from, "date_from")
        if date_from is not None
        else add_months(end, 1 - PERIOD_MONTHS)
    )
    if start > end:
        raise InvalidInput("Начало периода позже его конца", field="date_from")
    if (end.year - start.year) * 12 + end.month - start.month >= MAX_MONTHS:
        raise InvalidInput(f"Период длиннее {MAX_MONTHS} месяцев", field="date_from")
    return Slice(scope=scope, mo_id=mo_id, date_from=start, date_to=end)


def _period(part: Slice, mos: int) -> Period:
    return Period(
        date_from=month_text(part.date_from), date_to=month_text(part.date_to), mo_id=part.mo_id, mos=mos
    )


def structure_lines(rows: list[tuple[str, int, str, Decimal, Decimal]]) -> list[StructureLine]:
    """(flow, КВФО, КОСГУ, plan, actual) rows summed into КОСГУ groups."""
    sums: dict[tuple[str, int, str], list[Decimal]] = defaultdict(lambda: [ZERO, ZERO])
    for flow, kvfo, kosgu, planned, actual in rows:
        cell = sums[(flow, kvfo, group_of(kosgu))]
        cell[0] += planned
        cell[1] += actual
    return [
        StructureLine(flow=flow, kvfo=kvfo, group=group, planned=p, actual=a)
        for (flow, kvfo, group), (p, a) in sorted(
            sums.items(), key=lambda kv: (kv[0][0], kv[0][1], -kv[1][1])
        )
    ]


def kpi_months(rows: list[tuple[date, Decimal, Decimal, Decimal, Decimal]]) -> list[KpiMonth]:
    out: list[KpiMonth] = []
    previous: Decimal | None = None
    for month, cmi, wages, medicines, payables in rows:
        growth = None if not previous else round(float((payables - previous) / previous), 4)
        out.append(
            KpiMonth(
                month=month_text(month),
                cmi_expense=cmi,
                wages=wages,
                medicines=medicines,
                wages_share=share(wages, cmi),
                medicines_share=share(medicines, cmi),
                payables=payables,
                payables_growth=growth,
            )
        )
        previous = payables
    return out


async def overview(
    session: AsyncSession,
    principal: Principal,
    mo_id: uuid.UUID | None,
    date_from: str | None,
    date_to: str | None,
) -> Overview:
    part = await slice_for(session, principal, mo_id, date_from, date_to)
    repo = AnalyticsRepository(session)
    structure = structure_lines([tuple(r) for r in await repo.structure(part)])
    dynamics = [
        MonthLine(
            month=month_text(r.month),
            flow=r.flow,
            planned=r.planned,
            actual=r.actual,
            cmi_actual=r.cmi_actual,
        )
        for r in await repo.dynamics(part)
    ]
    by_month = kpi_months([tuple(r) for r in await repo.kpi_by_month(part)])
    payables: dict[tuple[date, int, str], Decimal] = defaultdict(lambda: ZERO)
    for r in await repo.payables(part):
        payables[(r.month, r.kvfo, group_of(r.kosgu))] += r.amount
    drugs = [
        DrugLine(
            month=month_text(r.month),
            funding_source=r.funding_source,
            amount=r.amount,
            prescriptions=r.prescriptions,
        )
        for r in await repo.drugs(part)
    ]
    cmi = sum((m.cmi_expense for m in by_month), ZERO)
    wages = sum((m.wages for m in by_month), ZERO)
    medicines = sum((m.medicines for m in by_month), ZERO)
    expense_planned = sum((d.planned for d in dynamics if d.flow == "expense"), ZERO)
    expense = sum((d.actual for d in dynamics if d.flow == "expense"), ZERO)
    kpi = Kpi(
        cmi_expense=cmi,
        wages_share=share(wages, cmi),
        medicines_share=share(medicines, cmi),
        wages_share_threshold=WAGES_SHARE_THRESHOLD,
        payables_end=by_month[-1].payables if by_month else ZERO,
        payables_start=by_month[0].payables if by_month else ZERO,
        income=sum((d.actual for d in dynamics if d.flow == "income"), ZERO),
        expense=expense,
        execution=share(expense, expense_planned),
    )
    return Overview(
        period=_period(part, 1 if mo_id is not None else await repo.mos_in(part)),
        kpi=kpi,
        structure=structure,
        dynamics=dynamics,
        kpi_by_month=by_month,
        payables=[
            PayableLine(month=month_text(m), kvfo=k, group=g, amount=a)
            for (m, k, g), a in sorted(payables.items())
        ],
        drugs=drugs,
    )


def per_unit(amount: Decimal, units: int | None) -> Decimal | None:
    return None if not units else (amount / units).quantize(Decimal("0.01"))


async def comparison(
    session: AsyncSession, principal: Principal, date_from: str | None, date_to: str | None
) -> Comparison:
    part = await slice_for(session, principal, None, date_from, date_to, per_mo=True)
    rows = await AnalyticsRepository(session).comparison(part)
    items = [
        MoComparison(
            mo_id=r.mo_id,
            code=r.code,
            name=r.name,
            legal_form=r.legal_form,
            beds=r.beds,
            attached_persons=r.attached_persons,
            income=r.income,
            expense=r.expense,
            cmi_expense=r.cmi_expense,
            wages_share=share(r.wages, r.cmi_expense),
            medicines_share=share(r.medicines, r.cmi_expense),
            payables_end=r.payables_end,
            expense_per_bed=per_unit(r.expense, r.beds),
            expense_per_attached=per_unit(r.expense, r.attached_persons),
            drugs=r.drugs,
        )
        for r in rows
    ]
    return Comparison(period=_period(part, len(items)), items=items)


async def savings(session: AsyncSession) -> SavingsRead:
    """The region's verification runs (the payer's; no MO data, so every reader sees them)."""
    rows = await AnalyticsRepository(session).savings()
    runs = [
        SavingsRun(
            run_id=r.run_id,
            period_from=r.period_from.isoformat(),
            period_to=r.period_to.isoformat(),
            as_of=r.as_of.isoformat(),
            excluded=r.excluded,
            months_excluded=r.months_excluded,
            monthly_tariff=r.monthly_tariff,
            savings_amount=r.savings_amount,
            actual_register=r.actual_register,
            forecast_year=r.forecast_year,
            appropriation_forecast=r.appropriation_forecast,
        )
        for r in rows
    ]
    latest = runs[0] if runs else None
    forecast = next((r for r in runs if r.appropriation_forecast is not None), None)
    return SavingsRead(
        runs=runs,
        latest_savings=latest.savings_amount if latest else None,
        latest_period_to=latest.period_to if latest else None,
        latest_forecast=forecast.appropriation_forecast if forecast else None,
        latest_forecast_year=forecast.forecast_year if forecast else None,
    )
