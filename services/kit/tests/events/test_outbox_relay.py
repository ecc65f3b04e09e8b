"""The transactional outbox and its relay, on the real PostgreSQL and RabbitMQ."""

import asyncio
import uuid
from collections import Counter
from collections.abc import Sequence

import aio_pika
import pytest

from oms_kit.events import Delivery, EventEnvelope, EventPayload, add_event
from oms_kit.events.bus import PublishFailed
from oms_kit.events.inbox import InboxBatcher
from oms_kit.events.inprocess import InProcessBus
from oms_kit.events.outbox import add_events
from oms_kit.events.relay import NOT_CONFIRMED, OutboxRelay
from oms_kit.events.testing import eventually
from oms_kit.events.topology import archive_name
from oms_kit.observability import Metrics

pytestmark = pytest.mark.rabbitmq


class Rollback(Exception):
    pass


async def _consume(bus, database, events, names, *, delivery_limit=3, deliveries=None):
    """Subscribe the test handler through the real inbox; record every delivery."""
    handlers = events.handlers(names.queue)
    inbox = InboxBatcher(database, handlers)

    async def callback(delivery: Delivery) -> None:
        if deliveries is not None:
            deliveries.append(delivery)
        await inbox(delivery)

    await bus.subscribe(names.queue, handlers.routing_keys, callback, delivery_limit=delivery_limit)


async def test_rolled_back_event_is_never_published_committed_one_is_and_is_marked_sent(
    make_bus, database, rows, events, names
):
    bus = await make_bus()
    deliveries: list[Delivery] = []
    await _consume(bus, database, events, names, deliveries=deliveries)

    with pytest.raises(Rollback):
        async with database.sessions() as session, session.begin():
            await add_event(session, events.payload("rolled back"), source="kit-test")
            raise Rollback
    async with database.sessions() as session, session.begin():
        committed = await add_event(session, events.payload("committed"), source="kit-test")

    relay = OutboxRelay(database, bus)
    assert await relay.relay_once() == 1  # only the committed row exists to be published
    assert await relay.relay_once() == 0

    await eventually(lambda: _effects(rows, 1), what="the committed event handled")
    await asyncio.sleep(0.3)  # would anything else arrive?
    assert [d.envelope.id for d in deliveries] == [committed.id]
    assert [c.note for c in events.calls] == ["committed"]
    [row] = await rows.outbox()
    assert row.id == committed.id and row.sent_at is not None and row.attempts == 0


async def test_unroutable_event_raises_and_stays_in_the_outbox_with_attempts_counted(
    make_bus, database, rows, events
):
    bus = await make_bus(archive=False)  # an exchange with no queue bound at all
    with pytest.raises(PublishFailed, match="unroutable"):
        await bus.publish(events.envelope("nobody listens"))

    async with database.sessions() as session, session.begin():
        await add_event(session, events.payload("nobody listens"), source="kit-test")
    relay = OutboxRelay(database, bus)
    assert await relay.relay_once() == -1
    assert await relay.relay_once() == -1
    [row] = await rows.outbox()
    assert row.sent_at is None
    assert row.attempts == 2
    assert row.last_error == NOT_CONFIRMED


async def test_an_event_nobody_consumes_goes_to_the_archive_consumed_ones_do_not(
    make_bus, rabbitmq_url, database, rows, events, names
):
    bus = await make_bus()  # archive on (the default): the exchange has an alternate exchange
    await _consume(bus, database, events, names)
    async with database.sessions() as session, session.begin():
        await add_event(session, events.payload("consumed"), source="kit-test")
        orphan = await add_event(session, Orphaned(note="nobody listens"), source="kit-test")
    assert await OutboxRelay(database, bus).relay_once() == 2
    assert await rows.unsent() == 0
    await eventually(lambda: _effects(rows, 1))

    connection = await aio_pika.connect(rabbitmq_url)
    async with connection, connection.channel() as channel:
        archive = await channel.declare_queue(archive_name(names.exchange), passive=True)
        message = await archive.get(no_ack=True, fail=False)
        assert message is not None and message.message_id == str(orphan.id)
        assert await archive.get(no_ack=True, fail=False) is None  # the consumed event is not there


class Orphaned(EventPayload):
    event_type = "kit.orphan.published"

    note: str


