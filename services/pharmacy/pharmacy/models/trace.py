"""The state of the МДЛП simulator (``pharmacy.marking.trace.simulator``) when it runs inside the
service: the documents it received and the packages they withdrew — what the national system
would remember. Kept in the database so that every process of the service (and a restart)
sees the same «national system»; never read by anything but the simulator."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import DateTime, Integer, String, Text, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from pharmacy.models import Base


class TraceSimDocument(Base):
    __tablename__ = "trace_sim_document"

    idempotency_key: Mapped[str] = mapped_column(String(80), primary_key=True)
    external_id: Mapped[str] = mapped_column(String(100), unique=True)
    action_id: Mapped[int] = mapped_column(Integer)
    state: Mapped[str] = mapped_column(String(10))
    errors: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, server_default="[]")
    ticket: Mapped[str] = mapped_column(Text)
    answered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class TraceSimWithdrawn(Base):
    __tablename__ = "trace_sim_withdrawn"

    sgtin: Mapped[str] = mapped_column(String(27), primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(80))
