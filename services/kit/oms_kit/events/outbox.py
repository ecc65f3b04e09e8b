"""Writing an event: a row in the caller's transaction, never a direct publish."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.events.envelope import EventEnvelope, EventPayload
from oms_kit.events.tables import OutboxEvent
from oms_kit.logging import current_request_id


async def add_event(
    session: AsyncSession, payload: EventPayload, *, source: str, subject: str | None = None
) -> EventEnvelope:
    """Record ``payload`` in the outbox of ``session``'s transaction. It is published by the
    relay only if that transaction commits."""
    envelope = EventEnvelope(
        type=payload.event_type,
        source=source,
        subject=subject,
        data=payload.model_dump(mode="json"),
        schema_version=payload.schema_version,
        request_id=current_request_id(),
    )
    session.add(OutboxEvent(id=envelope.id, type=envelope.type, envelope=envelope.model_dump(mode="json")))
    await session.flush()
    return envelope