class CrashAfterConfirm:
    """The relay "dies" after the broker confirmed the batch but before the rows are
    marked sent: the marking transaction never commits."""

    def __init__(self, bus) -> None:
        self.bus = bus

    async def publish_many(self, envelopes: Sequence[EventEnvelope]) -> list[bool]:
        confirmed = await self.bus.publish_many(envelopes)
        assert all(confirmed)
        raise RuntimeError("relay killed between confirm and commit")


async def test_relay_killed_after_confirm_republishes_and_the_duplicate_has_no_effect(
    make_bus, database, rows, events, names
):
    bus = await make_bus()
    deliveries: list[Delivery] = []
    await _consume(bus, database, events, names, deliveries=deliveries)
    async with database.sessions() as session, session.begin():
        envelope = await add_event(session, events.payload("exactly once"), source="kit-test")

    with pytest.raises(RuntimeError, match="relay killed"):
        await OutboxRelay(database, CrashAfterConfirm(bus)).relay_once()
    assert await rows.unsent() == 1  # the marking rolled back with the "crash"

    assert await OutboxRelay(database, bus).relay_once() == 1  # the restarted relay sends it again
    await eventually(lambda: _delivered(deliveries, 2), what="both copies delivered")
    await eventually(lambda: _inbox(rows, 1))
    await asyncio.sleep(0.2)
    assert [d.envelope.id for d in deliveries] == [envelope.id, envelope.id]
    assert len(events.calls_of("exactly once")) == 1  # the handler ran once
    assert await rows.effects_of(envelope.id) == 1
    assert await rows.unsent() == 0


async def test_the_same_event_delivered_twice_has_its_effect_once(make_bus, database, rows, events, names):
    bus = await make_bus()
    deliveries: list[Delivery] = []
    await _consume(bus, database, events, names, deliveries=deliveries)
    envelope = events.envelope("twice")
    await bus.publish(envelope)
    await bus.publish(envelope)
    await eventually(lambda: _delivered(deliveries, 2), what="both copies delivered")
    await eventually(lambda: _inbox(rows, 1))
    await asyncio.sleep(0.2)
    assert await rows.effects_of(envelope.id) == 1
    assert len(events.calls_of("twice")) == 1


class CountingBus:
    """An in-process bus that counts how often each event was published."""

    def __init__(self) -> None:
        self.inner = InProcessBus()
        self.published: Counter[uuid.UUID] = Counter()

    async def publish_many(self, envelopes: Sequence[EventEnvelope]) -> list[bool]:
        await asyncio.sleep(0.005)  # a confirm round trip, so relays overlap
        for e in envelopes:
            self.published[e.id] += 1
        return await self.inner.publish_many(envelopes)


async def test_several_relays_share_one_outbox_without_publishing_twice(database, rows, events):
    async with database.sessions() as session, session.begin():
        await add_events(session, [(events.payload(f"n{i}"), None) for i in range(300)], source="kit-test")
    bus = CountingBus()
    relays = [OutboxRelay(database, bus, batch_size=20) for _ in range(3)]

    async def drain(relay: OutboxRelay) -> int:
        total = 0
        while (n := await relay.relay_once()) > 0:
            total += n
        return total

    per_relay = await asyncio.gather(*(drain(r) for r in relays))
    assert sum(per_relay) == 300
    assert sum(1 for n in per_relay if n > 0) >= 2  # they really shared the work
    assert len(bus.published) == 300
    assert set(bus.published.values()) == {1}
    assert await rows.unsent() == 0


async def test_relay_counts_published_events_and_runs_in_the_background(database, rows, events):
    metrics = Metrics("kit-test")
    bus = InProcessBus()
    relay = OutboxRelay(database, bus, idle_seconds=0.05, concurrency=2, metrics=metrics)
    relay.start()
    try:
        async with database.sessions() as session, session.begin():
            await add_events(session, [(events.payload(f"m{i}"), None) for i in range(7)], source="kit-test")
        relay.wake()
        await eventually(lambda: _unsent(rows, 0))
    finally:
        await relay.stop()
    assert metrics.registry.get_sample_value("events_published_total", {"service": "kit-test"}) == 7


async def _effects(rows, n):
    return await rows.effects() == n


async def _inbox(rows, n):
    return await rows.inbox() == n


async def _unsent(rows, n):
    return await rows.unsent() == n


async def _delivered(deliveries, n):
    return len(deliveries) >= n
