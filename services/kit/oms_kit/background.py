"""Background work a service runs beside its requests: periodic jobs and their shutdown."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable, Iterable

log = logging.getLogger("oms.background")


async def cancel_and_wait(tasks: Iterable[asyncio.Task[object]]) -> None:
    """Cancel ``tasks`` and wait until each has really stopped."""
    pending = list(tasks)
    for task in pending:
        task.cancel()
    for task in pending:
        with contextlib.suppress(asyncio.CancelledError):
            await task


class Periodic:
    """Runs ``job`` every ``every_seconds`` (first run after one interval) until stopped.
    A failing run is logged with ``failure`` and retried at the next interval."""

    def __init__(
        self, name: str, every_seconds: float, job: Callable[[], Awaitable[object]], *, failure: str
    ) -> None:
        self.name = name
        self.every_seconds = every_seconds
        self.job = job
        self.failure = failure
        self._task: asyncio.Task[None] | None = None

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.every_seconds)
            try:
                await self.job()
            except Exception:
                log.exception(self.failure, extra={"job": self.name})

    def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name=self.name)

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            await cancel_and_wait([task])
