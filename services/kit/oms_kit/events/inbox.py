"""Idempotent consumption: the event id is recorded in the handler's own transaction."""

from __future__ import annotations

import logging

from sqlalchemy.dialects.postgresql import insert

from oms_kit.db import Database
from oms_kit.events.bus import Delivery
from oms_kit.events.handlers import EventHandlers
from oms_kit.events.tables import InboxEvent
from oms_kit.logging import reset_request_id, set_request_id

log = logging.getLogger("oms.events.inbox")


async def handle_delivery(database: Database, handlers: EventHandlers, delivery: Delivery) -> bool:
    """Run the handler for ``delivery`` once. Returns False when the event was seen before.
    Raises whatever the handler raises; the transaction (inbox row included) rolls back."""
    envelope = delivery.envelope
    registered = handlers.by_type.get(envelope.type)
    token = set_request_id(envelope.request_id)
    try:
        async with database.sessions() as session, session.begin():
            inserted = await session.execute(
                insert(InboxEvent)
                .values(id=envelope.id, type=envelope.type, source=envelope.source)
                .on_conflict_do_nothing(index_elements=[InboxEvent.id])
                .returning(InboxEvent.id)
            )
            if inserted.scalar_one_or_none() is None:
                log.info(
                    "duplicate event ignored",
                    extra={"event_id": str(envelope.id), "event_type": envelope.type},
                )
                return False
            if registered is None:
                return True
            payload = registered.payload_model.model_validate(envelope.data)
            await registered.handler(session, envelope, payload)
        return True
    finally:
        reset_request_id(token)
