"""Idempotent consumption: the event id is recorded in the handler's own transaction.

``handle_delivery`` is one event, one transaction. ``InboxBatcher`` is what a consumer
uses under load: deliveries that arrive together (the bus runs up to ``prefetch`` callbacks
at once) share one transaction, which is where the throughput comes from: a commit and its
round trips are paid once per batch instead of once per event. The guarantee stays the
same: each event's inbox row and its handler's effects commit together or not at all. If
anything in a batch fails, the batch is rolled back and every event in it is handled again
alone, so one poison message only fails itself (its handler may thus run twice within one
delivery, both times inside a transaction that is rolled back).
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Sequence

from sqlalchemy import String, bindparam, text
from sqlalchemy.dialects.postgresql import ARRAY, UUID, insert
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.db import Database
from oms_kit.events.bus import Delivery
from oms_kit.events.envelope import EventEnvelope
from oms_kit.events.handlers import EventHandlers
from oms_kit.events.tables import InboxEvent
from oms_kit.logging import reset_request_id, set_request_id

log = logging.getLogger("oms.events.inbox")

# One statement whatever the batch size: compiled and prepared once, unlike a multi-row VALUES.
_INSERT_MANY = text(
    "INSERT INTO inbox_event (id, type, source) "
    "SELECT * FROM unnest(:ids, :types, :sources) "
    "ON CONFLICT (id) DO NOTHING RETURNING id"
).bindparams(
    bindparam("ids", type_=ARRAY(UUID(as_uuid=True))),
    bindparam("types", type_=ARRAY(String)),
    bindparam("sources", type_=ARRAY(String)),
)


async def _run_handler(session: AsyncSession, handlers: EventHandlers, envelope: EventEnvelope) -> None:
    registered = handlers.by_type.get(envelope.type)
    if registered is None:
        return
    token = set_request_id(envelope.request_id)
    try:
        payload = registered.payload_model.model_validate(envelope.data)
        await registered.handler(session, envelope, payload)
    finally:
        reset_request_id(token)


def _log_duplicate(envelope: EventEnvelope) -> None:
    log.info("duplicate event ignored", extra={"event_id": str(envelope.id), "event_type": envelope.type})


async def handle_delivery(database: Database, handlers: EventHandlers, delivery: Delivery) -> bool:
    """Run the handler for ``delivery`` once. Returns False when the event was seen before.
    Raises whatever the handler raises; the transaction (inbox row included) rolls back."""
    envelope = delivery.envelope
    async with database.sessions() as session, session.begin():
        inserted = await session.execute(
            insert(InboxEvent)
            .values(id=envelope.id, type=envelope.type, source=envelope.source)
            .on_conflict_do_nothing(index_elements=[InboxEvent.id])
            .returning(InboxEvent.id)
        )
        if inserted.scalar_one_or_none() is None:
            _log_duplicate(envelope)
            return False
        await _run_handler(session, handlers, envelope)
    return True


async def handle_batch(
    database: Database, handlers: EventHandlers, deliveries: Sequence[Delivery]
) -> list[bool]:
    """Handle ``deliveries`` in one transaction; ``False`` for events seen before (also
    for a second copy inside the batch). Raises if any handler raises: nothing commits."""
    if not deliveries:
        return []
    rows: dict[uuid.UUID, EventEnvelope] = {}
    for d in deliveries:
        rows.setdefault(d.envelope.id, d.envelope)
    async with database.sessions() as session, session.begin():
        inserted = await session.execute(
            _INSERT_MANY,
            {
                "ids": list(rows),
                "types": [e.type for e in rows.values()],
                "sources": [e.source for e in rows.values()],
            },
        )
        fresh = set(inserted.scalars())
        outcome: list[bool] = []
        for d in deliveries:
            event_id = d.envelope.id
            if event_id in fresh:
                fresh.discard(event_id)  # a second copy in the same batch is a duplicate
                await _run_handler(session, handlers, d.envelope)
                outcome.append(True)
            else:
                _log_duplicate(d.envelope)
                outcome.append(False)
    return outcome


class InboxBatcher:
    """``await batcher(delivery)`` handles one delivery exactly like ``handle_delivery``
    (returns False for a duplicate, raises what its handler raises), but deliveries that
    are waiting at the same time go through ``handle_batch`` together.

    One transaction runs at a time while that keeps up: deliveries that arrive during it
    wait and form the next batch (up to ``max_batch``), so under load the batches are
    large and a commit is paid once per many events. Another transaction starts (up to
    ``concurrency`` at once) when a full batch is waiting, or when deliveries have waited
    ``patience`` seconds without any transaction taking a batch (a slow handler must not
    hold up the others). A lone delivery is handled at once, so batching adds no latency
    when traffic is low. Needs no start or stop: its tasks live only while there is work."""

    def __init__(
        self,
        database: Database,
        handlers: EventHandlers,
        *,
        max_batch: int = 100,
        concurrency: int = 4,
        patience: float = 0.02,
    ) -> None:
        if max_batch < 1 or concurrency < 1:
            raise ValueError("max_batch and concurrency must be at least 1")
        self.database = database
        self.handlers = handlers
        self.max_batch = max_batch
        self.concurrency = concurrency
        self.patience = patience
        self._pending: list[tuple[Delivery, asyncio.Future[bool]]] = []
        self._workers: set[asyncio.Task[None]] = set()
        self._taken = 0  # batches taken so far: tells the patience timer whether work moved
        self._timer: asyncio.TimerHandle | None = None

    async def __call__(self, delivery: Delivery) -> bool:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[bool] = loop.create_future()
        self._pending.append((delivery, future))
        workers = len(self._workers)
        if not workers or (workers < self.concurrency and len(self._pending) >= self.max_batch):
            self._start_worker()
        elif workers < self.concurrency and self._timer is None:
            self._timer = loop.call_later(self.patience, self._on_patience, self._taken)
        return await future

    def _start_worker(self) -> None:
        task = asyncio.create_task(self._work(), name="inbox-batch")
        self._workers.add(task)
        task.add_done_callback(self._workers.discard)

    def _on_patience(self, taken: int) -> None:
        self._timer = None
        if not self._pending:
            return
        if taken == self._taken and len(self._workers) < self.concurrency:
            self._start_worker()  # nothing moved for a while: the running ones are slow
        elif len(self._workers) < self.concurrency:
            self._timer = asyncio.get_running_loop().call_later(self.patience, self._on_patience, self._taken)

    async def _work(self) -> None:
        while self._pending:
            batch = self._pending[: self.max_batch]
            del self._pending[: self.max_batch]
            self._taken += 1
            live = [(d, f) for d, f in batch if not f.done()]  # a cancelled caller: it will be redelivered
            if live:
                await self._handle(live)

    async def _handle(self, batch: list[tuple[Delivery, asyncio.Future[bool]]]) -> None:
        try:
            await self._handle_or_fail(batch)
        finally:  # cancelled mid-batch: release the callers, their messages are not acked
            for _, future in batch:
                if not future.done():
                    future.cancel()

    async def _handle_or_fail(self, batch: list[tuple[Delivery, asyncio.Future[bool]]]) -> None:
        if len(batch) > 1:
            try:
                outcome = await handle_batch(self.database, self.handlers, [d for d, _ in batch])
            except Exception:
                log.info("batch failed; handling its events one by one", extra={"size": len(batch)})
            else:
                for (_, future), fresh in zip(batch, outcome, strict=True):
                    if not future.done():
                        future.set_result(fresh)
                return
        for delivery, future in batch:
            try:
                fresh = await handle_delivery(self.database, self.handlers, delivery)
            except Exception as exc:
                if not future.done():
                    future.set_exception(exc)
            else:
                if not future.done():
                    future.set_result(fresh)
