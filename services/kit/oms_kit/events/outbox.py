"""Writing an event: a row in the caller's transaction, never a direct publish."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import String, Text, bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.events.envelope import EventEnvelope, EventPayload
from oms_kit.logging import current_request_id

# One statement for any number of events (prepared once, unlike a multi-row VALUES), and
# no ORM unit of work: the envelope's JSON comes from pydantic (``model_dump_json``) and
# PostgreSQL turns it into JSONB, instead of a dict that SQLAlchemy passes to ``json.dumps``.
_INSERT = text(
    "INSERT INTO outbox_event (id, type, envelope) "
    "SELECT id, type, envelope::jsonb FROM unnest(:ids, :types, :envelopes) AS e(id, type, envelope)"
).bindparams(
    bindparam("ids", type_=ARRAY(UUID(as_uuid=True))),
    bindparam("types", type_=ARRAY(String)),
    bindparam("envelopes", type_=ARRAY(Text)),
)


def _envelope(payload: EventPayload, source: str, subject: str | None) -> EventEnvelope:
    return EventEnvelope(
        type=payload.event_type,
        source=source,
        subject=subject,
        data=payload.model_dump(mode="json"),
        schema_version=payload.schema_version,
        request_id=current_request_id(),
    )


async def _insert(session: AsyncSession, envelopes: list[EventEnvelope]) -> None:
    # As before (the outbox row was an ORM object), the caller's pending changes are
    # flushed here too: a service may count on them being written by now.
    await session.flush()
    if envelopes:
        await session.execute(
            _INSERT,
            {
                "ids": [e.id for e in envelopes],
                "types": [e.type for e in envelopes],
                "envelopes": [e.model_dump_json() for e in envelopes],
            },
        )


async def add_event(
    session: AsyncSession, payload: EventPayload, *, source: str, subject: str | None = None
) -> EventEnvelope:
    """Record ``payload`` in the outbox of ``session``'s transaction. It is published by the
    relay only if that transaction commits."""
    envelope = _envelope(payload, source, subject)
    await _insert(session, [envelope])
    return envelope


async def add_events(
    session: AsyncSession, payloads: Iterable[tuple[EventPayload, str | None]], *, source: str
) -> list[EventEnvelope]:
    """``add_event`` for many ``(payload, subject)`` pairs with one INSERT, for the
    transactions that emit an event per row of a large change."""
    envelopes = [_envelope(payload, source, subject) for payload, subject in payloads]
    await _insert(session, envelopes)
    return envelopes
