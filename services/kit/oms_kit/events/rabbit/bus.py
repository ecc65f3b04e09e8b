"""``RabbitBus``: the RabbitMQ ``EventBus`` (see the package's docstring for its guarantees) —
its lifecycle, the channel it publishes on, and its subscriptions."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import aiormq.abc
from aio_pika.abc import AbstractRobustChannel, AbstractRobustConnection, AbstractRobustExchange

from oms_kit.events.bus import DeliveryCallback, PublishFailed
from oms_kit.events.envelope import EventEnvelope
from oms_kit.events.rabbit.connection import connect, declare_consumer_queue, declare_exchanges
from oms_kit.events.rabbit.consumer import Consumer
from oms_kit.events.rabbit.publisher import publish_batch
from oms_kit.events.topology import ArchivePolicy
from oms_kit.events.wire import EncodedEvent

log = logging.getLogger("oms.events.rabbit")


@dataclass
class _Subscription:
    name: str
    channel: AbstractRobustChannel
    consumer: Consumer


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
        connection = await connect(self.url, service=self.service, reconnect_interval=self.reconnect_interval)
        try:
            channel = await connection.channel(publisher_confirms=True, on_return_raises=True)
            self._exchange = await declare_exchanges(channel, self.exchange_name, archive=self.archive)
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
        [error] = await self._publish(await self._publishing_channel(), [EncodedEvent.of(envelope)])
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
        errors = await self._publish(channel, events)
        for event, error in zip(events, errors, strict=True):
            if error is not None:
                log.warning(
                    "event not confirmed",
                    extra={"event_id": event.id, "event_type": event.type, "error": str(error)},
                )
        return [error is None for error in errors]

    async def _publish(
        self, channel: aiormq.abc.AbstractChannel, events: Sequence[EncodedEvent]
    ) -> list[PublishFailed | None]:
        """``None`` where the broker confirmed, else why not (``publisher.publish_batch``)."""
        return await publish_batch(
            channel,
            events,
            exchange=self.exchange_name,
            app_id=self.service,
            publish_timeout=self.publish_timeout,
        )

    # -- consuming ---------------------------------------------------------------------

    async def subscribe(
        self, queue: str, routing_keys: Sequence[str], callback: DeliveryCallback, *, delivery_limit: int
    ) -> None:
        connection = self._connection
        if connection is None or self._exchange is None:
            raise RuntimeError("start the bus before subscribing")
        channel = await connection.channel(publisher_confirms=False)
        await channel.set_qos(prefetch_count=self.prefetch)
        await declare_consumer_queue(
            channel, self.exchange_name, queue, routing_keys, delivery_limit=delivery_limit
        )
        consumer = Consumer(
            queue,
            callback,
            delivery_limit=delivery_limit,
            service=self.service,
            prefetch=self.prefetch,
            inflight=self._inflight,
        )
        await consumer.consume(channel)
        # The robust channel redeclares the queue and its bindings after a reconnect (they
        # were declared through it); the consumer is not aio-pika's, so it comes back here.
        channel.reopen_callbacks.add(consumer.on_reopen)
        self._subscriptions.append(_Subscription(queue, channel, consumer))
