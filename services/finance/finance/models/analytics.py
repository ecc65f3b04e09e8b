"""What finance learns from other services' events, for the dashboards, and the deviations it
finds in the collected figures.

- ``drug_spending``: medicines dispensed on prescriptions (``pharmacy.prescription.dispensed``),
  summed per prescribing MO, month and funding source (federal / regional benefit); each event
  counted once (``drug_dispensing`` keeps the prescriptions already counted).
- ``verification_savings``: the non-working population's appropriation and the savings of the
  payer's verification runs (``verification.run.completed``), one row per run.
- ``deviation``: an outlier or a broken rule in an MO's month (``finance.deviations``), one row
  per (MO, month, kind, metric) — a re-run of the search updates it, never duplicates it."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    Float,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from finance.models import Base


class DrugDispensing(Base):
    """One dispensed prescription (the event's ``prescription_id``), so a redelivered or
    re-published dispensing is not counted twice."""

    __tablename__ = "drug_dispensing"
    __table_args__ = (CheckConstraint("funding_source IN ('federal', 'regional')", name="funding_source"),)

    prescription_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    pharmacy_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    mo_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    dispensed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    funding_source: Mapped[str] = mapped_column(String(10))
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    drug_inn: Mapped[str | None] = mapped_column(String(300), nullable=True)


class DrugSpending(Base):
    """Σ of ``drug_dispensing`` per prescribing MO, month and funding source."""

    __tablename__ = "drug_spending"
    __table_args__ = (
        CheckConstraint("month = date_trunc('month', month)::date", name="first_of_month"),
        CheckConstraint("funding_source IN ('federal', 'regional')", name="funding_source"),
    )

    mo_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    funding_source: Mapped[str] = mapped_column(String(10), primary_key=True)
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2), server_default="0")
    prescriptions: Mapped[int] = mapped_column(Integer, server_default="0")


class VerificationSavings(Base):
    """A payer's verification run as finance shows it: the period, the persons excluded, the
    months excluded and what they save at the monthly tariff, and the next year's appropriation
    for the non-working population forecast from the actual register."""

    __tablename__ = "verification_savings"

    run_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    organization_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    period_from: Mapped[date] = mapped_column(Date)
    period_to: Mapped[date] = mapped_column(Date, index=True)
    as_of: Mapped[date] = mapped_column(Date)
    excluded: Mapped[int] = mapped_column(Integer)
    months_excluded: Mapped[int | None] = mapped_column(Integer, nullable=True)
    monthly_tariff: Mapped[Decimal | None] = mapped_column(Numeric(18, 2), nullable=True)
    savings_amount: Mapped[Decimal | None] = mapped_column(Numeric(18, 2), nullable=True)
    actual_register: Mapped[int | None] = mapped_column(Integer, nullable=True)
    forecast_year: Mapped[int | None] = mapped_column(Integer, nullable=True)
    appropriation_forecast: Mapped[Decimal | None] = mapped_column(Numeric(18, 2), nullable=True)
    completed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class Deviation(Base):
    __tablename__ = "deviation"
    __table_args__ = (
        UniqueConstraint("mo_id", "month", "kind", "metric", name="uq_deviation_finding"),
        CheckConstraint("month = date_trunc('month', month)::date", name="first_of_month"),
        CheckConstraint("kind IN ('month_on_month', 'peer_group', 'rule')", name="kind"),
        CheckConstraint("status IN ('new', 'acknowledged')", name="status"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    mo_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    month: Mapped[date] = mapped_column(Date, index=True)
    kind: Mapped[str] = mapped_column(String(20))
    metric: Mapped[str] = mapped_column(String(60))  # e.g. expense:7:341, cmi_not_allowed:293
    value: Mapped[Decimal] = mapped_column(Numeric(18, 4))
    expected: Mapped[Decimal | None] = mapped_column(Numeric(18, 4), nullable=True)
    score: Mapped[float | None] = mapped_column(Float, nullable=True)
    explanation: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(15), server_default="new")
    acknowledged_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    acknowledged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    comment: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    detected_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
