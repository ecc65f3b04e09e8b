"""Audit of access to personal data (152-FZ): who, whose data, what, when, from which request."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, Index, String, func
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Mapped, mapped_column

from oms_kit.auth.principal import Principal
from oms_kit.db import KitBase
from oms_kit.logging import current_request_id


class AuditRecord(KitBase):
    __tablename__ = "audit_log"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    actor: Mapped[str] = mapped_column(String(200))
    actor_kind: Mapped[str] = mapped_column(String(20))
    actor_org_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    person_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), nullable=True)
    action: Mapped[str] = mapped_column(String(50))  # read, create, update, delete, export, merge…
    resource: Mapped[str] = mapped_column(String(200))
    reason: Mapped[str | None] = mapped_column(String(500), nullable=True)
    request_id: Mapped[str | None] = mapped_column(String(64), nullable=True)

    __table_args__ = (Index("ix_audit_log_person_at", "person_id", "at"),)


async def audit_access(
    session: AsyncSession,
    principal: Principal,
    *,
    action: str,
    resource: str,
    person_id: uuid.UUID | None = None,
    reason: str | None = None,
) -> None:
    """Write the audit row in the request's transaction: a read that fails leaves none, a
    read that succeeds cannot happen without one."""
    session.add(
        AuditRecord(
            actor=principal.subject,
            actor_kind=principal.kind,
            actor_org_id=principal.org_id,
            person_id=person_id,
            action=action,
            resource=resource,
            reason=reason,
            request_id=current_request_id(),
        )
    )
    await session.flush()
