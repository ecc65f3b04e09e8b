"""Candidate pairs of a run, the outcome per subject, and operators' review decisions.

``pair_key`` names a pair the same way in every run (``verification.rules.pair_keys``), so a
decision taken on it in one run holds in the next."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from verification.models import Base


class LinkagePair(Base):
    __tablename__ = "linkage_pair"
    __table_args__ = (
        UniqueConstraint("run_id", "pair_key", name="uq_linkage_pair_run_id"),
        CheckConstraint("(other_subject_id IS NULL) <> (source_record_id IS NULL)", name="one_right_side"),
        CheckConstraint("match_probability BETWEEN 0 AND 1", name="probability"),
        CheckConstraint("status IN ('auto', 'review', 'confirmed', 'rejected', 'ignored')", name="status"),
        Index("ix_linkage_pair_run_id_subject_id", "run_id", "subject_id"),
        Index(
            "ix_linkage_pair_run_id_review",
            "run_id",
            "match_probability",
            postgresql_where=text("status = 'review'"),
        ),
    )

    id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), primary_key=True, server_default=text("gen_random_uuid()")
    )
    run_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), ForeignKey("verification_run.id"))
    subject_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), ForeignKey("subject.id"))
    other_subject_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("subject.id"), nullable=True
    )
    source_record_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("source_record.id"), nullable=True
    )
    pair_key: Mapped[str] = mapped_column(Text)
    match_probability: Mapped[float] = mapped_column(Float)
    match_weight: Mapped[float] = mapped_column(Float)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    status: Mapped[str] = mapped_column(String(10))  # auto | review | confirmed | rejected | ignored


class Outcome(Base):
    __tablename__ = "outcome"
    __table_args__ = (
        CheckConstraint("outcome IN ('keep', 'exclude', 'update', 'review')", name="outcome"),
        CheckConstraint("months_excluded >= 0", name="months_excluded"),
        Index("ix_outcome_run_id_outcome", "run_id", "outcome", "reason"),
    )

    run_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("verification_run.id"), primary_key=True
    )
    subject_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("subject.id"), primary_key=True
    )
    outcome: Mapped[str] = mapped_column(String(10))
    reason: Mapped[str | None] = mapped_column(String(30), nullable=True)
    reasons: Mapped[list[str]] = mapped_column(ARRAY(String(30)), server_default=text("'{}'"))
    # [{"reason": "dead", "from": "2026-04-01", "to": "2026-12-31", "months": 9}, …]
    periods: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, server_default=text("'[]'::jsonb"))
    months_excluded: Mapped[int] = mapped_column(SmallInteger, server_default=text("0"))
    evidence: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    duplicate_of: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("subject.id"), nullable=True
    )
    decided_by: Mapped[str] = mapped_column(String(200), server_default=text("'rule'"))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ReviewDecision(Base):
    __tablename__ = "review_decision"
    __table_args__ = (
        CheckConstraint("decision IN ('confirm', 'reject')", name="decision"),
        Index("ix_review_decision_pair_key", "pair_key", "decided_at"),
    )

    id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), primary_key=True, server_default=text("gen_random_uuid()")
    )
    subject_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), ForeignKey("subject.id"), index=True)
    pair_key: Mapped[str] = mapped_column(Text)
    decision: Mapped[str] = mapped_column(String(10))
    run_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("verification_run.id"), nullable=True
    )
    decided_by: Mapped[str] = mapped_column(String(200))
    decided_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    comment: Mapped[str | None] = mapped_column(Text, nullable=True)
