"""The outbox relay: publishes committed outbox rows and marks them sent after the confirm."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from datetime import UTC, datetime

from sqlalchemy import select, update

from oms_kit.db import Database
from oms_kit.events.bus import EventBus
from oms_kit.events.envelope import EventEnvelope
from oms_kit.events.tables import OutboxEvent

log = logging.getLogger("oms.events.relay")


class OutboxRelay:
    def __init__(
        self,
        database: Database,
        bus: EventBus,
        *,
        batch_size: int = 200,
        idle_seconds: float = 0.2,
    ) -> None:
        self.database = database
        self.bus = bus
        self.batch_size = batch_size
        self.idle_seconds = idle_seconds
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        self._wake.set()

    async def relay_once(self) -> int:
        """Publish one batch. Rows are locked (SKIP LOCKED) so several relays can share an
        outbox; a row is marked sent only after its confirm, so a crash in between means a
        redelivery that the consumers' inbox absorbs."""
        async with self.database.sessions() as session, session.begin():
            rows = (
                await session.execute(
                    select(OutboxEvent.id, OutboxEvent.envelope)
                    .where(OutboxEvent.sent_at.is_(None))
                    .order_by(OutboxEvent.created_at)
                    .limit(self.batch_size)
                    .with_for_update(skip_locked=True)
                )
            ).all()
            if not rows:
                return 0
            envelopes = [EventEnvelope.model_validate(r.envelope) for r in rows]
            confirmed = await self.bus.publish_many(envelopes)
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
                    .values(attempts=OutboxEvent.attempts + 1, last_error="not confirmed by the broker")
                )
            return len(sent) if not failed else -len(failed)

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
            backoff = min(backoff * 2, 5.0) if n < 0 else self.idle_seconds
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), timeout=backoff)

    def start(self) -> None:
        self._task = asyncio.create_task(self.run(), name="outbox-relay")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
            self._task = None
