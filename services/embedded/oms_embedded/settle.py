"""Waiting until events have crossed: every event written to an outbox since a moment is in
the inbox of every service that consumes its type (or was dead-lettered, which is an error)."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from oms_kit.db import Database
from oms_kit.events.inprocess import InProcessBus, topic_matches
from oms_kit.events.tables import InboxEvent, OutboxEvent


class EventsNotSettled(RuntimeError):
    pass


@dataclass(frozen=True)
class Consumer:
    service: str
    routing_keys: Sequence[str]

    def consumes(self, event_type: str) -> bool:
        return any(topic_matches(key, event_type) for key in self.routing_keys)


async def clocks(databases: Mapping[str, Database]) -> dict[str, datetime]:
    """Each database's own clock, so ``since`` never depends on clock skew between servers."""
    now: dict[str, datetime] = {}
    for name, database in databases.items():
        async with database.engine.connect() as conn:
            now[name] = (await conn.exec_driver_sql("SELECT clock_timestamp()")).scalar_one()
    return now


async def _published_since(
    databases: Mapping[str, Database], since: Mapping[str, datetime]
) -> list[tuple[uuid.UUID, str]]:
    events: list[tuple[uuid.UUID, str]] = []
    for name, database in databases.items():
        async with database.sessions() as session:
            rows = await session.execute(
                select(OutboxEvent.id, OutboxEvent.type).where(OutboxEvent.created_at >= since[name])
            )
            events.extend((row.id, row.type) for row in rows)
    return events


async def _missing(
    databases: Mapping[str, Database], consumers: Sequence[Consumer], events: list[tuple[uuid.UUID, str]]
) -> dict[str, set[uuid.UUID]]:
    missing: dict[str, set[uuid.UUID]] = {}
    for consumer in consumers:
        expected = {event_id for event_id, event_type in events if consumer.consumes(event_type)}
        if not expected:
            continue
        async with databases[consumer.service].sessions() as session:
            seen = set(await session.scalars(select(InboxEvent.id).where(InboxEvent.id.in_(expected))))
        if expected - seen:
            missing[consumer.service] = expected - seen
    return missing


async def settle(
    databases: Mapping[str, Database],
    consumers: Sequence[Consumer],
    since: Mapping[str, datetime],
    *,
    bus: InProcessBus,
    within: float,
) -> None:
    """Poll until settled; ``EventsNotSettled`` after ``within`` seconds or on a dead letter."""
    deadline = time.monotonic() + within
    while True:
        events = await _published_since(databases, since)
        missing = await _missing(databases, consumers, events)
        if not missing:
            return
        ids = {event_id for event_ids in missing.values() for event_id in event_ids}
        dead = [(queue, e.type) for queue, e in bus.dead_letters if e.id in ids]
        if dead:
            raise EventsNotSettled(f"События не обработаны и отложены (dead letter): {dead}")
        if time.monotonic() > deadline:
            counts = {service: len(event_ids) for service, event_ids in missing.items()}
            raise EventsNotSettled(f"За {within:.0f} с не доставлены события: {counts}")
        await asyncio.sleep(0.1)
