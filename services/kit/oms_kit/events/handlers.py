"""Registry of a service's event handlers, bound to its one durable queue."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.events.envelope import EventEnvelope, EventPayload

Handler = Callable[[AsyncSession, EventEnvelope, Any], Awaitable[None]]


@dataclass
class Registered:
    payload_model: type[EventPayload]
    handler: Handler


@dataclass
class EventHandlers:
    """``handlers = EventHandlers(queue="pharmacy")`` then
    ``@handlers.on(OrganizationCreated)`` on ``async def h(session, envelope, payload)``.
    The handler runs in the transaction that also records the event in the inbox."""

    queue: str
    by_type: dict[str, Registered] = field(default_factory=dict)

    def on(self, payload_model: type[EventPayload]) -> Callable[[Handler], Handler]:
        def register(func: Handler) -> Handler:
            self.by_type[payload_model.event_type] = Registered(payload_model, func)
            return func

        return register

    @property
    def routing_keys(self) -> list[str]:
        return sorted(self.by_type)
