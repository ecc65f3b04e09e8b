"""Imports of payment orders from an accounting system (``payment_import``) and, while one waits
for the user's choice, its valid documents (``payment_import_row``).

An import whose every document is valid is written at once (``imported``). One with bad lines
writes nothing and waits (``awaiting_decision``) with its per-line report; «apply» writes the
valid documents kept here, «discard» drops them. A large file is read by a job (``processing``
until it ends); a file that cannot be read at all ends ``failed``."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, DateTime, ForeignKey, Integer, String, func
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from finance.models import Base

IMPORT_STATUSES = ("processing", "awaiting_decision", "imported", "discarded", "failed")


class PaymentImport(Base):
    __tablename__ = "payment_import"
    __table_args__ = (
        CheckConstraint(
            "status IN ('processing', 'awaiting_decision', 'imported', 'discarded', 'failed')",
            name="status",
        ),
        CheckConstraint("file_format IN ('1c', 'csv', 'xlsx')", name="file_format"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    mo_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    job_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), nullable=True)
    file_name: Mapped[str] = mapped_column(String(255))
    file_format: Mapped[str | None] = mapped_column(String(4), nullable=True)
    status: Mapped[str] = mapped_column(String(20))
    documents: Mapped[int] = mapped_column(Integer, server_default="0")
    valid: Mapped[int] = mapped_column(Integer, server_default="0")
    invalid: Mapped[int] = mapped_column(Integer, server_default="0")
    inserted: Mapped[int] = mapped_column(Integer, server_default="0")
    duplicates: Mapped[int] = mapped_column(Integer, server_default="0")  # already in the database
    repeated_in_file: Mapped[int] = mapped_column(Integer, server_default="0")
    # the file's header: version, encoding, sender, period, accounts, balances
    header: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default="{}")
    problems: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, server_default="[]")
    problems_total: Mapped[int] = mapped_column(Integer, server_default="0")
    warnings: Mapped[list[str]] = mapped_column(JSONB, server_default="[]")
    error: Mapped[dict[str, Any] | None] = mapped_column(JSONB, nullable=True)
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    decided_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)


class PaymentImportRow(Base):
    """A valid document of an import waiting for the user's choice (JSON of the row to insert)."""

    __tablename__ = "payment_import_row"

    import_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("payment_import.id", ondelete="CASCADE"), primary_key=True
    )
    line: Mapped[int] = mapped_column(Integer, primary_key=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSONB)
