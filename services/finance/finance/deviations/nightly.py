"""The nightly deviation search: each process checks every ``CHECK_EVERY_SECONDS`` whether
today's search is due (the hour ``OMS_FINANCE_DEVIATION_SEARCH_HOUR`` has come and this process
has not run it today) and runs it in one transaction — the figures saved during the day are
searched by the next night. Searches of several processes (or a job started by hand at the same
time) take turns on an advisory lock inside ``service.search``; a finding is stored and
published once whoever finds it first."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import date, datetime
from typing import Any

from fastapi import FastAPI

from finance.deviations import service
from oms_kit.background import Periodic
from oms_kit.db import Database

log = logging.getLogger("finance.deviations")

CHECK_EVERY_SECONDS = 600.0


class NightlyDeviationSearch:
    def __init__(
        self, database: Database, *, hour: int, check_every_seconds: float = CHECK_EVERY_SECONDS
    ) -> None:
        self.database = database
        self.hour = hour
        self.last_day: date | None = None
        self._job = Periodic(
            "finance-deviation-search",
            check_every_seconds,
            self.tick,
            failure="the nightly deviation search failed; will retry",
        )

    async def tick(self, now: datetime | None = None) -> dict[str, Any] | None:
        """Search when due; the search's counts, or None when not due."""
        now = now or datetime.now()
        if self.hour < 0 or now.hour < self.hour or self.last_day == now.date():
            return None
        async with self.database.sessions() as session, session.begin():
            summary = await service.search(session)
        self.last_day = now.date()
        log.info("nightly deviation search", extra={"day": now.date().isoformat(), **summary})
        return summary

    def start(self) -> None:
        self._job.start()

    async def stop(self) -> None:
        await self._job.stop()


def nightly_deviation_search(hour: int) -> Callable[[FastAPI], AbstractAsyncContextManager[object]]:
    """The nightly search as a resource of the service app (``create_service_app(resources=…)``);
    ``hour`` < 0: off."""

    @asynccontextmanager
    async def run(app: FastAPI) -> AsyncIterator[None]:
        database = app.state.database
        assert isinstance(database, Database)
        job = NightlyDeviationSearch(database, hour=hour)
        if hour >= 0:
            job.start()
        try:
            yield
        finally:
            if hour >= 0:
                await job.stop()

    return run
