"""Payment classification: the trained classifier (kept in the database so every process
classifies with the same model), the counterparties whose payments always go to one item (a
seeded list and one learned from confirmed payments), and the log of people's decisions on the
review list (who, when, old → new)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from finance.models import Base


class ClassifierModel(Base):
    """One trained classifier; the newest is the current one."""

    __tablename__ = "classifier_model"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    trained_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), index=True
    )
    trained_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    samples: Mapped[int] = mapped_column(Integer)  # labelled payments trained on
    held_out: Mapped[int] = mapped_column(Integer)  # of them, held out for the metrics
    kosgu_classes: Mapped[list[str]] = mapped_column(JSONB)
    kvfo_classes: Mapped[list[int]] = mapped_column(JSONB)
    # macro-F1 (КОСГУ, КВФО, the pair), accuracy, per-class precision/recall/support
    metrics: Mapped[dict[str, Any]] = mapped_column(JSONB)
    seconds: Mapped[float] = mapped_column(Float)
    model: Mapped[bytes] = mapped_column(LargeBinary)  # joblib of the fitted pipelines


class CounterpartyRule(Base):
    """Payments to (from) a counterparty's ИНН (``kind='inn'``) are classified to this КОСГУ
    and/or КВФО; payments through one of the MO's treasury personal accounts (``kind='account'``)
    to this КВФО. ``seed`` rows come with the service, ``learned`` ones from the confirmed
    classifications at each training."""

    __tablename__ = "classification_counterparty"
    __table_args__ = (
        CheckConstraint("kind IN ('inn', 'account')", name="kind"),
        CheckConstraint("source IN ('seed', 'learned')", name="source"),
        CheckConstraint("direction IN ('out', 'in')", name="direction"),
    )

    kind: Mapped[str] = mapped_column(String(7), primary_key=True)
    key: Mapped[str] = mapped_column(String(20), primary_key=True)
    direction: Mapped[str] = mapped_column(String(3), primary_key=True)
    kvfo: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    kosgu: Mapped[str | None] = mapped_column(String(3), nullable=True)
    confidence: Mapped[float] = mapped_column(Float)
    payments: Mapped[int] = mapped_column(Integer, server_default="0")
    source: Mapped[str] = mapped_column(String(7))
    name: Mapped[str | None] = mapped_column(String(500), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ClassificationDecision(Base):
    """A person's decision on a payment's classification: confirmed or corrected."""

    __tablename__ = "classification_decision"
    __table_args__ = (CheckConstraint("action IN ('confirm', 'correct')", name="action"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    payment_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("payment_order.id", ondelete="CASCADE"), index=True
    )
    mo_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    action: Mapped[str] = mapped_column(String(7))
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    old_kvfo: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    old_kosgu: Mapped[str | None] = mapped_column(String(3), nullable=True)
    old_classified_by: Mapped[str | None] = mapped_column(String(5), nullable=True)
    old_confidence: Mapped[float | None] = mapped_column(Float, nullable=True)
    new_kvfo: Mapped[int] = mapped_column(SmallInteger)
    new_kosgu: Mapped[str] = mapped_column(String(3))
