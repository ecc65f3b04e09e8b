"""The nightly refresh of the search projection (decision 0007).

``person_search`` is rewritten whenever a person is written, with the state of that day. A
fact recorded ahead of time (a name from a future marriage date, an identifier or a death
dated later, a period that ends) changes what is current on a later day without anybody
writing the person then; each night, after ``OMS_REGISTRY_PROJECTION_REFRESH_HOUR``, the
persons with a projected fact beginning or ending that day get their row rebuilt, from the
same ``projection`` the writers use.

A process refreshes each day once; its first run after a start also covers the
``CATCH_UP_DAYS`` before (days the service was down). Re-running a day rewrites the same rows,
so several replicas doing it is harmless (they lock the persons in one order)."""

from __future__ import annotations

import logging
import uuid
from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import date, datetime, timedelta

from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.background import Periodic
from oms_kit.db import Database
from registry.models.person import PersonFact
from registry.person.projection_repository import ProjectionRefreshRepository
from registry.person.view import projection

log = logging.getLogger("registry.person")

BATCH = 500
CATCH_UP_DAYS = 7
CHECK_EVERY_SECONDS = 300.0
Transaction = Callable[[], AbstractAsyncContextManager[AsyncSession]]


async def refresh_batch(session: AsyncSession, person_ids: Sequence[uuid.UUID], day: date) -> int:
    """Rebuild the rows of ``person_ids`` as of ``day`` (in the caller's transaction)."""
    repo = ProjectionRefreshRepository(session)
    persons = await repo.lock_persons(person_ids)
    by_person: dict[uuid.UUID, list[PersonFact]] = {}
    for fact in await repo.projected_facts(person_ids):
        by_person.setdefault(fact.person_id, []).append(fact)
    rows = [
        values
        for person in persons
        if person.merged_into is None
        and (values := projection(person, by_person.get(person.id, []), day)) is not None
    ]
    await repo.upsert_projections(rows)
    return len(rows)


def committed(database: Database) -> Transaction:
    """A transaction of its own for each call (the service's database)."""

    @asynccontextmanager
    async def transaction() -> AsyncIterator[AsyncSession]:
        async with database.sessions() as session, session.begin():
            yield session

    return transaction


async def refresh_projection(transaction: Transaction, day: date, *, since: date | None = None) -> int:
    """Rebuild, as of ``day``, the search rows of the persons whose projected facts begin or
    end on a day in ``since`` (default: ``day``)…``day``; a ``transaction()`` per batch."""
    async with transaction() as session:
        person_ids = list(await ProjectionRefreshRepository(session).persons_changing(since or day, day))
    refreshed = 0
    for start in range(0, len(person_ids), BATCH):
        async with transaction() as session:
            refreshed += await refresh_batch(session, person_ids[start : start + BATCH], day)
    return refreshed


class NightlyProjectionRefresh:
    """Checks every ``check_every_seconds`` whether today's refresh is due (the hour has come
    and this process has not done it yet) and runs it."""

    def __init__(
        self, transaction: Transaction, *, hour: int, check_every_seconds: float = CHECK_EVERY_SECONDS
    ) -> None:
        self.transaction = transaction
        self.hour = hour
        self.last_day: date | None = None
        self._job = Periodic(
            "registry-projection-refresh",
            check_every_seconds,
            self.tick,
            failure="the nightly refresh of person search failed; will retry",
        )

    async def tick(self, now: datetime | None = None) -> int | None:
        """Refresh today's persons when due; the number refreshed, or None when not due."""
        now = now or datetime.now()
        today = now.date()
        if now.hour < self.hour or self.last_day == today:
            return None
        since = self.last_day + timedelta(days=1) if self.last_day else today - timedelta(days=CATCH_UP_DAYS)
        refreshed = await refresh_projection(self.transaction, today, since=min(since, today))
        self.last_day = today
        log.info(
            "person search refreshed for the day",
            extra={"day": today.isoformat(), "since": since.isoformat(), "persons": refreshed},
        )
        return refreshed

    def start(self) -> None:
        self._job.start()

    async def stop(self) -> None:
        await self._job.stop()


def nightly_projection_refresh(hour: int) -> Callable[[FastAPI], AbstractAsyncContextManager[object]]:
    """The job as a resource of the service app (``create_service_app(resources=…)``)."""

    @asynccontextmanager
    async def run(app: FastAPI) -> AsyncIterator[None]:
        database = app.state.database
        assert isinstance(database, Database)
        job = NightlyProjectionRefresh(committed(database), hour=hour)
        job.start()
        try:
            yield
        finally:
            await job.stop()

    return run
