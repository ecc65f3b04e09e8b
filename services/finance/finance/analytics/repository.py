"""SQL of the dashboards: one GROUP BY query per widget over ``budget_entry`` (and the event
tables), always limited to the caller's MOs (``MoScope``) or one MO the caller sees; and the
upserts that fill the event tables (``analytics.intake`` decides what to keep)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Row, and_, func, or_, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from finance.budget.codes import CMI_KVFO, MEDICINE_CODES, WAGE_CODES
from finance.models import (
    BudgetEntry,
    DrugDispensing,
    DrugSpending,
    MoProfile,
    Organization,
    VerificationSavings,
)
from finance.scope import MoScope


@dataclass(frozen=True)
class Slice:
    """The MOs and months a dashboard covers: one MO (``mo_id``, checked against the scope) or
    every MO of the scope, months ``date_from`` … ``date_to`` (first days)."""

    scope: MoScope
    mo_id: uuid.UUID | None
    date_from: date
    date_to: date

    def where(self, mo_column: Any, month_column: Any) -> list[Any]:
        months = [month_column >= self.date_from, month_column <= self.date_to]
        if self.mo_id is not None:
            return [mo_column == self.mo_id, *months]
        condition = self.scope.condition(mo_column)
        return months if condition is None else [condition, *months]


def _sum(column: Any, *where: Any) -> Any:
    value = func.sum(column).filter(and_(*where)) if where else func.sum(column)
    return func.coalesce(value, 0)


_CMI_EXPENSE = (BudgetEntry.flow == "expense", BudgetEntry.kvfo == CMI_KVFO)


class AnalyticsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def mos_in(self, part: Slice) -> int:
        stmt = select(func.count(func.distinct(BudgetEntry.mo_id))).where(
            *part.where(BudgetEntry.mo_id, BudgetEntry.month)
        )
        return int(await self.session.scalar(stmt) or 0)

    async def structure(self, part: Slice) -> Sequence[Row[Any]]:
        """Σ plan and actual of income and expenses by flow, КВФО and КОСГУ."""
        stmt = (
            select(
                BudgetEntry.flow,
                BudgetEntry.kvfo,
                BudgetEntry.kosgu,
                _sum(BudgetEntry.planned).label("planned"),
                _sum(BudgetEntry.actual).label("actual"),
            )
            .where(*part.where(BudgetEntry.mo_id, BudgetEntry.month), BudgetEntry.flow != "payable")
            .group_by(BudgetEntry.flow, BudgetEntry.kvfo, BudgetEntry.kosgu)
            .order_by(BudgetEntry.flow, BudgetEntry.kvfo, BudgetEntry.kosgu)
        )
        return (await self.session.execute(stmt)).all()

    async def dynamics(self, part: Slice) -> Sequence[Row[Any]]:
        """Each month's plan and actual by flow, with the КВФО 7 part."""
        stmt = (
            select(
                BudgetEntry.month,
                BudgetEntry.flow,
                _sum(BudgetEntry.planned).label("planned"),
                _sum(BudgetEntry.actual).label("actual"),
                _sum(BudgetEntry.actual, BudgetEntry.kvfo == CMI_KVFO).label("cmi_actual"),
            )
            .where(*part.where(BudgetEntry.mo_id, BudgetEntry.month))
            .group_by(BudgetEntry.month, BudgetEntry.flow)
            .order_by(BudgetEntry.month, BudgetEntry.flow)
        )
        return (await self.session.execute(stmt)).all()

    async def kpi_by_month(self, part: Slice) -> Sequence[Row[Any]]:
        """Each month's CMI spending, its wages (211 + 213) and medicines (341), the payables."""
        stmt = (
            select(
                BudgetEntry.month,
                _sum(BudgetEntry.actual, *_CMI_EXPENSE).label("cmi_expense"),
                _sum(BudgetEntry.actual, *_CMI_EXPENSE, BudgetEntry.kosgu.in_(WAGE_CODES)).label("wages"),
                _sum(BudgetEntry.actual, *_CMI_EXPENSE, BudgetEntry.kosgu.in_(MEDICINE_CODES)).label(
                    "medicines"
                ),
                _sum(BudgetEntry.actual, BudgetEntry.flow == "payable").label("payables"),
            )
            .where(*part.where(BudgetEntry.mo_id, BudgetEntry.month))
            .group_by(BudgetEntry.month)
            .order_by(BudgetEntry.month)
        )
        return (await self.session.execute(stmt)).all()

    async def payables(self, part: Slice) -> Sequence[Row[Any]]:
        stmt = (
            select(
                BudgetEntry.month,
                BudgetEntry.kvfo,
                BudgetEntry.kosgu,
                _sum(BudgetEntry.actual).label("amount"),
            )
            .where(*part.where(BudgetEntry.mo_id, BudgetEntry.month), BudgetEntry.flow == "payable")
            .group_by(BudgetEntry.month, BudgetEntry.kvfo, BudgetEntry.kosgu)
            .order_by(BudgetEntry.month, BudgetEntry.kvfo, BudgetEntry.kosgu)
        )
        return (await self.session.execute(stmt)).all()

    async def drugs(self, part: Slice) -> Sequence[Row[Any]]:
        stmt = (
            select(
                DrugSpending.month,
                DrugSpending.funding_source,
                _sum(DrugSpending.amount).label("amount"),
                _sum(DrugSpending.prescriptions).label("prescriptions"),
            )
            .where(*part.where(DrugSpending.mo_id, DrugSpending.month))
            .group_by(DrugSpending.month, DrugSpending.funding_source)
            .order_by(DrugSpending.month, DrugSpending.funding_source)
        )
        return (await self.session.execute(stmt)).all()

    async def comparison(self, part: Slice) -> Sequence[Row[Any]]:
        """Per MO of the scope: the period's income, expenses, CMI spending with its wages and
        medicines, the payables at the period's end, drug spending, and the MO's size."""
        figures = (
            select(
                BudgetEntry.mo_id,
                _sum(BudgetEntry.actual, BudgetEntry.flow == "income").label("income"),
                _sum(BudgetEntry.actual, BudgetEntry.flow == "expense").label("expense"),
                _sum(BudgetEntry.actual, *_CMI_EXPENSE).label("cmi_expense"),
                _sum(BudgetEntry.actual, *_CMI_EXPENSE, BudgetEntry.kosgu.in_(WAGE_CODES)).label("wages"),
                _sum(BudgetEntry.actual, *_CMI_EXPENSE, BudgetEntry.kosgu.in_(MEDICINE_CODES)).label(
                    "medicines"
                ),
                _sum(
                    BudgetEntry.actual, BudgetEntry.flow == "payable", BudgetEntry.month == part.date_to
                ).label("payables_end"),
            )
            .where(*part.where(BudgetEntry.mo_id, BudgetEntry.month))
            .group_by(BudgetEntry.mo_id)
            .subquery()
        )
        drugs = (
            select(DrugSpending.mo_id, func.sum(DrugSpending.amount).label("drugs"))
            .where(*part.where(DrugSpending.mo_id, DrugSpending.month))
            .group_by(DrugSpending.mo_id)
            .subquery()
        )
        stmt = (
            select(
                figures,
                Organization.code,
                Organization.name,
                MoProfile.legal_form,
                MoProfile.beds,
                MoProfile.attached_persons,
                func.coalesce(drugs.c.drugs, 0).label("drugs"),
            )
            .join(Organization, Organization.id == figures.c.mo_id)
            .outerjoin(MoProfile, MoProfile.mo_id == figures.c.mo_id)
            .outerjoin(drugs, drugs.c.mo_id == figures.c.mo_id)
            .order_by(Organization.code, Organization.name)
        )
        return (await self.session.execute(stmt)).all()

    async def savings(self, limit: int = 24) -> Sequence[VerificationSavings]:
        stmt = (
            select(VerificationSavings)
            .order_by(VerificationSavings.period_to.desc(), VerificationSavings.completed_at.desc())
            .limit(limit)
        )
        return (await self.session.scalars(stmt)).all()

    async def latest_month(self, scope: MoScope) -> date | None:
        return await self.session.scalar(scope.filter(select(func.max(BudgetEntry.month)), BudgetEntry.mo_id))


