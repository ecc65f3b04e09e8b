"""Fixtures of the events tests: a real PostgreSQL database with the kit's tables and a
``test_effect`` table the test handler writes to, per-test RabbitMQ names (removed after
the test), started ``RabbitBus``es, and a TCP proxy in front of the real broker.

Test modules cannot import this file (``--import-mode=importlib``), so the test event and
its handler come through the ``events`` fixture."""

from __future__ import annotations

import asyncio
import re
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

import oms_kit.audit
import oms_kit.events.tables  # noqa: F401  (registers the outbox and inbox tables)
from oms_kit.db import Database, KitBase
from oms_kit.events import EventEnvelope, EventHandlers, EventPayload
from oms_kit.events.rabbit import RabbitBus
from oms_kit.events.tables import InboxEvent, OutboxEvent
from oms_kit.events.testing import TcpProxy, delete_topology
from oms_kit.testing.postgres import create_database, drop_database, sqlalchemy_url, unique_name


class Noted(EventPayload):
    """The test event: its handler writes one ``test_effect`` row, or fails when asked."""

    event_type = "kit.note.added"

    note: str
    fail: bool = False
    slow: float = 0.0


@dataclass
class Call:
    event_id: uuid.UUID
    note: str
    at: float


@dataclass
class EventsKit:
    """The test event, its handler and a record of every handler call."""

    calls: list[Call] = field(default_factory=list)
    routing_key: str = Noted.event_type

    def payload(self, note: str, **fields: Any) -> Noted:
        return Noted(note=note, **fields)

    def envelope(self, note: str, **fields: Any) -> EventEnvelope:
        payload = self.payload(note, **fields)
        return EventEnvelope(type=payload.event_type, source="kit-test", data=payload.model_dump(mode="json"))

    def handlers(self, queue: str) -> EventHandlers:
        handlers = EventHandlers(queue=queue)
        calls = self.calls

        @handlers.on(Noted)
        async def on_noted(session: AsyncSession, envelope: EventEnvelope, payload: Noted) -> None:
            calls.append(Call(envelope.id, payload.note, time.monotonic()))
            if payload.slow:
                await asyncio.sleep(payload.slow)
            if payload.fail:
                raise RuntimeError(f"the handler refuses {payload.note}")
            await session.execute(
                text("INSERT INTO test_effect (event_id, note) VALUES (:id, :note)"),
                {"id": envelope.id, "note": payload.note},
            )

        return handlers

    def calls_of(self, note: str) -> list[Call]:
        return [c for c in self.calls if c.note == note]


@pytest.fixture
def events() -> EventsKit:
    return EventsKit()


@pytest.fixture(scope="session")
async def events_database_url(postgres_dsn: str) -> AsyncIterator[str]:
    name = unique_name("t_kit_events")
    await create_database(postgres_dsn, name)
    url = sqlalchemy_url(postgres_dsn, name)
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(KitBase.metadata.create_all)
        await conn.execute(
            text("CREATE TABLE test_effect (seq bigserial PRIMARY KEY, event_id uuid NOT NULL, note text)")
        )
    await engine.dispose()
    yield url
    await drop_database(postgres_dsn, name)


@pytest.fixture
async def database(events_database_url: str) -> AsyncIterator[Database]:
    """The events database, emptied for this test (these tests commit for real)."""
    db = Database(events_database_url, pool_size=4)
    async with db.engine.begin() as conn:
        await conn.execute(text("TRUNCATE outbox_event, inbox_event, test_effect"))
    yield db
    await db.dispose()


class Rows:
    """Counting over the events database."""

    def __init__(self, database: Database) -> None:
        self.database = database

    async def _scalar(self, statement: Any, params: dict[str, Any] | None = None) -> int:
        async with self.database.sessions() as session:
            return int((await session.execute(statement, params or {})).scalar_one())

    async def unsent(self) -> int:
        return await self._scalar(
            select(func.count()).select_from(OutboxEvent).where(OutboxEvent.sent_at.is_(None))
        )

    async def outbox(self) -> list[OutboxEvent]:
        async with self.database.sessions() as session:
            return list(await session.scalars(select(OutboxEvent).order_by(OutboxEvent.created_at)))

    async def inbox(self) -> int:
        return await self._scalar(select(func.count()).select_from(InboxEvent))

    async def effects(self, note: str | None = None) -> int:
        if note is None:
            return await self._scalar(text("SELECT count(*) FROM test_effect"))
        return await self._scalar(text("SELECT count(*) FROM test_effect WHERE note = :n"), {"n": note})

    async def effects_of(self, event_id: uuid.UUID) -> int:
        return await self._scalar(
            text("SELECT count(*) FROM test_effect WHERE event_id = :id"), {"id": event_id}
        )


@pytest.fixture
def rows(database: Database) -> Rows:
    return Rows(database)


# -- RabbitMQ ------------------------------------------------------------------------------


@dataclass(frozen=True)
class BrokerNames:
    exchange: str
    queue: str


@pytest.fixture
async def names(rabbitmq_url: str, run_id: str, request: pytest.FixtureRequest) -> AsyncIterator[BrokerNames]:
    """Exchange and queue names of this test alone; deleted (with DLX, DLQ, archive) after."""
    test = re.sub(r"[^a-z0-9]+", "-", request.node.name.lower()).strip("-")[:40]
    prefix = f"t.{run_id}.{test}.{uuid.uuid4().hex[:4]}"
    broker_names = BrokerNames(exchange=f"{prefix}.events", queue=f"{prefix}.consumer")
    yield broker_names
    await delete_topology(rabbitmq_url, exchange=broker_names.exchange, queues=[broker_names.queue])


BusFactory = Callable[..., Awaitable[RabbitBus]]


@pytest.fixture
async def make_bus(rabbitmq_url: str, names: BrokerNames) -> AsyncIterator[BusFactory]:
    """Started ``RabbitBus``es on this test's exchange, closed after the test."""
    buses: list[RabbitBus] = []

    async def make(url: str | None = None, **options: Any) -> RabbitBus:
        options.setdefault("exchange", names.exchange)
        options.setdefault("service", "kit-test")
        options.setdefault("publish_timeout", 2.0)
        options.setdefault("reconnect_interval", 0.3)
        options.setdefault("shutdown_grace", 2.0)
        bus = RabbitBus(url or rabbitmq_url, **options)
        await bus.start()
        buses.append(bus)
        return bus

    yield make
    for bus in reversed(buses):
        await bus.close()


@pytest.fixture
async def broker_proxy(rabbitmq_url: str) -> AsyncIterator[TcpProxy]:
    proxy = TcpProxy.for_url(rabbitmq_url)
    await proxy.start()
    yield proxy
    await proxy.close()
