"""Exclusions of persons from the payer's register of non-working insured persons, as the
verification service reports them (``verification.person.excluded`` / ``…reinstated``).

One row per person and run; a later run that keeps the person closes the open rows
(``reinstated_at``), and so does an operator's decision that lifts a run's own exclusion (a
later decision excluding the person again opens that run's row again). The registry only
records them for the person card: the verification service owns the runs and their evidence."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import Mapped, mapped_column

from registry.models import Base


class PersonExclusion(Base):
    __tablename__ = "person_exclusion"
    __table_args__ = (
        UniqueConstraint("person_id", "run_id", name="uq_person_exclusion_person_run"),
        CheckConstraint("months_excluded >= 0", name="months"),
    )

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    person_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), ForeignKey("person.id"))
    run_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    organization_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))  # the payer that ran it
    subject_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))  # the verification register record
    reason: Mapped[str] = mapped_column(String(40))
    reasons: Mapped[list[str]] = mapped_column(ARRAY(Text))
    months_excluded: Mapped[int] = mapped_column(Integer)
    duplicate_of: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), nullable=True)
    excluded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))  # the event's time
    reinstated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    reinstated_on: Mapped[date | None] = mapped_column(Date, nullable=True)  # the keeping run's as-of date
    reinstated_by_run: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), nullable=True)
