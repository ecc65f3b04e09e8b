"""In-process transport for the embedded shape, with the same contract as ``RabbitBus``:

- topic routing (``*`` one word, ``#`` zero or more);
- each delivery carries a JSON copy of the envelope, as it would off the wire;
- at-least-once: a callback that raises gets the message redelivered, with
  ``Delivery.attempt`` growing, until it has failed ``delivery_limit + 1`` times (a quorum
  queue's ``x-delivery-limit`` counts *returns*); then it is dead-lettered to
  ``dead_letters``, and the other messages keep flowing meanwhile;
- several subscriptions to one queue name compete for its messages;
- with ``archive=False`` an event no queue takes raises ``PublishFailed`` (RabbitMQ's
  mandatory return); by default it is dropped, as the capped archive queue would age it out.

What it cannot give is durability: events published but not yet handled live in memory.
``close()`` therefore drains the queues first (up to ``shutdown_grace`` seconds).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field

from oms_kit.background import cancel_and_wait
from oms_kit.events.bus import Delivery, DeliveryCallback, PublishFailed
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
    delivery_limit: int
    items: asyncio.Queue[tuple[str, int]] = field(default_factory=asyncio.Queue)
    tasks: list[asyncio.Task[None]] = field(default_factory=list)

    def takes(self, key: str) -> bool:
        return any(topic_matches(rk, key) for rk in self.routing_keys)


class InProcessBus:
    def __init__(self, *, archive: bool = True, shutdown_grace: float = 10.0) -> None:
        self.archive = archive
        self.shutdown_grace = shutdown_grace
        self._queues: dict[str, _Queue] = {}
        self.dead_letters: list[tuple[str, EventEnvelope]] = []

    async def start(self) -> None:
        return None

    async def close(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.drain(), timeout=self.shutdown_grace)
        for q in self._queues.values():
            await cancel_and_wait(q.tasks)
        self._queues.clear()

    async def ready(self) -> bool:
        return True

    async def drain(self) -> None:
        """Wait until every message published so far has been handled or dead-lettered."""
        for q in list(self._queues.values()):
            if q.tasks:
                await q.items.join()

    async def publish(self, envelope: EventEnvelope) -> None:
        body = envelope.model_dump_json()
        targets = [q for q in self._queues.values() if q.takes(envelope.routing_key)]
        if not targets and not self.archive:
            raise PublishFailed(f"unroutable: no queue is bound for {envelope.routing_key!r}")
        for q in targets:
            q.items.put_nowait((body, 1))

    async def publish_many(self, envelopes: Sequence[EventEnvelope]) -> list[bool]:
        confirmed: list[bool] = []
        for e in envelopes:
            try:
                await self.publish(e)
            except PublishFailed:
                confirmed.append(False)
            else:
                confirmed.append(True)
        return confirmed

    async def subscribe(
        self, queue: str, routing_keys: Sequence[str], callback: DeliveryCallback, *, delivery_limit: int
    ) -> None:
        q = self._queues.get(queue)
        if q is None:
            q = self._queues[queue] = _Queue(queue, list(routing_keys), delivery_limit)
        else:  # another consumer of the same queue: bindings add up, like queue_bind
            q.routing_keys.extend(k for k in routing_keys if k not in q.routing_keys)
        n = len(q.tasks)
        q.tasks.append(asyncio.create_task(self._consume(q, callback), name=f"inprocess-{queue}-{n}"))

    async def _consume(self, q: _Queue, callback: DeliveryCallback) -> None:
        while True:
            body, attempt = await q.items.get()
            try:
                envelope = EventEnvelope.model_validate_json(body)
                try:
                    await callback(Delivery(envelope, attempt))
                except Exception:
                    if attempt > q.delivery_limit:
                        log.error(
                            "event dead-lettered", extra={"queue": q.name, "event_id": str(envelope.id)}
                        )
                        self.dead_letters.append((q.name, envelope))
                    else:
                        log.warning(
                            "event handler failed; redelivering", extra={"queue": q.name, "attempt": attempt}
                        )
                        q.items.put_nowait((body, attempt + 1))
            finally:
                q.items.task_done()
