"""Publishing: a batch of events as one socket write and its publisher confirms, and the AMQP
properties of an event message (what ``wire`` packs by hand)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Any, cast

import aio_pika
import aiormq
import aiormq.abc
from aio_pika.exceptions import DeliveryError, PublishError
from aiormq.abc import ChannelFrame
from pamqp.commands import Basic

from oms_kit.events.bus import PublishFailed
from oms_kit.events.envelope import EventEnvelope
from oms_kit.events.wire import EncodedEvent, Framer

REQUEST_ID_HEADER = "x-request-id"


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


async def publish_batch(
    underlay: aiormq.abc.AbstractChannel,
    events: Sequence[EncodedEvent],
    *,
    exchange: str,
    app_id: str,
    publish_timeout: float,
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

    This, and ``consumer.Acker``, lean on aiormq's ``Channel`` internals (``lock``,
    ``delivery_tag``, ``confirmations``, ``message_id_delivery_tag``, ``write_queue``;
    aiormq 7.2): an aiormq upgrade must pass tests/events (publish, unroutable,
    relay, outage) before it is taken."""
    channel = cast(aiormq.Channel, underlay)
    framer = Framer(channel.number, exchange, app_id, channel.max_content_size)
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
        async with asyncio.timeout(publish_timeout):
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
            return [PublishFailed(f"no confirm within {publish_timeout}s")] * len(events)
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
    unconfirmed = "the channel closed before the confirm" if lost else f"no confirm within {publish_timeout}s"
    return [
        _publish_error(confirmation, event.type, unconfirmed)
        for confirmation, event in zip(confirmations, events, strict=True)
    ]


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
