"""Expired refresh tokens are deleted an hour after startup and then hourly, a day after
they expired (kept that long so a late reuse still finds its family and is reported).
Sign-in records go after 400 days: the activity API looks back at most 366."""

from __future__ import annotations

import logging
from datetime import UTC, datetime, timedelta

from gateway.auth.repository import RefreshTokenRepository, SignInRepository
from oms_kit.background import Periodic
from oms_kit.db import Database

log = logging.getLogger("gateway.auth")

KEEP_EXPIRED = timedelta(days=1)
KEEP_SIGN_INS = timedelta(days=400)


class RefreshTokenHousekeeping:
    def __init__(self, *, every_seconds: float = 3600.0) -> None:
        self.every_seconds = every_seconds
        self._job: Periodic | None = None

    async def purge(self, database: Database) -> int:
        async with database.sessions() as session, session.begin():
            return await RefreshTokenRepository(session).delete_expired(datetime.now(UTC) - KEEP_EXPIRED)

    async def purge_sign_ins(self, database: Database) -> int:
        async with database.sessions() as session, session.begin():
            return await SignInRepository(session).delete_before(datetime.now(UTC) - KEEP_SIGN_INS)

    def start(self, database: Database) -> None:
        async def purge_and_report() -> None:
            deleted = await self.purge(database)
            if deleted:
                log.info("expired refresh tokens deleted", extra={"count": deleted})
            old = await self.purge_sign_ins(database)
            if old:
                log.info("old sign-in records deleted", extra={"count": old})

        self._job = Periodic(
            "gateway-refresh-token-housekeeping",
            self.every_seconds,
            purge_and_report,
            failure="expired refresh tokens could not be deleted; will retry",
        )
        self._job.start()

    async def stop(self) -> None:
        if self._job is not None:
            await self._job.stop()
            self._job = None
