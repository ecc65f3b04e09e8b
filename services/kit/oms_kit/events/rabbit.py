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

See ``oms_kit.events.topology`` for names and the archive queue decision.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from typing import Any

import aio_pika
import aiormq.abc
from aio_pika.abc import (
    AbstractIncomingMessage,
    AbstractRobustChannel,
    AbstractRobustConnection,
    AbstractRobustExchange,
    AbstractRobustQueue,
)
from aio_pika.exceptions import DeliveryError, PublishError
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

log = logging.getLogger("oms.events.rabbit")

REQUEST_ID_HEADER = "x-request-id"
DELIVERY_COUNT_HEADER = "x-delivery-count"


def delivery_attempt(message: AbstractIncomingMessage) -> int:
    """1 on the first delivery. Quorum queues set ``x-delivery-count`` (the number of
    earlier unsuccessful deliveries) from the first redelivery on."""
    count = (message.headers or {}).get(DELIVERY_COUNT_HEADER)
    if isinstance(count, int) and not isinstance(count, bool):
        return count + 1
    return 2 if message.redelivered else 1


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
    queue: AbstractRobustQueue
    consumer_tag: str


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
            with contextlib.suppress(Exception):
                async with asyncio.timeout(2.0):
                    await sub.queue.cancel(sub.consumer_tag)
        if self._inflight:
            _, pending = await asyncio.wait(set(self._inflight), timeout=self.shutdown_grace)
            for task in pending:
                task.cancel()
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

    async def _publish_on(self, channel: aiormq.abc.AbstractChannel, envelope: EventEnvelope) -> None:
        # aio-pika's Exchange.publish is this call plus a wrapper object per message; going
        # straight to the channel keeps the relay's CPU per event down.
        try:
            await channel.basic_publish(
                envelope.model_dump_json().encode(),
                exchange=self.exchange_name,
                routing_key=envelope.routing_key,
                properties=message_properties(envelope, app_id=self.service),
                mandatory=True,
                timeout=self.publish_timeout,  # covers the confirm
            )
        except PublishError as exc:  # Basic.Return (mandatory, on_return_raises)
            raise PublishFailed(f"unroutable: no queue is bound for {envelope.routing_key!r}") from exc
        except DeliveryError as exc:  # Basic.Nack
            raise PublishFailed(f"nacked by the broker: {envelope.routing_key!r}") from exc
        except TimeoutError as exc:
            raise PublishFailed(f"no confirm within {self.publish_timeout}s") from exc
        except Exception as exc:  # connection or channel loss, in whatever form aiormq reports it
            raise PublishFailed(f"{type(exc).__name__}: {exc}") from exc

    async def publish(self, envelope: EventEnvelope) -> None:
        await self._publish_on(await self._publishing_channel(), envelope)

    async def publish_many(self, envelopes: Sequence[EventEnvelope]) -> list[bool]:
        """Publish concurrently: the confirms of a whole batch are awaited together instead
        of one round trip per message, which is where the throughput comes from."""
        if not envelopes:
            return []
        try:
            channel = await self._publishing_channel()
        except PublishFailed as exc:
            log.warning("events not published", extra={"count": len(envelopes), "error": str(exc)})
            return [False] * len(envelopes)
        results = await asyncio.gather(
            *(self._publish_on(channel, e) for e in envelopes), return_exceptions=True
        )
        confirmed: list[bool] = []
        for envelope, result in zip(envelopes, results, strict=True):
            if isinstance(result, asyncio.CancelledError):
                raise result
            if isinstance(result, BaseException):
                if not isinstance(result, PublishFailed):
                    log.error("unexpected publish error", exc_info=result)
                log.warning(
                    "event not confirmed",
                    extra={"event_id": str(envelope.id), "event_type": envelope.type, "error": str(result)},
                )
            confirmed.append(not isinstance(result, BaseException))
        return confirmed

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

        async def on_message(message: AbstractIncomingMessage) -> None:
            await self._consume_one(queue, message, callback, delivery_limit)

        tag = await consumer_queue.consume(on_message, no_ack=False)
        self._subscriptions.append(_Subscription(queue, channel, consumer_queue, tag))

    async def _consume_one(
        self,
        queue: str,
        message: AbstractIncomingMessage,
        callback: DeliveryCallback,
        delivery_limit: int,
    ) -> None:
        task = asyncio.current_task()
        if task is not None:
            self._inflight.add(task)
        try:
            try:
                envelope = EventEnvelope.model_validate_json(message.body)
            except ValidationError:
                # It can never succeed: straight to the dead-letter queue.
                log.error("malformed event dead-lettered", extra={"queue": queue})
                await _settle(message.reject(requeue=False))
                return
            attempt = delivery_attempt(message)
            try:
                await callback(Delivery(envelope, attempt))
            except Exception:
                # The broker dead-letters past the limit. A queue that does not count
                # deliveries (not a quorum queue) is handled here, so nothing loops forever.
                requeue = attempt <= delivery_limit
                log.warning(
                    "event handler failed" + ("; requeued" if requeue else "; dead-lettered"),
                    extra={"queue": queue, "event_id": str(envelope.id), "attempt": attempt},
                )
                await _settle(message.nack(requeue=requeue))
                return
            await _settle(message.ack())
        finally:
            if task is not None:
                self._inflight.discard(task)


async def _settle(operation: Awaitable[None]) -> None:
    """Ack/nack on a channel that may just have died: the broker then redelivers the
    message by itself, and the inbox makes the redelivery harmless."""
    try:
        await operation
    except Exception as exc:
        log.warning("could not settle a delivery; the broker will redeliver it", extra={"error": str(exc)})
