"""The reservation lapse sweep: every OMS_PHARMACY_RESERVATION_SWEEP_SECONDS each process
releases the reservations whose days have run out (``reservations.lapse_expired``) in its own
transaction. Several processes may sweep at once: rows another sweep holds are skipped (SKIP
LOCKED), so a reservation lapses once."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from datetime import UTC, datetime

from fastapi import FastAPI

from oms_kit.background import Periodic
from oms_kit.db import Database
from pharmacy.config import Settings
from pharmacy.stock.reservations import lapse_expired

log = logging.getLogger("pharmacy.stock")


async def sweep_once(database: Database, now: datetime | None = None) -> int:
    async with database.sessions() as session, session.begin():
        lapsed = await lapse_expired(session, now or datetime.now(UTC))
    if lapsed:
        log.info("reservations lapsed", extra={"lapsed": lapsed})
    return lapsed


def reservation_sweep(settings: Settings) -> Callable[[FastAPI], AbstractAsyncContextManager[object]]:
    """The sweep as a resource of the service app (``create_service_app(resources=…)``)."""

    @asynccontextmanager
    async def run(app: FastAPI) -> AsyncIterator[None]:
        database = app.state.database
        assert isinstance(database, Database)
        job = Periodic(
            "pharmacy-reservation-sweep",
            settings.reservation_sweep_seconds,
            lambda: sweep_once(database),
            failure="the reservation lapse sweep failed; will retry",
        )
        job.start()
        try:
            yield
        finally:
            await job.stop()

    return run
