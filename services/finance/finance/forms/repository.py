"""SQL of the report forms: the one aggregate over ``budget_entry`` a form is filled from, the
reports, their values and history, and the locks an acceptance writes. Every query over MO data
takes the caller's ``MoScope``."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.ext.asyncio import AsyncSession

from finance.forms.engine import Aggregates, Cell, Sums, Values
from finance.forms.periods import Period
from finance.models import BudgetEntry, Organization, PeriodLock, Report, ReportHistory, ReportValue
from finance.scope import MoScope


@dataclass(frozen=True)
class ReportFilter:
    form: str | None = None
    year: int | None = None
    quarter: int | None = None
    status: str | None = None
    mo_id: uuid.UUID | None = None
    overdue_on: date | None = None  # only those past their deadline and not submitted by then


class FormRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    # --- the collected data ------------------------------------------------------------------

    async def aggregates(self, scope: MoScope, period: Period, mo_id: uuid.UUID | None = None) -> Aggregates:
        """One ``GROUP BY flow, kvfo, kosgu`` over the period's months of the MO (or of every MO
        in ``scope``): plan and actual summed, and those of the period's last month."""
        b = BudgetEntry
        last = b.month == period.last_month
        stmt: Any = (
            select(
                b.flow,
                b.kvfo,
                b.kosgu,
                func.coalesce(func.sum(b.planned), 0),
                func.coalesce(func.sum(b.actual), 0),
                func.coalesce(func.sum(b.planned).filter(last), 0),
                func.coalesce(func.sum(b.actual).filter(last), 0),
            )
            .where(b.month >= period.start, b.month <= period.last_month)
            .group_by(b.flow, b.kvfo, b.kosgu)
        )
        stmt = stmt.where(b.mo_id == mo_id) if mo_id is not None else scope.filter(stmt, b.mo_id)
        rows = await self.session.execute(stmt)
        return Aggregates(
            (flow, kvfo, kosgu, Sums(Decimal(p or 0), Decimal(a or 0), Decimal(pe or 0), Decimal(ae or 0)))
            for flow, kvfo, kosgu, p, a, pe, ae in rows
        )

    async def manual_sums(self, scope: MoScope, form: str, period: Period) -> Values:
        """The manual cells of every report of the form and period in scope, summed."""
        r, v = Report, ReportValue
        stmt: Any = (
            select(v.row_code, v.col_code, func.sum(v.value))
            .join(r, r.id == v.report_id)
            .where(
                r.form == form,
                r.period_start == period.start,
                r.period_end == period.end,
                v.manual.is_(True),
            )
            .group_by(v.row_code, v.col_code)
        )
        stmt = scope.filter(stmt, r.mo_id)
        return {(row, col): value for row, col, value in await self.session.execute(stmt)}

    # --- organizations -----------------------------------------------------------------------

    async def mo_names(self, ids: Iterable[uuid.UUID]) -> dict[uuid.UUID, str]:
        wanted = list(set(ids))
        if not wanted:
            return {}
        rows = await self.session.execute(
            select(Organization.id, Organization.name).where(Organization.id.in_(wanted))
        )
        return {i: n for i, n in rows}

    async def mos(self, scope: MoScope) -> list[tuple[uuid.UUID, str]]:
        stmt: Any = select(Organization.id, Organization.name).where(Organization.kind == "mo")
        stmt = scope.filter(stmt, Organization.id).order_by(Organization.name)
        return [(i, n) for i, n in await self.session.execute(stmt)]

    # --- reports -----------------------------------------------------------------------------

    async def get(self, report_id: uuid.UUID, scope: MoScope, *, lock: bool = False) -> Report | None:
        """The report if its MO is in ``scope`` (another MO's report is never locked)."""
        stmt = scope.filter(select(Report).where(Report.id == report_id), Report.mo_id)
        if lock:
            stmt = stmt.with_for_update()
        report: Report | None = await self.session.scalar(stmt)
        return report

    async def find(self, form: str, mo_id: uuid.UUID, period: Period) -> Report | None:
        report: Report | None = await self.session.scalar(
            select(Report).where(
                Report.form == form,
                Report.mo_id == mo_id,
                Report.period_start == period.start,
                Report.period_end == period.end,
            )
        )
        return report

    async def add(self, report: Report) -> bool:
        """Insert ``report``; False when the MO already has one for the form and period."""
        values = {
            c.key: getattr(report, c.key)
            for c in Report.__table__.columns
            if getattr(report, c.key, None) is not None
        }
        result = await self.session.execute(
            pg_insert(Report)
            .values(values)
            .on_conflict_do_nothing(constraint="uq_report_period")
            .returning(Report.id)
        )
        return result.scalar_one_or_none() is not None

    def _filtered(self, stmt: Any, scope: MoScope, f: ReportFilter) -> Any:
        stmt = scope.filter(stmt, Report.mo_id)
        if f.form:
            stmt = stmt.where(Report.form == f.form)
        if f.year:
            stmt = stmt.where(Report.year == f.year)
        if f.quarter:
            stmt = stmt.where(Report.quarter == f.quarter)
        if f.status:
            stmt = stmt.where(Report.status == f.status)
        if f.mo_id:
            stmt = stmt.where(Report.mo_id == f.mo_id)
        if f.overdue_on:
            stmt = stmt.where(Report.due_date < f.overdue_on, Report.status.in_(("draft", "returned")))
        return stmt

    async def page(
        self, scope: MoScope, f: ReportFilter, *, limit: int, offset: int
    ) -> tuple[list[Report], int]:
        total = await self.session.scalar(self._filtered(select(func.count()).select_from(Report), scope, f))
        rows = await self.session.scalars(
            self._filtered(select(Report), scope, f)
            .order_by(Report.period_end.desc(), Report.form, Report.mo_id)
            .limit(limit)
            .offset(offset)
        )
        return list(rows), int(total or 0)

    async def of_periods(
        self, scope: MoScope, form: str, periods: Sequence[Period]
    ) -> dict[tuple[uuid.UUID, date], Report]:
        if not periods:
            return {}
        ends = [p.end for p in periods]
        stmt = scope.filter(
            select(Report).where(Report.form == form, Report.period_end.in_(ends)), Report.mo_id
        )
        return {(r.mo_id, r.period_end): r for r in await self.session.scalars(stmt)}

    async def statuses(self, scope: MoScope, form: str, period: Period) -> dict[str, int]:
        query: Any = (
            select(Report.status, func.count())
            .where(Report.form == form, Report.period_start == period.start, Report.period_end == period.end)
            .group_by(Report.status)
        )
        stmt = scope.filter(query, Report.mo_id)
        return {status: int(n) for status, n in await self.session.execute(stmt)}

    async def update_report(self, report_id: uuid.UUID, **values: Any) -> None:
        await self.session.execute(
            update(Report)
            .where(Report.id == report_id)
            .values(**values, revision=Report.revision + 1, updated_at=func.now())
        )

    # --- values ------------------------------------------------------------------------------

    async def values(self, report_id: uuid.UUID) -> tuple[Values, Values]:
        """(every stored cell, the manual ones)."""
        rows = await self.session.execute(
            select(ReportValue.row_code, ReportValue.col_code, ReportValue.value, ReportValue.manual).where(
                ReportValue.report_id == report_id
            )
        )
        stored: Values = {}
        manual: Values = {}
        for row, col, value, is_manual in rows:
            stored[(row, col)] = value
            if is_manual:
                manual[(row, col)] = value
        return stored, manual

    async def write_values(
        self, report_id: uuid.UUID, values: Values, manual: set[Cell] | frozenset[Cell]
    ) -> None:
        await self.session.execute(delete(ReportValue).where(ReportValue.report_id == report_id))
        rows = [
            {"report_id": report_id, "row_code": r, "col_code": c, "value": v, "manual": (r, c) in manual}
            for (r, c), v in sorted(values.items())
        ]
        if rows:
            await self.session.execute(pg_insert(ReportValue), rows)

    # --- history, locks ----------------------------------------------------------------------

    async def log(
        self,
        report_id: uuid.UUID,
        actor: str,
        action: str,
        *,
        status_from: str | None = None,
        status_to: str | None = None,
        comment: str | None = None,
        changes: list[dict[str, Any]] | None = None,
    ) -> None:
        self.session.add(
            ReportHistory(
                report_id=report_id,
                at=func.clock_timestamp(),  # in order within one transaction too
                actor=actor,
                action=action,
                status_from=status_from,
                status_to=status_to,
                comment=comment,
                changes=changes,
            )
        )
        await self.session.flush()

    async def history(self, report_id: uuid.UUID) -> list[ReportHistory]:
        rows = await self.session.scalars(
            select(ReportHistory)
            .where(ReportHistory.report_id == report_id)
            .order_by(ReportHistory.at, ReportHistory.id)
        )
        return list(rows)

    async def lock_months(
        self, mo_id: uuid.UUID, months: Sequence[date], report_id: uuid.UUID, reason: str, actor: str
    ) -> list[date]:
        """``period_lock`` rows for the months not locked yet (an earlier quarter's acceptance
        keeps its own); returns the months this call locked."""
        rows = [
            {"mo_id": mo_id, "month": m, "report_id": report_id, "reason": reason, "locked_by": actor}
            for m in months
        ]
        result = await self.session.execute(
            pg_insert(PeriodLock).values(rows).on_conflict_do_nothing().returning(PeriodLock.month)
        )
        return sorted(result.scalars())

    async def now(self) -> datetime:
        value = await self.session.scalar(select(func.now()))
        assert isinstance(value, datetime)
        return value
