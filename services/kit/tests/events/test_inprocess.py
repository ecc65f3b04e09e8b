"""The in-process bus gives the embedded shape RabbitMQ's semantics: topic routing,
redelivery up to the delivery limit then a dead letter, and (with the inbox) no duplicate
effects."""

import asyncio

import pytest

from oms_kit.events import Delivery, EventEnvelope
from oms_kit.events.bus import PublishFailed
from oms_kit.events.inbox import InboxBatcher
from oms_kit.events.inprocess import InProcessBus
from oms_kit.events.testing import eventually


@pytest.fixture
async def bus():
    the_bus = InProcessBus(shutdown_grace=2.0)
    yield the_bus
    await the_bus.close()


def _envelope(key: str, **data) -> EventEnvelope:
    return EventEnvelope(type=key, source="kit-test", data=data)


async def test_routes_by_topic_and_delivers_a_copy(bus):
    got: dict[str, list[EventEnvelope]] = {"pharmacy": [], "finance": []}

    def collect(queue):
        async def callback(delivery: Delivery) -> None:
            got[queue].append(delivery.envelope)

        return callback

    await bus.subscribe("pharmacy", ["registry.person.*"], collect("pharmacy"), delivery_limit=3)
    await bus.subscribe("finance", ["#.accepted"], collect("finance"), delivery_limit=3)
    died = _envelope("registry.person.died", person="p1")
    accepted = _envelope("finance.bill_registry.accepted", registry="r1")
    assert await bus.publish_many([died, accepted, _envelope("gateway.user.created")]) == [True, True, True]
    await bus.drain()

    assert [e.id for e in got["pharmacy"]] == [died.id]
    assert [e.id for e in got["finance"]] == [accepted.id]
    assert got["pharmacy"][0] == died and got["pharmacy"][0] is not died  # off the "wire"


async def test_failing_handler_is_redelivered_up_to_the_limit_then_dead_lettered(bus):
    attempts: list[tuple[str, int]] = []

    async def callback(delivery: Delivery) -> None:
        attempts.append((delivery.envelope.data["n"], delivery.attempt))
        if delivery.envelope.data["n"] == "poison":
            raise RuntimeError("always fails")

    await bus.subscribe("q", ["kit.#"], callback, delivery_limit=2)
    poison = _envelope("kit.note.added", n="poison")
    await bus.publish(poison)
    for i in range(5):
        await bus.publish(_envelope("kit.note.added", n=f"ok{i}"))
    await bus.drain()

    # delivery_limit=2 allows two redeliveries: three deliveries in all, as a quorum queue does.
    assert [a for n, a in attempts if n == "poison"] == [1, 2, 3]
    assert bus.dead_letters == [("q", poison)]
    # The other messages were not held up behind the failing one.
    assert sorted(n for n, _ in attempts if n != "poison") == [f"ok{i}" for i in range(5)]
    first_ok = attempts.index(("ok0", 1))
    last_poison = attempts.index(("poison", 3))
    assert first_ok < last_poison


async def test_a_failure_once_is_retried_and_not_dead_lettered(bus):
    attempts: list[int] = []

    async def flaky(delivery: Delivery) -> None:
        attempts.append(delivery.attempt)
        if delivery.attempt == 1:
            raise RuntimeError("transient")

    await bus.subscribe("q", ["kit.#"], flaky, delivery_limit=5)
    await bus.publish(_envelope("kit.note.added"))
    await bus.drain()
    assert attempts == [1, 2]
    assert bus.dead_letters == []


async def test_unroutable_without_archive_fails_the_publish():
    bus = InProcessBus(archive=False)
    try:
        with pytest.raises(PublishFailed):
            await bus.publish(_envelope("kit.nobody.listens"))
        assert await bus.publish_many([_envelope("kit.nobody.listens")]) == [False]
    finally:
        await bus.close()


async def test_duplicates_have_one_effect_through_the_inbox(bus, database, rows, events):
    handlers = events.handlers("q")
    inbox = InboxBatcher(database, handlers)

    async def callback(delivery: Delivery) -> None:
        await inbox(delivery)

    await bus.subscribe(handlers.queue, handlers.routing_keys, callback, delivery_limit=3)
    envelope = events.envelope("once")
    await bus.publish(envelope)
    await bus.publish(envelope)  # the same event id again: a redelivery
    await bus.drain()

    assert len(events.calls_of("once")) == 1
    assert await rows.effects_of(envelope.id) == 1
    assert await rows.inbox() == 1


async def test_inprocess_dead_letters_a_failing_handler_with_the_inbox(bus, database, rows, events):
    handlers = events.handlers("q")
    inbox = InboxBatcher(database, handlers)

    async def callback(delivery: Delivery) -> None:
        await inbox(delivery)

    await bus.subscribe(handlers.queue, handlers.routing_keys, callback, delivery_limit=1)
    poison, fine = events.envelope("poison", fail=True), events.envelope("fine")
    await bus.publish_many([poison, fine])
    await bus.drain()

    assert [e.id for _, e in bus.dead_letters] == [poison.id]
    assert await rows.effects("fine") == 1
    assert await rows.effects("poison") == 0
    assert await rows.inbox() == 1  # the failed event's inbox row rolled back with it


async def test_close_drains_what_was_published():
    bus = InProcessBus(shutdown_grace=5.0)
    handled: list[int] = []

    async def slow(delivery: Delivery) -> None:
        await asyncio.sleep(0.01)
        handled.append(delivery.envelope.data["i"])

    await bus.subscribe("q", ["kit.#"], slow, delivery_limit=1)
    for i in range(10):
        await bus.publish(_envelope("kit.note.added", i=i))
    await bus.close()
    assert handled == list(range(10))


async def test_competing_consumers_share_one_queue(bus):
    seen: dict[str, int] = {"a": 0, "b": 0}

    def consumer(name):
        async def callback(delivery: Delivery) -> None:
            seen[name] += 1
            await asyncio.sleep(0.001)

        return callback

    await bus.subscribe("q", ["kit.#"], consumer("a"), delivery_limit=1)
    await bus.subscribe("q", ["kit.#"], consumer("b"), delivery_limit=1)
    for _ in range(20):
        await bus.publish(_envelope("kit.note.added"))
    await eventually(lambda: _total(seen, 20), within=5)
    assert seen["a"] > 0 and seen["b"] > 0  # each message to one of them, not both


async def _total(seen: dict[str, int], n: int) -> bool:
    return sum(seen.values()) == n
