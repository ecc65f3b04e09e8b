"""``JobRunner``: takes queued jobs and runs their handlers in the background of a service.

Several replicas may run one: a job is claimed with ``FOR UPDATE SKIP LOCKED`` and its
``attempts`` number is the claim — every later write of the run names it, so a job that was
re-queued (its runner stopped beating) and claimed elsewhere is never written by the old
run again. A handler must not block the event loop (CPU work goes to a thread), or its
heartbeat stops and the job is taken over after ``stale_after_seconds``."""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
import uuid
import weakref
from collections.abc import Sequence
from typing import Any

from oms_kit.background import Periodic, cancel_and_wait
from oms_kit.db import Database
from oms_kit.jobs.context import JobContext
from oms_kit.jobs.kinds import JobCancelled, JobFailed, JobKind
from oms_kit.jobs.models import Job
from oms_kit.jobs.repository import JobRepository
from oms_kit.settings import ServiceSettings

log = logging.getLogger("oms.jobs")

GENERIC_ERROR = {
    "title": "Задача завершилась с ошибкой",
    "detail": "Во время выполнения произошла внутренняя ошибка; она записана в журнал. "
    "Попробуйте запустить задачу ещё раз или обратитесь в поддержку.",
}
FAILED: dict[str, Any] = {"status": "failed", "stage": "Ошибка", "error": GENERIC_ERROR}
STALE_ERROR = {
    "title": "Задача прервана",
    "detail": "Выполнение несколько раз прерывалось из-за сбоя сервера; задача остановлена.",
}

_runners: weakref.WeakSet[JobRunner] = weakref.WeakSet()


def wake_runners() -> None:
    """Tell this process's runners a job was just committed (instead of their next poll)."""
    for runner in list(_runners):
        runner.wake()


