"""A budget template file an MO uploaded (docs/formats.md, «Финансы: шаблон доходов и расходов»):
its per-line report and, while the user decides, the valid lines. A file whose every line is
valid is imported at once (``imported``); a partly bad one waits (``awaiting_decision``) until
the user imports its valid lines (``imported``) or drops it (``discarded``)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, DateTime, Integer, String, func
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from finance.models import Base


class BudgetUpload(Base):
    __tablename__ = "budget_upload"
    __table_args__ = (
        CheckConstraint("status IN ('awaiting_decision', 'imported', 'discarded')", name="status"),
        CheckConstraint("file_format IN ('csv', 'xlsx')", name="file_format"),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    mo_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    file_name: Mapped[str] = mapped_column(String(255))
    file_format: Mapped[str] = mapped_column(String(4))
    status: Mapped[str] = mapped_column(String(20))
    lines: Mapped[int] = mapped_column(Integer)  # data lines read
    valid: Mapped[int] = mapped_column(Integer)
    invalid: Mapped[int] = mapped_column(Integer)
    imported: Mapped[int] = mapped_column(Integer, server_default="0")
    problems: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, server_default="[]")
    cells: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, server_default="[]")  # the valid lines
    months: Mapped[list[str]] = mapped_column(JSONB, server_default="[]")  # YYYY-MM the file touches
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    decided_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
