"""RabbitMQ goes away while events are being produced: they wait in the outbox, and all of
them are delivered once it is back. The broker is real; it is cut off by a TCP proxy."""

import asyncio

import pytest

from oms_kit.events import add_event
from oms_kit.events.runtime import EventRuntime
from oms_kit.events.testing import eventually
from oms_kit.observability import Metrics

pytestmark = pytest.mark.rabbitmq


async def test_events_produced_during_an_outage_wait_in_the_outbox_and_all_arrive_after(
    make_bus, broker_proxy, rabbitmq_url, database, rows, events, names
):
    bus = await make_bus(broker_proxy.url_for(rabbitmq_url), publish_timeout=0.5)
    runtime = EventRuntime(
        database=database,
        bus=bus,
        handlers=events.handlers(names.queue),
        metrics=Metrics("kit-test"),
        batch_size=50,
        idle_seconds=0.05,
        delivery_limit=5,
        max_backoff_seconds=0.5,
    )
    await runtime.start()
    try:
        await _produce(database, events, "before", 20)
        await eventually(lambda: _effects(rows, 20), what="events before the outage handled")

        await broker_proxy.cut()
        await eventually(_not_ready(bus), within=5, what="the bus notices the outage")
        await _produce(database, events, "during", 100)
        await asyncio.sleep(1.5)  # the relay keeps trying meanwhile
        assert not await bus.ready()
        assert await rows.unsent() == 100
        outbox = await rows.outbox()
        assert max(r.attempts for r in outbox) >= 1  # tried, not confirmed, kept
        assert await rows.effects("during") == 0

        await broker_proxy.restore()
        await eventually(lambda: _unsent(rows, 0), within=20, what="the outbox drains after the outage")
        await eventually(lambda: _effects(rows, 120), within=20, what="every event handled")
        assert await bus.ready()
        assert await rows.inbox() == 120
        for i in range(100):  # each exactly once, whatever was redelivered
            assert await rows.effects(f"during{i}") == 1
    finally:
        await runtime.stop()


async def _produce(database, events, prefix, n):
    for i in range(n):
        async with database.sessions() as session, session.begin():
            await add_event(session, events.payload(f"{prefix}{i}"), source="kit-test")


async def _effects(rows, n):
    return await rows.effects() == n


async def _unsent(rows, n):
    return await rows.unsent() == n


def _not_ready(bus):
    async def check():
        return not await bus.ready()

    return check