class JobRunner:
    def __init__(
        self,
        database: Database,
        kinds: Sequence[JobKind],
        settings: ServiceSettings,
        *,
        poll_seconds: float = 0.5,
        heartbeat_seconds: float = 10.0,
        stale_after_seconds: float = 60.0,
        max_attempts: int = 3,
        retention_check_seconds: float = 3600.0,
    ) -> None:
        self.database = database
        self.kinds = {kind.name: kind for kind in kinds}
        self.concurrency = settings.jobs_concurrency
        self.retention_days = settings.jobs_retention_days
        self.poll_seconds = poll_seconds
        self.stale_after_seconds = stale_after_seconds
        self.max_attempts = max_attempts
        self._running: dict[uuid.UUID, tuple[asyncio.Task[None], int]] = {}
        self._wake = asyncio.Event()
        self._loop_task: asyncio.Task[None] | None = None
        self._periodics = [
            Periodic("jobs-heartbeat", heartbeat_seconds, self.beat, failure="job heartbeat failed"),
            Periodic("jobs-stale", heartbeat_seconds, self.requeue_stale, failure="stale job check failed"),
            Periodic(
                "jobs-retention", retention_check_seconds, self.delete_expired, failure="job cleanup failed"
            ),
        ]

    # -- lifecycle ----------------------------------------------------------------------

    def start(self) -> None:
        if self._loop_task is None:
            _runners.add(self)
            self._loop_task = asyncio.create_task(self._loop(), name="jobs-runner")
            for periodic in self._periodics:
                periodic.start()

    async def stop(self) -> None:
        """Stop claiming, interrupt the running handlers and put their jobs back in the
        queue (another replica, or this one after a restart, runs them again)."""
        _runners.discard(self)
        task, self._loop_task = self._loop_task, None
        if task is not None:
            await cancel_and_wait([task])
        for periodic in self._periodics:
            await periodic.stop()
        running, self._running = self._running, {}
        await cancel_and_wait([t for t, _ in running.values()])
        if running:
            try:
                async with self.database.sessions() as session, session.begin():
                    await JobRepository(session).release(list(running))
            except Exception:
                log.exception("could not release interrupted jobs", extra={"jobs": len(running)})

    def wake(self) -> None:
        self._wake.set()

    @property
    def running(self) -> list[uuid.UUID]:
        return list(self._running)

    # -- the work -----------------------------------------------------------------------

    async def _loop(self) -> None:
        while True:
            self._wake.clear()
            try:
                await self.claim_and_start()
            except Exception:
                log.exception("claiming jobs failed")
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self.poll_seconds)

    async def claim_and_start(self) -> int:
        free = self.concurrency - len(self._running)
        if free <= 0 or not self.kinds:
            return 0
        async with self.database.sessions() as session, session.begin():
            jobs = await JobRepository(session).claim(list(self.kinds), free)
        for job in jobs:
            task = asyncio.create_task(self._execute(job), name=f"job-{job.id}")
            self._running[job.id] = (task, job.attempts)
            task.add_done_callback(functools.partial(self._done, job.id))
        return len(jobs)

    def _done(self, job_id: uuid.UUID, _task: asyncio.Task[None]) -> None:
        self._running.pop(job_id, None)
        self.wake()  # a slot is free

    async def _execute(self, job: Job) -> None:
        kind = self.kinds[job.kind]
        labels = {"job": str(job.id), "kind": job.kind, "attempt": job.attempts}
        log.info("job started", extra=labels)
        outcome = await self._outcome(kind, JobContext(self.database, job, kind), labels)
        # If the outcome cannot be stored (a result that is not JSON), the job still ends, as
        # failed; if nothing can be (the database is away), it stays running, stops beating
        # and is re-queued by the stale check.
        for final in (outcome, FAILED):
            try:
                await self._finish(job, final)
            except Exception:
                log.exception("job outcome could not be stored", extra=labels)
                continue
            log.info("job finished", extra={**labels, "status": final["status"]})
            return

    async def _outcome(self, kind: JobKind, context: JobContext, labels: dict[str, Any]) -> dict[str, Any]:
        try:
            result = await kind.run(context)
        except JobCancelled:
            return {"status": "cancelled", "stage": "Отменена"}
        except JobFailed as failure:
            return {
                "status": "failed",
                "stage": "Ошибка",
                "error": {"title": failure.title, "detail": failure.detail},
            }
        except Exception:
            log.exception("job handler failed", extra=labels)
            return FAILED
        if not isinstance(result, dict):
            log.error("job handler returned %s, not a dict", type(result).__name__, extra=labels)
            return FAILED
        return {"status": "succeeded", "stage": "Готово", "result": result}

    async def _finish(self, job: Job, outcome: dict[str, Any]) -> None:
        async with self.database.sessions() as session, session.begin():
            stored = await JobRepository(session).finish(job.id, job.attempts, **outcome)
        if not stored:
            log.warning("job was taken from this runner before it finished", extra={"job": str(job.id)})

    # -- upkeep -------------------------------------------------------------------------

    async def beat(self) -> None:
        if self._running:
            async with self.database.sessions() as session, session.begin():
                await JobRepository(session).beat(list(self._running))

    async def requeue_stale(self) -> tuple[int, int]:
        async with self.database.sessions() as session, session.begin():
            requeued, failed = await JobRepository(session).requeue_stale(
                list(self.kinds),
                older_than_seconds=self.stale_after_seconds,
                max_attempts=self.max_attempts,
                error=STALE_ERROR,
            )
        if requeued or failed:
            log.warning("stale jobs found", extra={"requeued": requeued, "failed": failed})
            self.wake()
        return requeued, failed

    async def delete_expired(self) -> int:
        async with self.database.sessions() as session, session.begin():
            deleted = await JobRepository(session).delete_expired(
                list(self.kinds), older_than_days=self.retention_days
            )
        if deleted:
            log.info("expired jobs deleted", extra={"deleted": deleted})
        return deleted
