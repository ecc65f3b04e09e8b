"""The outbox relay: publishes committed outbox rows and marks them sent after the confirm."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import random
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, Protocol, runtime_checkable

from sqlalchemy import BigInteger, Integer, Text, cast, func, select, update
from sqlalchemy.dialects.postgresql import TIMESTAMP

from oms_kit.background import cancel_and_wait
from oms_kit.db import Database
from oms_kit.events.bus import EventBus
from oms_kit.events.envelope import EventEnvelope
from oms_kit.events.tables import OutboxEvent
from oms_kit.events.wire import EncodedEvent
from oms_kit.observability import Metrics

log = logging.getLogger("oms.events.relay")

NOT_CONFIRMED = "not confirmed by the broker"


@runtime_checkable
class EncodedPublisher(Protocol):
    """A bus that publishes envelope JSON as it is (``RabbitBus``)."""

    async def publish_encoded_many(self, events: Sequence[EncodedEvent]) -> list[bool]: ...


_envelope = OutboxEvent.envelope
# A pass reads each row as what goes on the wire: the envelope's JSONB as text (the message
# body, published as it is: no parsing into an EventEnvelope and serialising it again) and
# the few fields the AMQP properties need, extracted by PostgreSQL.
_UNSENT = (
    select(
        OutboxEvent.id,
        OutboxEvent.type,
        cast(_envelope, Text).label("envelope"),
        cast(
            func.extract("epoch", cast(_envelope["time"].astext, TIMESTAMP(timezone=True))), BigInteger
        ).label("timestamp"),
        func.coalesce(cast(_envelope["schema_version"].astext, Integer), 1).label("schema_version"),
        _envelope["request_id"].astext.label("request_id"),
    )
    .where(OutboxEvent.sent_at.is_(None))
    .order_by(OutboxEvent.created_at)
)


def _encoded(row: Any) -> EncodedEvent:
    return EncodedEvent(
        str(row.id), row.type, row.envelope.encode(), row.timestamp, row.schema_version, row.request_id
    )


class OutboxRelay:
    """Moves outbox rows to the bus.

    - Each pass locks up to ``batch_size`` unsent rows (``FOR UPDATE SKIP LOCKED``), so
      several relays (``concurrency`` tasks here, and other replicas of the service) share
      one outbox without publishing a row twice at the same time.
    - The batch is published concurrently; a row is marked sent only once the broker has
      confirmed it, in the same transaction that locked it. A crash between confirm and
      commit leaves the row unsent, so it is published again: at-least-once, and the
      consumers' inbox turns the duplicate into a no-op.
    - Unconfirmed rows get ``attempts + 1`` and ``last_error``; the relay then backs off
      exponentially (with jitter) up to ``max_backoff_seconds``, so a broker outage costs
      a few cheap retries instead of a hot loop, and everything goes out once it is back.
    - Order is oldest first per batch, but batches and messages within a batch are
      published concurrently: consumers must not rely on global ordering.
    """

    def __init__(
        self,
        database: Database,
        bus: EventBus,
        *,
        batch_size: int = 200,
        idle_seconds: float = 0.2,
        max_backoff_seconds: float = 5.0,
        concurrency: int = 1,
        metrics: Metrics | None = None,
    ) -> None:
        if concurrency < 1:
            raise ValueError("concurrency must be at least 1")
        self.database = database
        self.bus = bus
        self.batch_size = batch_size
        self.idle_seconds = idle_seconds
        self.max_backoff_seconds = max_backoff_seconds
        self.concurrency = concurrency
        self.metrics = metrics
        self._wake = asyncio.Event()
        self._tasks: list[asyncio.Task[None]] = []

    def wake(self) -> None:
        """Start the next pass now instead of after the idle pause (e.g. after a commit)."""
        self._wake.set()

    async def relay_once(self) -> int:
        """Publish one batch. Returns the number of rows sent, 0 when there was nothing to
        send, or minus the number of rows the broker did not confirm."""
        async with self.database.sessions() as session, session.begin():
            rows = (
                await session.execute(_UNSENT.limit(self.batch_size).with_for_update(skip_locked=True))
            ).all()
            if not rows:
                return 0
            bus = self.bus
            if isinstance(bus, EncodedPublisher):
                confirmed = await bus.publish_encoded_many([_encoded(r) for r in rows])
            else:
                confirmed = await bus.publish_many(
                    [EventEnvelope.model_validate_json(r.envelope) for r in rows]
                )
            sent = [r.id for r, ok in zip(rows, confirmed, strict=True) if ok]
            failed = [r.id for r, ok in zip(rows, confirmed, strict=True) if not ok]
            if sent:
                await session.execute(
                    update(OutboxEvent).where(OutboxEvent.id.in_(sent)).values(sent_at=datetime.now(UTC))
                )
            if failed:
                await session.execute(
                    update(OutboxEvent)
                    .where(OutboxEvent.id.in_(failed))
                    .values(attempts=OutboxEvent.attempts + 1, last_error=NOT_CONFIRMED)
                )
        # Counted after the commit: a crash before it republishes, and counts, again.
        if sent and self.metrics is not None:
            self.metrics.events_published.labels(self.metrics.service).inc(len(sent))
        if failed:
            log.warning("outbox events not confirmed", extra={"count": len(failed), "sent": len(sent)})
            return -len(failed)
        return len(sent)

    async def run(self) -> None:
        backoff = self.idle_seconds
        while True:
            try:
                n = await self.relay_once()
            except Exception:
                log.exception("outbox relay pass failed; retrying")
                n = -1
            if n > 0:
                backoff = self.idle_seconds
                continue
            if n < 0:
                backoff = min(max(backoff, self.idle_seconds) * 2, self.max_backoff_seconds)
                pause = backoff * random.uniform(0.8, 1.0)  # noqa: S311  (jitter, not crypto)
            else:
                backoff = pause = self.idle_seconds
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=pause)

    def start(self) -> None:
        if self._tasks:
            return
        self._tasks = [
            asyncio.create_task(self.run(), name=f"outbox-relay-{i}") for i in range(self.concurrency)
        ]

    async def stop(self) -> None:
        tasks, self._tasks = self._tasks, []
        await cancel_and_wait(tasks)
