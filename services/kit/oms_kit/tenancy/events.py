"""The event that feeds the copy, and the idempotent handler a service registers for it."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.events import EventEnvelope, EventHandlers, EventPayload
from oms_kit.tenancy.model import OrganizationCopyMixin
from oms_kit.tenancy.repository import OrganizationCopyRepository


class OrganizationRegistered(EventPayload):
    """The gateway's ``gateway.organization.registered`` (a tolerant reader of it)."""

    event_type = "gateway.organization.registered"

    id: uuid.UUID
    name: str
    kind: str
    code: str | None = None


def register_organization_copy(handlers: EventHandlers, model: type[OrganizationCopyMixin]) -> None:
    """Keep ``model``'s table up to date from ``gateway.organization.registered``. The upsert
    runs in the transaction that records the event in the inbox, so a redelivery changes
    nothing, and a later event for the same id updates the copy."""

    @handlers.on(OrganizationRegistered)
    async def on_organization_registered(
        session: AsyncSession, envelope: EventEnvelope, payload: OrganizationRegistered
    ) -> None:
        await OrganizationCopyRepository(session, model).upsert(
            payload.id, name=payload.name, kind=payload.kind, code=payload.code
        )
