"""Medico-economic control (МЭК) of dispensed prescriptions: the control runs over a period
(and a pharmacy), the current result of each dispense with its violations and the sum to
withhold, and the expertise acts (акт медико-экономического контроля) per pharmacy and period.

A dispense has one current result (``control_result`` keyed by the dispense): a re-run replaces
it, so the same data give the same rows and never duplicates; ``control_run`` keeps the history
of runs with their summaries. An act is a snapshot of the results at the time it was drawn up."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from pharmacy.models import Base


class ControlRun(Base):
    __tablename__ = "control_run"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    period_from: Mapped[date] = mapped_column(Date)
    period_to: Mapped[date] = mapped_column(Date)
    pharmacy_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    job_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    status: Mapped[str] = mapped_column(String(10), server_default="running")
    started_by: Mapped[str] = mapped_column(String(200))
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    checked: Mapped[int] = mapped_column(Integer, server_default="0")
    with_violations: Mapped[int] = mapped_column(Integer, server_default="0")
    violations: Mapped[int] = mapped_column(Integer, server_default="0")
    amount: Mapped[Decimal] = mapped_column(Numeric(16, 2), server_default="0")
    withheld: Mapped[Decimal] = mapped_column(Numeric(16, 2), server_default="0")
    by_code: Mapped[dict[str, Any] | None] = mapped_column(JSONB)

    __table_args__ = (
        CheckConstraint("status IN ('running', 'done', 'failed')", name="status"),
        CheckConstraint("period_to >= period_from", name="period"),
        Index("ix_control_run_started", "started_at"),
    )


class ControlResult(Base):
    """The control's verdict on one dispense: ``withheld`` — what the fund does not pay."""

    __tablename__ = "control_result"

    dispense_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("dispense.id", ondelete="CASCADE"), primary_key=True
    )
    prescription_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    pharmacy_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    person_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    dispensed_on: Mapped[date] = mapped_column(Date)
    run_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("control_run.id", ondelete="CASCADE"))
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    withheld: Mapped[Decimal] = mapped_column(Numeric(14, 2), server_default="0")
    checked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (
        CheckConstraint("withheld >= 0 AND withheld <= amount", name="withheld"),
        Index("ix_control_result_pharmacy_day", "pharmacy_id", "dispensed_on"),
        Index("ix_control_result_run", "run_id"),
    )


class ControlViolation(Base):
    """One failed check of a dispense: its ``code`` (the dispensing checks' codes and the
    control's own), the Russian message, the sum it would withhold."""

    __tablename__ = "control_violation"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    dispense_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("control_result.dispense_id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(String(1000))
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2), server_default="0")

    __table_args__ = (
        UniqueConstraint("dispense_id", "code", name="uq_control_violation_dispense_code"),
        Index("ix_control_violation_code", "code"),
    )


class ControlAct(Base):
    """An expertise act (акт медико-экономического контроля) of one pharmacy and period: the
    totals and its lines (a snapshot of the violations, persons masked) as drawn up."""

    __tablename__ = "control_act"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    pharmacy_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    period_from: Mapped[date] = mapped_column(Date)
    period_to: Mapped[date] = mapped_column(Date)
    drawn_up_on: Mapped[date] = mapped_column(Date)
    drawn_up_by: Mapped[str] = mapped_column(String(200))
    dispenses: Mapped[int] = mapped_column(Integer)
    with_violations: Mapped[int] = mapped_column(Integer)
    amount: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    withheld: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    accepted: Mapped[Decimal] = mapped_column(Numeric(16, 2))
    lines: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, server_default="[]")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (
        CheckConstraint("accepted + withheld = amount", name="totals"),
        Index("ix_control_act_pharmacy_period", "pharmacy_id", "period_from"),
    )
