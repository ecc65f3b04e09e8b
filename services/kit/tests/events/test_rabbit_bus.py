"""RabbitBus against the real broker: what goes on the wire, the quorum queue with its
delivery limit and dead-letter queue, and readiness."""

import asyncio

import aio_pika
import pytest
from aiormq.exceptions import ChannelPreconditionFailed

from oms_kit.events import Delivery
from oms_kit.events.inbox import InboxBatcher
from oms_kit.events.rabbit import RabbitBus
from oms_kit.events.testing import eventually
from oms_kit.events.topology import dlq_name

pytestmark = pytest.mark.rabbitmq


async def _get_all(rabbitmq_url: str, queue: str) -> list[aio_pika.abc.AbstractIncomingMessage]:
    messages = []
    connection = await aio_pika.connect(rabbitmq_url)
    async with connection, connection.channel() as channel:
        q = await channel.declare_queue(queue, passive=True)
        while (message := await q.get(no_ack=True, fail=False)) is not None:
            messages.append(message)
    return messages


async def test_published_message_is_persistent_json_with_id_type_and_request_id(
    make_bus, rabbitmq_url, names, events
):
    bus = await make_bus()
    connection = await aio_pika.connect(rabbitmq_url)
    async with connection, connection.channel() as channel:
        probe = await channel.declare_queue(f"{names.queue}.probe", exclusive=True)
        await probe.bind(names.exchange, routing_key="kit.#")
        envelope = events.envelope("on the wire").model_copy(update={"request_id": "req-42"})
        await bus.publish(envelope)
        message = await _wait_get(probe)
        assert message.delivery_mode == aio_pika.DeliveryMode.PERSISTENT
        assert message.message_id == str(envelope.id)
        assert message.type == envelope.type == message.routing_key
        assert message.content_type == "application/json"
        assert message.headers["x-request-id"] == "req-42"
        assert message.timestamp is not None
        assert message.app_id == "kit-test"
        assert message.body == envelope.model_dump_json().encode()


async def _wait_get(queue):
    for _ in range(100):
        message = await queue.get(no_ack=True, fail=False)
        if message is not None:
            return message
        await asyncio.sleep(0.02)
    raise AssertionError("nothing arrived")


async def test_consumer_queue_is_a_durable_quorum_queue(make_bus, rabbitmq_url, names, events):
    bus = await make_bus()

    async def ignore(delivery: Delivery) -> None:
        return None

    await bus.subscribe(names.queue, [events.routing_key], ignore, delivery_limit=3)
    await bus.close()
    connection = await aio_pika.connect(rabbitmq_url)
    async with connection:
        async with connection.channel() as channel:  # it outlives the bus: durable, not auto-delete
            await channel.declare_queue(names.queue, passive=True)
        with pytest.raises(ChannelPreconditionFailed):  # it is not a classic queue
            async with connection.channel() as channel:
                await channel.declare_queue(names.queue, durable=True, arguments={"x-queue-type": "classic"})


async def test_poison_message_ends_in_the_dlq_after_the_limit_while_others_flow(
    make_bus, rabbitmq_url, database, rows, events, names
):
    bus = await make_bus(prefetch=16)
    handlers = events.handlers(names.queue)
    inbox = InboxBatcher(database, handlers)
    attempts: dict[str, list[int]] = {}

    async def callback(delivery: Delivery) -> None:
        attempts.setdefault(delivery.envelope.data["note"], []).append(delivery.attempt)
        await inbox(delivery)

    await bus.subscribe(names.queue, handlers.routing_keys, callback, delivery_limit=2)
    poison = events.envelope("poison", fail=True, slow=0.3)
    await bus.publish(poison)
    good = [events.envelope(f"good{i}") for i in range(20)]
    assert await bus.publish_many(good) == [True] * 20

    await eventually(lambda: _dlq_depth(rabbitmq_url, names.queue, 1), within=15, what="poison dead-lettered")
    # quorum queue's x-delivery-count, as Delivery.attempt: 1, then two redeliveries
    assert attempts["poison"] == [1, 2, 3]
    assert await rows.effects() == 20
    assert await rows.effects("poison") == 0
    # Meanwhile: every good event was handled before the poison's last attempt even began.
    last_good = max(c.at for c in events.calls if c.note.startswith("good"))
    poison_calls = [c.at for c in events.calls_of("poison")]
    assert last_good < poison_calls[-1]

    [dead] = await _get_all(rabbitmq_url, dlq_name(names.queue))
    assert dead.message_id == str(poison.id)
    assert dead.headers["x-death"][0]["queue"] == names.queue


async def _dlq_depth(url: str, queue: str, n: int) -> bool:
    connection = await aio_pika.connect(url)
    async with connection, connection.channel() as channel:
        q = await channel.declare_queue(dlq_name(queue), passive=True)
        return q.declaration_result.message_count == n


async def test_malformed_message_goes_straight_to_the_dlq(make_bus, rabbitmq_url, names, events):
    bus = await make_bus()
    calls: list[Delivery] = []

    async def callback(delivery: Delivery) -> None:
        calls.append(delivery)

    await bus.subscribe(names.queue, [events.routing_key], callback, delivery_limit=5)
    connection = await aio_pika.connect(rabbitmq_url)
    async with connection, connection.channel() as channel:
        exchange = await channel.get_exchange(names.exchange)
        await exchange.publish(aio_pika.Message(b"not an envelope"), routing_key=events.routing_key)
    await eventually(lambda: _dlq_depth(rabbitmq_url, names.queue, 1), what="malformed message dead-lettered")
    assert calls == []


async def test_ready_follows_the_connection(rabbitmq_url, names):
    bus = RabbitBus(rabbitmq_url, exchange=names.exchange, service="kit-test")
    assert not await bus.ready()
    await bus.start()
    assert await bus.ready()
    await bus.close()
    assert not await bus.ready()


async def test_from_settings_takes_exchange_and_prefetch():
    from oms_kit.settings import ServiceSettings

    settings = ServiceSettings(broker_url="amqp://guest:guest@127.0.0.1:5672/", consumer_prefetch=7)
    bus = RabbitBus.from_settings(settings)
    assert (bus.exchange_name, bus.prefetch, bus.url) == ("oms.events", 7, settings.broker_url)
    with pytest.raises(ValueError):
        RabbitBus.from_settings(ServiceSettings())


async def test_a_batch_that_cannot_get_the_channel_in_time_is_not_confirmed(make_bus, events):
    bus = await make_bus(publish_timeout=0.2)
    channel = await bus._channel.get_underlay_channel()
    async with channel.lock:  # another publisher holds the channel past the timeout
        assert await bus.publish_many([events.envelope("a"), events.envelope("b")]) == [False, False]
    assert await bus.publish_many([events.envelope("c")]) == [True]
