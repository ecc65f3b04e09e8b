"""In-process transport for the embedded shape: topic routing, at-least-once delivery with
redelivery up to the delivery limit, then a dead-letter list. Same contract as RabbitMQ."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from oms_kit.events.bus import Delivery, DeliveryCallback
from oms_kit.events.envelope import EventEnvelope

log = logging.getLogger("oms.events.inprocess")


def topic_matches(pattern: str, key: str) -> bool:
    """AMQP topic matching: ``*`` one word, ``#`` zero or more words."""
    p, k = pattern.split("."), key.split(".")

    def match(i: int, j: int) -> bool:
        if i == len(p):
            return j == len(k)
        if p[i] == "#":
            return any(match(i + 1, jj) for jj in range(j, len(k) + 1))
        return j < len(k) and (p[i] in ("*", k[j])) and match(i + 1, j + 1)

    return match(0, 0)


@dataclass
class _Queue:
    name: str
    routing_keys: list[str]
    callback: DeliveryCallback
    delivery_limit: int
    items: asyncio.Queue[tuple[EventEnvelope, int]] = field(default_factory=asyncio.Queue)
    task: asyncio.Task[None] | None = None


class InProcessBus:
    def __init__(self) -> None:
        self._queues: dict[str, _Queue] = {}
        self.dead_letters: list[tuple[str, EventEnvelope]] = []

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        for q in self._queues.values():
            if q.task is not None:
                q.task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await q.task
        self._queues.clear()

    async def ready(self) -> bool:
        return True

    async def publish(self, envelope: EventEnvelope) -> None:
        for q in self._queues.values():
            if any(topic_matches(rk, envelope.type) for rk in q.routing_keys):
                q.items.put_nowait((envelope, 1))

    async def publish_many(self, envelopes: Sequence[EventEnvelope]) -> list[bool]:
        for e in envelopes:
            await self.publish(e)
        return [True] * len(envelopes)

    async def subscribe(
        self, queue: str, routing_keys: Sequence[str], callback: DeliveryCallback, *, delivery_limit: int
    ) -> None:
        q = _Queue(queue, list(routing_keys), callback, delivery_limit)
        self._queues[queue] = q
        q.task = asyncio.create_task(self._consume(q), name=f"inprocess-consumer-{queue}")

    async def _consume(self, q: _Queue) -> None:
        while True:
            envelope, attempt = await q.items.get()
            try:
                await q.callback(Delivery(envelope, attempt))
            except Exception:
                if attempt >= q.delivery_limit:
                    log.error("event dead-lettered", extra={"queue": q.name, "event_id": str(envelope.id)})
                    self.dead_letters.append((q.name, envelope))
                else:
                    log.warning("handler failed; redelivering", extra={"queue": q.name, "attempt": attempt})
                    q.items.put_nowait((envelope, attempt + 1))
