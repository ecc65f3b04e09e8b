"""The contribution tariff for the non-working insured population of a year (354-FZ) with its
inputs; ``per_capita`` and ``monthly`` are computed by ``verification.savings`` on write."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, DateTime, Integer, Numeric, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from verification.models import Base


class ContributionTariff(Base):
    __tablename__ = "contribution_tariff"
    __table_args__ = (
        CheckConstraint("year BETWEEN 2012 AND 2100", name="year"),
        CheckConstraint(
            "base_tariff > 0 AND appreciation_coefficient > 0 AND differentiation_coefficient > 0 "
            "AND per_capita > 0 AND monthly > 0",
            name="positive",
        ),
    )

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    base_tariff: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    appreciation_coefficient: Mapped[Decimal] = mapped_column(Numeric(8, 4))
    differentiation_coefficient: Mapped[Decimal] = mapped_column(Numeric(8, 4))
    legal_basis: Mapped[str] = mapped_column(Text)
    per_capita: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    monthly: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    updated_by: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
