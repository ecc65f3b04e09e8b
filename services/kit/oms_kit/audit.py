"""Audit of access to personal data (152-FZ): who, whose data, what, when, from which request."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import DateTime, Index, String, bindparam, func, insert, literal, select
from sqlalchemy.dialects.postgresql import ARRAY, UUID
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


async def audit_access_many(
    session: AsyncSession,
    principal: Principal,
    person_ids: Iterable[uuid.UUID],
    *,
    action: str,
    resource: str,
    reason: str | None = None,
) -> int:
    """``audit_access`` for many persons at once (a list, a search, an export): one row per
    distinct person, written by one ``INSERT … SELECT`` over an array of the ids, so one
    statement and one round trip whatever their number. Returns the rows written."""
    ids = list(dict.fromkeys(person_ids))
    if not ids:
        return 0
    persons = (
        func.unnest(bindparam("person_ids", ids, type_=ARRAY(UUID(as_uuid=True))))
        .table_valued("person_id")
        .render_derived(name="persons")
    )
    rows = select(
        func.gen_random_uuid(),
        literal(principal.subject, String()),
        literal(principal.kind, String()),
        literal(principal.org_id, UUID(as_uuid=True)),
        persons.c.person_id,
        literal(action, String()),
        literal(resource, String()),
        literal(reason, String()),
        literal(current_request_id(), String()),
    ).select_from(persons)
    columns = [
        "id",
        "actor",
        "actor_kind",
        "actor_org_id",
        "person_id",
        "action",
        "resource",
        "reason",
        "request_id",
    ]
    await session.execute(insert(AuditRecord).from_select(columns, rows))
    return len(ids)
