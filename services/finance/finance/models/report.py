"""Regulated reports of an MO (forms 14-Ф, 62 — ``finance.forms``): one per form, MO and period,
its cell values (computed from the collected data, or typed for the manual cells) and the
history of every change (values, status, comments)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from finance.models import Base


class Report(Base):
    __tablename__ = "report"
    __table_args__ = (
        UniqueConstraint("form", "mo_id", "period_start", "period_end", name="uq_report_period"),
        CheckConstraint("status IN ('draft', 'submitted', 'accepted', 'returned')", name="status"),
        CheckConstraint("period_kind IN ('quarter', 'year')", name="period_kind"),
        Index("ix_report_mo_period", "mo_id", "period_end"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    form: Mapped[str] = mapped_column(String(10))  # 14F, 62
    version: Mapped[str] = mapped_column(String(10))  # the template version used
    mo_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    period_kind: Mapped[str] = mapped_column(String(10))
    year: Mapped[int] = mapped_column(SmallInteger)
    quarter: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    due_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), server_default="draft")
    revision: Mapped[int] = mapped_column(Integer, server_default="1")  # bumped by every change
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    submitted_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    decided_by: Mapped[str | None] = mapped_column(String(200), nullable=True)  # accepted or returned
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)  # why it was returned


class ReportValue(Base):
    __tablename__ = "report_value"

    report_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("report.id", ondelete="CASCADE"), primary_key=True
    )
    row_code: Mapped[str] = mapped_column(String(10), primary_key=True)
    col_code: Mapped[str] = mapped_column(String(10), primary_key=True)
    value: Mapped[Decimal | None] = mapped_column(Numeric(18, 2), nullable=True)
    manual: Mapped[bool] = mapped_column(Boolean, server_default="false")


class ReportHistory(Base):
    __tablename__ = "report_history"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    report_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("report.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    actor: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(
        String(20)
    )  # create, edit, recalculate, submit, accept, return, comment
    status_from: Mapped[str | None] = mapped_column(String(10), nullable=True)
    status_to: Mapped[str | None] = mapped_column(String(10), nullable=True)
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)
    changes: Mapped[list[dict[str, Any]] | None] = mapped_column(JSONB, nullable=True)
