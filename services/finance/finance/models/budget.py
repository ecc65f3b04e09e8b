"""The collected data: what an MO received, spent and owes in a month, by КВФО and КОСГУ
(``finance.budget.codes``), with the plan (ПФХД) beside the actual; and the months locked
once a report over them is accepted."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Date, DateTime, Numeric, SmallInteger, String, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from finance.models import Base


class BudgetEntry(Base):
    __tablename__ = "budget_entry"
    __table_args__ = (
        UniqueConstraint("mo_id", "month", "flow", "kvfo", "kosgu", name="uq_budget_entry_cell"),
        CheckConstraint("month = date_trunc('month', month)::date", name="first_of_month"),
        CheckConstraint("flow IN ('income', 'expense', 'payable')", name="flow"),
        CheckConstraint("kvfo IN (2, 4, 5, 6, 7)", name="kvfo"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    mo_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    month: Mapped[date] = mapped_column(Date)  # the first day of the month
    flow: Mapped[str] = mapped_column(String(10))
    kvfo: Mapped[int] = mapped_column(SmallInteger)
    kosgu: Mapped[str] = mapped_column(String(3))
    planned: Mapped[Decimal | None] = mapped_column(Numeric(18, 2), nullable=True)
    actual: Mapped[Decimal] = mapped_column(Numeric(18, 2), server_default="0")
    source: Mapped[str] = mapped_column(String(20))  # manual, api, file, demo
    updated_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class PeriodLock(Base):
    """A month of an MO that no longer changes: a report over it was accepted (``report_id``)."""

    __tablename__ = "period_lock"

    mo_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    report_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), nullable=True)
    reason: Mapped[str] = mapped_column(String(300))
    locked_by: Mapped[str] = mapped_column(String(200))
    locked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
