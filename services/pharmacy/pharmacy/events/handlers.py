"""What the pharmacy consumes. Handlers are idempotent: the inbox records each event id in
the same transaction as the effect."""

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.events import EventEnvelope, EventHandlers, EventPayload
from pharmacy.organization.repository import OrganizationRepository

handlers = EventHandlers(queue="pharmacy")


class OrganizationRegistered(EventPayload):
    """The gateway's ``gateway.organization.registered`` (a tolerant reader of it)."""

    event_type = "gateway.organization.registered"

    id: uuid.UUID
    name: str
    kind: str
    code: str | None = None


@handlers.on(OrganizationRegistered)
async def on_organization_registered(
    session: AsyncSession, envelope: EventEnvelope, payload: OrganizationRegistered
) -> None:
    await OrganizationRepository(session).upsert(
        payload.id, name=payload.name, kind=payload.kind, code=payload.code
    )
