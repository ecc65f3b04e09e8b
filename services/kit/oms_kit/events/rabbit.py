"""RabbitMQ transport (the distributed shape), on aio-pika's robust connection.

Guarantees, matching ``EventBus``:

- ``publish`` returns only after the broker's publisher confirm. A nack, an unroutable
  return (``mandatory=True``), a lost connection or a confirm that does not come within
  ``publish_timeout`` raise ``PublishFailed``; the relay then leaves the outbox row unsent.
  A lost confirm does not mean the broker lost the message, so a retry may duplicate it;
  consumers' inboxes absorb duplicates.
- Messages are persistent (aio-pika's default is not), published to a durable topic
  exchange with the event type as routing key and the envelope JSON as body.
- ``subscribe`` consumes one durable quorum queue per consuming service with manual acks
  and a bounded prefetch; handlers run concurrently (up to the prefetch). A handler that
  raises gets its message ``nack``-ed with requeue, so the quorum queue counts the
  delivery (``x-delivery-count``, surfaced as ``Delivery.attempt``) and dead-letters it to
  ``<queue>.dlq`` once it has been returned more than ``delivery_limit`` times. aio-pika's
  ``message.process()`` is deliberately not used: it rejects *without* requeue.
- For CPU per event (docs/benchmarks.md, "Events"): the relay's batches go out as one
  write of hand-packed frames (``wire``) with confirms tracked on aiormq's channel, and the
  consumer runs on aiormq's channel directly, acknowledging settled deliveries together
  (``_Acker``: ``multiple=True``); connection, channel and topology stay aio-pika's robust ones.

See ``oms_kit.events.topology`` for names and the archive queue decision.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

import aio_pika
import aiormq
import aiormq.abc
from aio_pika.abc import (
    AbstractRobustChannel,
    AbstractRobustConnection,
    AbstractRobustExchange,
)
from aio_pika.exceptions import DeliveryError, PublishError
from aiormq.abc import ChannelFrame, DeliveredMessage
from pamqp.commands import Basic
from pydantic import ValidationError

from oms_kit.events.bus import Delivery, DeliveryCallback, PublishFailed
from oms_kit.events.envelope import EventEnvelope
from oms_kit.events.topology import (
    ArchivePolicy,
    archive_name,
    consumer_queue_arguments,
    dead_letter_queue_arguments,
    dlq_name,
    dlx_name,
    exchange_arguments,
    unrouted_name,
)
from oms_kit.events.wire import EncodedEvent, Framer

log = logging.getLogger("oms.events.rabbit")

REQUEST_ID_HEADER = "x-request-id"
DELIVERY_COUNT_HEADER = "x-delivery-count"


def delivery_attempt(headers: dict[str, Any] | None, redelivered: bool | None) -> int:
    """1 on the first delivery. Quorum queues set ``x-delivery-count`` (the number of
    earlier unsuccessful deliveries) from the first redelivery on."""
    count = (headers or {}).get(DELIVERY_COUNT_HEADER)
    if isinstance(count, int) and not isinstance(count, bool):
        return count + 1
    return 2 if redelivered else 1


def message_properties(envelope: EventEnvelope, *, app_id: str | None = None) -> Basic.Properties:
    """AMQP properties of an event: persistent (aio-pika's default is not), JSON, the event
    id as ``message_id`` and its type as ``type``, the request id in the headers."""
    headers: dict[str, Any] = {"schema_version": envelope.schema_version}
    if envelope.request_id:
        headers[REQUEST_ID_HEADER] = envelope.request_id
    return Basic.Properties(
        content_type="application/json",
        delivery_mode=aio_pika.DeliveryMode.PERSISTENT.value,
        message_id=str(envelope.id),
        message_type=envelope.type,
        timestamp=envelope.time,
        headers=headers,
        app_id=app_id,
    )


@dataclass
class _Subscription:
    name: str
    channel: AbstractRobustChannel
    consumer: _Consumer


class RabbitBus:
    """``RabbitBus(url, exchange="oms.events", service="pharmacy")``; ``start()`` before use.

    ``archive=False`` declares the exchange without its alternate exchange and archive
    queue (``topology.ArchivePolicy``), so an event nobody subscribes to is unroutable and
    ``publish`` raises. All buses on one exchange must agree on it."""

    def __init__(
        self,
        url: str,
        *,
        exchange: str = "oms.events",
        service: str = "service",
        prefetch: int = 64,
        archive: bool | ArchivePolicy = True,
        publish_timeout: float = 10.0,
        reconnect_interval: float = 2.0,
        shutdown_grace: float = 10.0,
    ) -> None:
        if prefetch < 1:
            raise ValueError("prefetch must be at least 1 (0 would mean unbounded)")
        self.url = url
        self.exchange_name = exchange
        self.service = service
        self.prefetch = prefetch
        self.archive: ArchivePolicy | None = (
            archive if isinstance(archive, ArchivePolicy) else (ArchivePolicy() if archive else None)
        )
        self.publish_timeout = publish_timeout
        self.reconnect_interval = reconnect_interval
        self.shutdown_grace = shutdown_grace
        self._connection: AbstractRobustConnection | None = None
        self._channel: AbstractRobustChannel | None = None
        self._exchange: AbstractRobustExchange | None = None  # declared; kept for restore
        self._subscriptions: list[_Subscription] = []
        self._inflight: set[asyncio.Task[Any]] = set()

    @classmethod
    def from_settings(cls, settings: Any, **overrides: Any) -> RabbitBus:
        """From ``oms_kit.settings.ServiceSettings`` (broker URL, exchange, prefetch)."""
        if not settings.broker_url:
            raise ValueError("OMS_BROKER_URL is not set")
        options: dict[str, Any] = {
            "exchange": settings.events_exchange,
            "service": settings.service_name,
            "prefetch": settings.consumer_prefetch,
        }
        options.update(overrides)
        return cls(settings.broker_url, **options)

    # -- lifecycle ---------------------------------------------------------------------

    async def start(self) -> None:
        if self._connection is not None:
            return
        connection = await aio_pika.connect_robust(
            self.url,
            reconnect_interval=self.reconnect_interval,
            client_properties={"connection_name": f"{self.service} events"},
        )
        try:
            channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
            if self.archive is not None:  # first, so the main exchange's alternate exists
                unrouted = await channel.declare_exchange(
                    unrouted_name(self.exchange_name), aio_pika.ExchangeType.FANOUT, durable=True
                )
                archive = await channel.declare_queue(
                    archive_name(self.exchange_name), durable=True, arguments=self.archive.arguments()
                )
                await archive.bind(unrouted)
            self._exchange = await channel.declare_exchange(
                self.exchange_name,
                aio_pika.ExchangeType.TOPIC,
                durable=True,
                arguments=exchange_arguments(self.exchange_name, archive=self.archive is not None),
            )
            await channel.declare_exchange(
                dlx_name(self.exchange_name), aio_pika.ExchangeType.DIRECT, durable=True
            )
        except BaseException:
            await connection.close()
            raise
        self._connection, self._channel = connection, channel

    async def close(self) -> None:
        """Stop consuming, let in-flight handlers finish (up to ``shutdown_grace``), close."""
        connection, self._connection = self._connection, None
        if connection is None:
            return
        for sub in self._subscriptions:
            sub.channel.reopen_callbacks.discard(sub.consumer.on_reopen)
            with contextlib.suppress(Exception):
                async with asyncio.timeout(2.0):
                    await sub.consumer.cancel()
        if self._inflight:
            _, pending = await asyncio.wait(set(self._inflight), timeout=self.shutdown_grace)
            for task in pending:
                task.cancel()
        for sub in self._subscriptions:  # acknowledge what was handled before the channel goes
            acker = sub.consumer.acker
            if acker is not None:
                acker.flush(everything=True)
                with contextlib.suppress(Exception):
                    async with asyncio.timeout(1.0):  # the writer has taken (and written) them
                        await acker.channel.write_queue.join()
        self._subscriptions.clear()
        self._exchange = self._channel = None
        await connection.close()

    async def ready(self) -> bool:
        connection = self._connection
        return connection is not None and not connection.is_closed and connection.connected.is_set()

    # -- publishing --------------------------------------------------------------------

    async def _publishing_channel(self) -> aiormq.abc.AbstractChannel:
        """The live AMQP channel; while a robust connection is reconnecting this waits,
        at most ``publish_timeout``."""
        if self._channel is None:
            raise PublishFailed("the bus is not started")
        try:
            async with asyncio.timeout(self.publish_timeout):
                return await self._channel.get_underlay_channel()
        except TimeoutError as exc:
            raise PublishFailed(f"broker unavailable for {self.publish_timeout}s") from exc
        except Exception as exc:
            raise PublishFailed(f"broker unavailable: {type(exc).__name__}: {exc}") from exc

    async def publish(self, envelope: EventEnvelope) -> None:
        [error] = await self._publish_encoded(await self._publishing_channel(), [EncodedEvent.of(envelope)])
        if error is not None:
            raise error

    async def publish_many(self, envelopes: Sequence[EventEnvelope]) -> list[bool]:
        """Publish concurrently: the confirms of a whole batch are awaited together instead
        of one round trip per message, which is where the throughput comes from."""
        return await self.publish_encoded_many([EncodedEvent.of(e) for e in envelopes])

    async def publish_encoded_many(self, events: Sequence[EncodedEvent]) -> list[bool]:
        """``publish_many`` for events whose JSON is already at hand (the relay publishes
        the outbox row's text as it is, instead of parsing and re-serialising it)."""
        if not events:
            return []
        try:
            channel = await self._publishing_channel()
        except PublishFailed as exc:
            log.warning("events not published", extra={"count": len(events), "error": str(exc)})
            return [False] * len(events)
        errors = await self._publish_encoded(channel, events)
        for event, error in zip(events, errors, strict=True):
            if error is not None:
                log.warning(
                    "event not confirmed",
                    extra={"event_id": event.id, "event_type": event.type, "error": str(error)},
                )
        return [error is None for error in errors]

    async def _publish_encoded(
        self, underlay: aiormq.abc.AbstractChannel, events: Sequence[EncodedEvent]
    ) -> list[PublishFailed | None]:
        """Publish ``events`` as one socket write and wait for their confirms; ``None``
        where confirmed, else why not.

        aiormq's ``basic_publish`` marshals each message through pamqp, queues it for the
        connection's writer and waits until the writer has written it, so every message
        costs a socket write and several task switches. Here the frames of the whole
        batch (``wire.Framer``) go to the writer as one ``ChannelFrame``, and each message
        gets its publisher-confirm future registered exactly as ``basic_publish`` does it
        (delivery tag in ``confirmations``, message id in ``message_id_delivery_tag``), so
        aiormq's reader resolves them unchanged: ``Basic.Ack`` confirms, ``Basic.Nack``
        raises ``DeliveryError``, a ``Basic.Return`` (mandatory) raises ``PublishError``;
        a channel that closes first fails the ones not confirmed yet.

        This, and ``_Acker``, lean on aiormq's ``Channel`` internals (``lock``,
        ``delivery_tag``, ``confirmations``, ``message_id_delivery_tag``, ``write_queue``;
        aiormq 7.2): an aiormq upgrade must pass tests/events (publish, unroutable,
        relay, outage) before it is taken."""
        channel = cast(aiormq.Channel, underlay)
        framer = Framer(channel.number, self.exchange_name, self.service, channel.max_content_size)
        try:
            payload = b"".join([framer.message(e) for e in events])
        except ValueError as exc:
            return [PublishFailed(str(exc))] * len(events)
        confirmations: list[asyncio.Future[Any]] = []
        by_id = channel.message_id_delivery_tag
        registered: list[tuple[str, int]] = []
        # Plain futures (not aiormq's FutureStore, which costs two callbacks per future)
        # and one waiter for the whole batch; the channel's ``closing`` ends the wait if the
        # channel or connection goes away before every confirm came.
        loop = asyncio.get_running_loop()
        all_settled: asyncio.Future[None] = loop.create_future()
        remaining = len(events)

        def settled(_: asyncio.Future[Any]) -> None:
            nonlocal remaining
            remaining -= 1
            if not remaining and not all_settled.done():
                all_settled.set_result(None)

        closing: asyncio.Future[Any] | None = None
        lost = False
        try:
            async with asyncio.timeout(self.publish_timeout):
                async with channel.lock:
                    if not channel.publisher_confirms:  # pragma: no cover  (start() asks for them)
                        raise PublishFailed("the channel has no publisher confirms")
                    drained = channel.create_future()
                    first = channel.delivery_tag + 1
                    channel.write_queue.put_nowait(
                        ChannelFrame(payload=payload, should_close=False, drain_future=drained)
                    )
                    channel.delivery_tag += len(events)
                    confirm = channel.confirmations
                    for tag, event in enumerate(events, start=first):
                        confirmation = loop.create_future()
                        confirmation.add_done_callback(settled)
                        confirm[tag] = confirmation
                        by_id[event.id] = tag
                        registered.append((event.id, tag))
                        confirmations.append(confirmation)
                closing = channel.closing
                await drained
                await asyncio.wait((all_settled, closing), return_when=asyncio.FIRST_COMPLETED)
                lost = closing.done()
        except TimeoutError:
            if not confirmations:  # still waiting for the channel: nothing was sent
                return [PublishFailed(f"no confirm within {self.publish_timeout}s")] * len(events)
            # else the futures that are not done say so below
        except PublishFailed as exc:
            return [exc] * len(events)
        except Exception as exc:  # connection or channel loss, in whatever form aiormq reports it
            if not confirmations:
                return [PublishFailed(f"{type(exc).__name__}: {exc}")] * len(events)
            lost = True
        finally:
            if closing is not None:
                if not closing.done():
                    closing.cancel()  # only this observer
                elif not closing.cancelled():
                    closing.exception()  # retrieved: why it closed is not this batch's concern
            for message_id, tag in registered:
                if by_id.get(message_id) == tag:
                    del by_id[message_id]
            for confirmation in confirmations:
                if not confirmation.done():
                    confirmation.cancel()  # a late confirm is then ignored by aiormq
        unconfirmed = (
            "the channel closed before the confirm" if lost else f"no confirm within {self.publish_timeout}s"
        )
        return [
            _publish_error(confirmation, event.type, unconfirmed)
            for confirmation, event in zip(confirmations, events, strict=True)
        ]

    # -- consuming ---------------------------------------------------------------------

    async def subscribe(
        self, queue: str, routing_keys: Sequence[str], callback: DeliveryCallback, *, delivery_limit: int
    ) -> None:
        connection = self._connection
        if connection is None or self._exchange is None:
            raise RuntimeError("start the bus before subscribing")
        channel = await connection.channel(publisher_confirms=False)
        await channel.set_qos(prefetch_count=self.prefetch)
        dead_letters = await channel.declare_queue(
            dlq_name(queue), durable=True, arguments=dead_letter_queue_arguments()
        )
        await dead_letters.bind(dlx_name(self.exchange_name), routing_key=queue)
        consumer_queue = await channel.declare_queue(
            queue,
            durable=True,
            arguments=consumer_queue_arguments(self.exchange_name, queue, delivery_limit=delivery_limit),
        )
        for key in routing_keys:
            await consumer_queue.bind(self.exchange_name, routing_key=key)
        consumer = _Consumer(self, queue, callback, delivery_limit)
        await consumer.consume(channel)
        # The robust channel redeclares the queue and its bindings after a reconnect (they
        # were declared through it); the consumer is not aio-pika's, so it comes back here.
        channel.reopen_callbacks.add(consumer.on_reopen)
        self._subscriptions.append(_Subscription(queue, channel, consumer))


class _Consumer:
    """One subscription's consumer, straight on aiormq's channel.

    aio-pika's ``Queue.consume`` wraps every delivery in an ``IncomingMessage`` and a
    second task, and its ``ack()`` writes one frame per message and waits for the write.
    Here each delivery (aiormq runs one task per delivery) is parsed and handed to the
    callback, and its settlement goes to the channel's ``_Acker``, which acknowledges
    settled deliveries together (``multiple=True``)."""

    def __init__(self, bus: RabbitBus, queue: str, callback: DeliveryCallback, delivery_limit: int) -> None:
        self.bus = bus
        self.queue = queue
        self.callback = callback
        self.delivery_limit = delivery_limit
        self.tag = f"{bus.service}.{uuid.uuid4().hex}"
        self.acker: _Acker | None = None
        self.cancelled = False

    async def consume(self, channel: AbstractRobustChannel) -> None:
        underlay = cast(aiormq.Channel, await channel.get_underlay_channel())
        acker = _Acker(underlay, hold=max(1, self.bus.prefetch // 2))
        self.acker = acker

        async def on_delivery(message: DeliveredMessage) -> None:
            await self._deliver(acker, message)

        await underlay.basic_consume(self.queue, on_delivery, no_ack=False, consumer_tag=self.tag)

    async def on_reopen(self, channel: Any) -> None:
        if not self.cancelled:
            await self.consume(channel)

    async def cancel(self) -> None:
        self.cancelled = True
        acker = self.acker
        if acker is not None and not acker.channel.is_closed:
            await acker.channel.basic_cancel(self.tag)

    async def _deliver(self, acker: _Acker, message: DeliveredMessage) -> None:
        delivery = message.delivery
        assert isinstance(delivery, Basic.Deliver)
        tag = delivery.delivery_tag
        assert tag is not None
        acker.delivered(tag)
        inflight = self.bus._inflight
        task = asyncio.current_task()
        if task is not None:
            inflight.add(task)
        try:
            try:
                envelope = EventEnvelope.model_validate_json(message.body)
            except ValidationError:
                # It can never succeed: straight to the dead-letter queue.
                log.error("malformed event dead-lettered", extra={"queue": self.queue})
                acker.reject(tag)
                return
            attempt = delivery_attempt(message.header.properties.headers, delivery.redelivered)
            try:
                await self.callback(Delivery(envelope, attempt))
            except Exception:
                # The broker dead-letters past the limit. A queue that does not count
                # deliveries (not a quorum queue) is handled here, so nothing loops forever.
                requeue = attempt <= self.delivery_limit
                log.warning(
                    "event handler failed" + ("; requeued" if requeue else "; dead-lettered"),
                    extra={"queue": self.queue, "event_id": str(envelope.id), "attempt": attempt},
                )
                acker.nack(tag, requeue=requeue)
                return
            acker.ack(tag)
        finally:
            if task is not None:
                inflight.discard(task)


class _Acker:
    """Settles one channel's deliveries with as few frames as possible.

    Deliveries are recorded in delivery-tag order. Once the deliveries at the front are all
    settled, one ``Basic.Ack`` with ``multiple=True`` acknowledges that whole prefix (one
    frame, written once per event-loop turn, instead of a frame and a wait per message).
    Nacks and rejects go out one by one, before that ack. A delivery still being handled
    holds back the acks of the ones after it; once ``hold`` of those are waiting, they are
    acknowledged one by one, so a slow handler never stalls the prefetch window.

    If the channel is gone, nothing is sent: the broker redelivers what was not
    acknowledged, and the inbox makes the redelivery harmless."""

    def __init__(self, channel: aiormq.Channel, *, hold: int) -> None:
        self.channel = channel
        self.hold = hold
        self._order: collections.deque[int] = collections.deque()
        self._settled: dict[int, bool] = {}  # True: ack to send; False: already settled on the wire
        self._acks_waiting = 0
        self._frames: list[Basic.Ack | Basic.Nack | Basic.Reject] = []
        self._scheduled = False

    def delivered(self, tag: int) -> None:
        self._order.append(tag)

    def ack(self, tag: int) -> None:
        self._settled[tag] = True
        self._acks_waiting += 1
        self._schedule()

    def nack(self, tag: int, *, requeue: bool) -> None:
        self._settled[tag] = False
        self._frames.append(Basic.Nack(delivery_tag=tag, multiple=False, requeue=requeue))
        self._schedule()

    def reject(self, tag: int) -> None:
        self._settled[tag] = False
        self._frames.append(Basic.Reject(delivery_tag=tag, requeue=False))
        self._schedule()

    def _schedule(self) -> None:
        if not self._scheduled:
            self._scheduled = True
            asyncio.get_running_loop().call_soon(self.flush)

    def flush(self, *, everything: bool = False) -> None:
        self._scheduled = False
        order, settled = self._order, self._settled
        frames, self._frames = self._frames, []
        last = 0
        while order and order[0] in settled:
            tag = order.popleft()
            if settled.pop(tag):
                last = tag
                self._acks_waiting -= 1
        if last:
            frames.append(Basic.Ack(delivery_tag=last, multiple=True))
        if self._acks_waiting and (everything or self._acks_waiting >= self.hold):
            for tag, waiting in settled.items():
                if waiting:
                    frames.append(Basic.Ack(delivery_tag=tag, multiple=False))
                    settled[tag] = False
            self._acks_waiting = 0
        if not frames or self.channel.is_closed:
            return
        try:
            self.channel.write_queue.put_nowait(ChannelFrame.marshall(self.channel.number, frames))
        except Exception as exc:  # pragma: no cover  (an unbounded queue)
            log.warning(
                "could not settle deliveries; the broker will redeliver them", extra={"error": str(exc)}
            )


def _publish_error(
    confirmation: asyncio.Future[Any], routing_key: str, unconfirmed: str
) -> PublishFailed | None:
    if confirmation.cancelled():
        return PublishFailed(unconfirmed)
    exc = confirmation.exception()
    if exc is None:
        return None
    if isinstance(exc, PublishError):  # Basic.Return (mandatory, on_return_raises)
        return PublishFailed(f"unroutable: no queue is bound for {routing_key!r}")
    if isinstance(exc, DeliveryError):  # Basic.Nack
        return PublishFailed(f"nacked by the broker: {routing_key!r}")
    return PublishFailed(f"{type(exc).__name__}: {exc}")
