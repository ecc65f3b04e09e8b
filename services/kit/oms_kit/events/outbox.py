"""Writing an event: a row in the caller's transaction, never a direct publish."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.events.envelope import EventEnvelope, EventPayload
from oms_kit.events.tables import OutboxEvent
from oms_kit.logging import current_request_id


def _envelope(payload: EventPayload, source: str, subject: str | None) -> EventEnvelope:
    return EventEnvelope(
        type=payload.event_type,
        source=source,
        subject=subject,
        data=payload.model_dump(mode="json"),
        schema_version=payload.schema_version,
        request_id=current_request_id(),
    )


def _row(envelope: EventEnvelope) -> OutboxEvent:
    return OutboxEvent(id=envelope.id, type=envelope.type, envelope=envelope.model_dump(mode="json"))


async def add_event(
    session: AsyncSession, payload: EventPayload, *, source: str, subject: str | None = None
) -> EventEnvelope:
    """Record ``payload`` in the outbox of ``session``'s transaction. It is published by the
    relay only if that transaction commits."""
    envelope = _envelope(payload, source, subject)
    session.add(_row(envelope))
    await session.flush()
    return envelope


async def add_events(
    session: AsyncSession, payloads: Iterable[tuple[EventPayload, str | None]], *, source: str
) -> list[EventEnvelope]:
    """``add_event`` for many ``(payload, subject)`` pairs with one flush (one multi-row
    INSERT), for the transactions that emit an event per row of a large change."""
    envelopes = [_envelope(payload, source, subject) for payload, subject in payloads]
    session.add_all([_row(e) for e in envelopes])
    await session.flush()
    return envelopes
