"""Wires one service's events: its outbox relay and its queue's consumer."""

from __future__ import annotations

import logging

from oms_kit.db import Database
from oms_kit.events.bus import Delivery, EventBus
from oms_kit.events.handlers import EventHandlers
from oms_kit.events.inbox import InboxBatcher
from oms_kit.events.relay import OutboxRelay
from oms_kit.observability import Metrics

log = logging.getLogger("oms.events")


class EventRuntime:
    def __init__(
        self,
        *,
        database: Database,
        bus: EventBus,
        handlers: EventHandlers | None,
        metrics: Metrics,
        batch_size: int,
        idle_seconds: float,
        delivery_limit: int,
        relay_concurrency: int = 1,
        max_backoff_seconds: float = 5.0,
    ) -> None:
        self.database = database
        self.bus = bus
        self.handlers = handlers
        self.metrics = metrics
        self.delivery_limit = delivery_limit
        # The labelled counters, looked up once rather than per event.
        consumed = metrics.events_consumed
        self._handled = consumed.labels(metrics.service, "handled")
        self._duplicate = consumed.labels(metrics.service, "duplicate")
        self._failed = consumed.labels(metrics.service, "failed")
        self.inbox = InboxBatcher(database, handlers) if handlers is not None else None
        self.relay = OutboxRelay(
            database,
            bus,
            batch_size=batch_size,
            idle_seconds=idle_seconds,
            max_backoff_seconds=max_backoff_seconds,
            concurrency=relay_concurrency,
            metrics=metrics,
        )

    async def _on_delivery(self, delivery: Delivery) -> None:
        assert self.inbox is not None
        try:
            fresh = await self.inbox(delivery)
        except Exception:
            self._failed.inc()
            log.exception("event handler failed", extra={"event_type": delivery.envelope.type})
            raise
        (self._handled if fresh else self._duplicate).inc()

    async def start(self) -> None:
        if self.handlers is not None and self.handlers.by_type:
            await self.bus.subscribe(
                self.handlers.queue,
                self.handlers.routing_keys,
                self._on_delivery,
                delivery_limit=self.delivery_limit,
            )
        self.relay.start()

    async def stop(self) -> None:
        await self.relay.stop()