# --- the event tables ------------------------------------------------------------------------


async def upsert_mo_profile(session: AsyncSession, mo_id: uuid.UUID, values: dict[str, Any]) -> None:
    """The MO's profile from a snapshot taken at ``values["snapshot_at"]``: an older snapshot
    never overwrites a newer one; a profile without a snapshot time (the demo's) is overwritten."""
    stmt = insert(MoProfile).values(mo_id=mo_id, **values)
    stmt = stmt.on_conflict_do_update(
        index_elements=[MoProfile.mo_id],
        set_={**{name: stmt.excluded[name] for name in values}, "updated_at": func.now()},
        where=or_(MoProfile.snapshot_at.is_(None), MoProfile.snapshot_at <= stmt.excluded.snapshot_at),
    )
    await session.execute(stmt)


async def upsert_run_savings(session: AsyncSession, run_id: uuid.UUID, values: dict[str, Any]) -> None:
    stmt = insert(VerificationSavings).values(run_id=run_id, **values)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[VerificationSavings.run_id], set_={name: stmt.excluded[name] for name in values}
        )
    )


async def add_dispensing(session: AsyncSession, values: dict[str, Any]) -> bool:
    """The dispensed prescription's row, once per prescription (False: it was there before)."""
    counted = await session.scalar(
        insert(DrugDispensing)
        .values(**values)
        .on_conflict_do_nothing(index_elements=[DrugDispensing.prescription_id])
        .returning(DrugDispensing.prescription_id)
    )
    return counted is not None


async def add_drug_spending(
    session: AsyncSession, *, mo_id: uuid.UUID, month: date, funding_source: str, amount: Any
) -> None:
    """One more prescription and its amount in the MO's month and funding source."""
    stmt = insert(DrugSpending).values(
        mo_id=mo_id, month=month, funding_source=funding_source, amount=amount, prescriptions=1
    )
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[DrugSpending.mo_id, DrugSpending.month, DrugSpending.funding_source],
            set_={
                "amount": DrugSpending.amount + stmt.excluded.amount,
                "prescriptions": DrugSpending.prescriptions + 1,
            },
        )
    )
