"""The transport port. RabbitMQ in the distributed shape, in-process in `make run`;
both give the same guarantees to the outbox relay and the consumers."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from oms_kit.events.envelope import EventEnvelope


@dataclass(frozen=True)
class Delivery:
    envelope: EventEnvelope
    attempt: int  # 1 on first delivery; grows with each unsuccessful delivery


DeliveryCallback = Callable[[Delivery], Awaitable[None]]


class PublishFailed(Exception):
    """The broker did not confirm the message (nack, unroutable return, or connection loss)."""


class EventBus(Protocol):
    async def start(self) -> None: ...

    async def close(self) -> None: ...

    async def publish(self, envelope: EventEnvelope) -> None:
        """Return only once the broker has confirmed the message; raise ``PublishFailed``."""
        ...

    async def publish_many(self, envelopes: Sequence[EventEnvelope]) -> list[bool]:
        """Publish a batch concurrently; ``True`` where confirmed."""
        ...

    async def subscribe(
        self, queue: str, routing_keys: Sequence[str], callback: DeliveryCallback, *, delivery_limit: int
    ) -> None:
        """Deliver matching events to ``callback``. Returning means ack. A callback that
        raises gets the message redelivered (``Delivery.attempt`` 2, 3, ...) up to
        ``delivery_limit`` times, i.e. at most ``delivery_limit + 1`` deliveries, as a quorum
        queue's ``x-delivery-limit`` counts them; after that it is dead-lettered. Other
        messages keep flowing meanwhile."""
        ...

    async def ready(self) -> bool: ...
