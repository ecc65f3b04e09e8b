"""Person matching: the review queue of possible duplicates and the record of every merge.

- ``duplicate_candidate``: one row per unordered pair of persons (``person_a`` < ``person_b``)
  that the matcher found alike, with its score, grade and per-field reasons, and what a
  reviewer did with it (open → merged | rejected). Found at registration or by a scan job.
- ``person_merge``: a merge of ``merged_id`` into ``survivor_id`` with the exact list of fact
  rows it closed and inserted (``snapshot``), so an unmerge restores both persons exactly."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Float, ForeignKey, Index, String, UniqueConstraint, func, text
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from registry.models import Base


class DuplicateCandidate(Base):
    __tablename__ = "duplicate_candidate"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    person_a: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), ForeignKey("person.id"))
    person_b: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), ForeignKey("person.id"), index=True)
    score: Mapped[float] = mapped_column(Float)
    grade: Mapped[str] = mapped_column(String(20))
    reasons: Mapped[list[dict[str, Any]]] = mapped_column(JSONB)
    status: Mapped[str] = mapped_column(String(20), server_default="open")  # open | merged | rejected
    source: Mapped[str] = mapped_column(String(20))  # registration | scan
    job_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), nullable=True)
    found_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    resolved_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    resolution: Mapped[str | None] = mapped_column(String(500), nullable=True)

    __table_args__ = (
        UniqueConstraint("person_a", "person_b", name="uq_duplicate_candidate_pair"),
        Index("ix_duplicate_candidate_status_score", "status", text("score DESC")),
    )


class PersonMerge(Base):
    __tablename__ = "person_merge"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    survivor_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), ForeignKey("person.id"), index=True)
    merged_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), ForeignKey("person.id"), index=True)
    reason: Mapped[str] = mapped_column(String(500))
    merged_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    merged_by: Mapped[str] = mapped_column(String(200))
    # {"closed": [fact ids the merge closed], "inserted": [fact ids it wrote],
    #  "duplicates": [{"id", "status"} of queue rows it resolved]}
    snapshot: Mapped[dict[str, Any]] = mapped_column(JSONB)
    unmerged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    unmerged_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    unmerge_reason: Mapped[str | None] = mapped_column(String(500), nullable=True)

    __table_args__ = (
        Index(
            "ux_person_merge_active_merged_id",
            "merged_id",
            unique=True,
            postgresql_where=text("unmerged_at IS NULL"),
        ),
    )
