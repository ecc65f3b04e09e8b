"""The server-sent events of one job: its state at once and on every change, a keep-alive
comment while nothing changes, the end of the stream once the job has finished."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator

from oms_kit.auth import Principal
from oms_kit.db import Database
from oms_kit.jobs import service
from oms_kit.jobs.models import TERMINAL_STATUSES
from oms_kit.jobs.schemas import JobRead

SSE_HEADERS = {
    "Cache-Control": "no-cache",
    # nginx would otherwise buffer the stream and deliver it all at the end.
    "X-Accel-Buffering": "no",
}
KEEPALIVE = ": keep-alive\n\n"


def job_frame(job: JobRead) -> str:
    return f"event: job\ndata: {job.model_dump_json()}\n\n"


async def job_event_stream(
    database: Database,
    principal: Principal,
    kinds: service.Kinds,
    first: JobRead,
    *,
    poll_seconds: float = 0.5,
    keepalive_seconds: float = 15.0,
) -> AsyncIterator[str]:
    """Checks the database every ``poll_seconds``, each time in a short session of its own
    (the stream holds no connection while it waits). The request's own session is closed
    before the stream starts."""
    last = job_frame(first)
    yield last
    if first.status in TERMINAL_STATUSES:
        return
    quiet_since = time.monotonic()
    while True:
        await asyncio.sleep(poll_seconds)
        async with database.sessions() as session:
            current = await service.find_job(session, principal, kinds, first.id)
        if current is None:  # deleted (retention) while watched
            return
        frame = job_frame(current)
        if frame != last:
            yield frame
            last = frame
            quiet_since = time.monotonic()
        elif time.monotonic() - quiet_since >= keepalive_seconds:
            yield KEEPALIVE
            quiet_since = time.monotonic()
        if current.status in TERMINAL_STATUSES:
            return
