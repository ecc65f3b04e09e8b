"""A verification run: one check of a payer's register of non-working insured persons as of a
date, for a period (usually a calendar year). The stages of the run pipeline keep their state
here: the last finished stage (resume after a crash), the counts, and the trained linkage model
that the next (incremental) run reuses."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Index, String, func, text
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from verification.models import Base

REGISTER_SOURCES = ("file", "registry")


class VerificationRun(Base):
    __tablename__ = "verification_run"
    __table_args__ = (
        CheckConstraint("register_source IN ('file', 'registry')", name="register_source"),
        CheckConstraint("period_from <= period_to", name="period"),
        Index("ix_verification_run_organization_id", "organization_id", "created_at"),
        Index("ix_verification_run_job_id", "job_id", postgresql_where=text("job_id IS NOT NULL")),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    # The payer whose register this is: every read of the run and its rows is scoped by it.
    organization_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    period_from: Mapped[date] = mapped_column(Date)
    period_to: Mapped[date] = mapped_column(Date)
    as_of: Mapped[date] = mapped_column(Date)
    register_source: Mapped[str] = mapped_column(String(10))  # 'file' | 'registry'
    # The kit job that runs the stages (no FK: the job tables come with the run pipeline).
    job_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), nullable=True)
    previous_run_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("verification_run.id"), nullable=True
    )
    finished_stage: Mapped[str | None] = mapped_column(String(20), nullable=True)
    counts: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    linkage_model: Mapped[dict[str, Any] | None] = mapped_column(JSONB, nullable=True)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
