"""Consuming: a subscription's consumer straight on aiormq's channel, and the coalesced
acknowledgements of its deliveries."""

from __future__ import annotations

import asyncio
import collections
import logging
import uuid
from typing import Any, cast

import aiormq
from aio_pika.abc import AbstractRobustChannel
from aiormq.abc import ChannelFrame, DeliveredMessage
from pamqp.commands import Basic
from pydantic import ValidationError

from oms_kit.events.bus import Delivery, DeliveryCallback
from oms_kit.events.envelope import EventEnvelope

log = logging.getLogger("oms.events.rabbit")

DELIVERY_COUNT_HEADER = "x-delivery-count"


def delivery_attempt(headers: dict[str, Any] | None, redelivered: bool | None) -> int:
    """1 on the first delivery. Quorum queues set ``x-delivery-count`` (the number of
    earlier unsuccessful deliveries) from the first redelivery on."""
    count = (headers or {}).get(DELIVERY_COUNT_HEADER)
    if isinstance(count, int) and not isinstance(count, bool):
        return count + 1
    return 2 if redelivered else 1


class Consumer:
    """One subscription's consumer, straight on aiormq's channel.

    aio-pika's ``Queue.consume`` wraps every delivery in an ``IncomingMessage`` and a
    second task, and its ``ack()`` writes one frame per message and waits for the write.
    Here each delivery (aiormq runs one task per delivery) is parsed and handed to the
    callback, and its settlement goes to the channel's ``Acker``, which acknowledges
    settled deliveries together (``multiple=True``)."""

    def __init__(
        self,
        queue: str,
        callback: DeliveryCallback,
        *,
        delivery_limit: int,
        service: str,
        prefetch: int,
        inflight: set[asyncio.Task[Any]],
    ) -> None:
        """``inflight``: the bus's set of handler tasks running, which ``close`` waits for."""
        self.queue = queue
        self.callback = callback
        self.delivery_limit = delivery_limit
        self.prefetch = prefetch
        self.inflight = inflight
        self.tag = f"{service}.{uuid.uuid4().hex}"
        self.acker: Acker | None = None
        self.cancelled = False

    async def consume(self, channel: AbstractRobustChannel) -> None:
        underlay = cast(aiormq.Channel, await channel.get_underlay_channel())
        acker = Acker(underlay, hold=max(1, self.prefetch // 2))
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

    async def _deliver(self, acker: Acker, message: DeliveredMessage) -> None:
        delivery = message.delivery
        assert isinstance(delivery, Basic.Deliver)
        tag = delivery.delivery_tag
        assert tag is not None
        acker.delivered(tag)
        inflight = self.inflight
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


class Acker:
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
