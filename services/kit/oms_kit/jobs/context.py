"""``JobContext``: what a job's handler gets — its parameters and files, transactions of its
own, progress reporting (which is also where cancellation reaches it) and output files."""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterable, AsyncIterator
from contextlib import asynccontextmanager
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.db import Database
from oms_kit.jobs.kinds import JobCancelled
from oms_kit.jobs.models import JobFile
from oms_kit.jobs.repository import JobRepository
from oms_kit.jobs.storage import JobFileInfo, read_chunks, store_file

if TYPE_CHECKING:
    from oms_kit.jobs.kinds import JobKind
    from oms_kit.jobs.models import Job

# At most this many progress writes per second (a stage change or completion always writes).
PROGRESS_WRITES_PER_SECOND = 4


class JobContext:
    """Handed to ``JobKind.run``. Attributes: ``job_id``, ``kind`` (the ``JobKind``),
    ``params``, ``organization_id`` (the job's), ``created_by`` (the submitter's subject),
    ``principal_org_id`` (the submitter's own organization), ``attempt`` (1 on the first run)."""

    def __init__(self, database: Database, job: Job, kind: JobKind) -> None:
        self.job_id: uuid.UUID = job.id
        self.kind = kind
        self.params: dict[str, Any] = dict(job.params or {})
        self.organization_id: uuid.UUID | None = job.organization_id
        self.created_by: str = job.created_by
        self.principal_org_id: uuid.UUID | None = job.created_by_org_id
        self.attempt: int = job.attempts
        self._database = database
        self._stage: str | None = job.stage
        self._total: int | None = job.progress_total
        self._written_at = float("-inf")

    async def input_files(self) -> list[JobFileInfo]:
        async with self._database.sessions() as session:
            files = (await JobRepository(session).files_of([self.job_id]))[self.job_id]
        return [f for f in files if f.role == "input"]

    async def read_file(self, file_id: uuid.UUID) -> AsyncIterator[bytes]:
        """The file's content chunk by chunk (1 MiB), never the whole file in memory."""
        async with self._database.sessions() as session:
            owner = await session.scalar(select(JobFile.job_id).where(JobFile.id == file_id))
        if owner != self.job_id:
            raise LookupError(f"file {file_id} is not a file of job {self.job_id}")
        async for chunk in read_chunks(self._database, file_id):
            yield chunk

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A fresh session in its own transaction: committed on normal exit, rolled back on
        an exception. Handlers write in batches, one transaction each (outbox events via
        ``add_event`` on this session, so they are published only if the batch commits)."""
        async with self._database.sessions() as session, session.begin():
            yield session

    async def progress(self, done: int, total: int | None = None, stage: str | None = None) -> None:
        """Report progress; ``total`` and ``stage`` keep their last value when not given.
        Written in its own short transaction, at most ~4 times a second, but always when the
        stage changes or ``done`` reaches ``total``. Raises ``JobCancelled`` once cancellation
        is requested (or the job is no longer this runner's)."""
        if total is not None:
            self._total = total
        stage_changed = stage is not None and stage != self._stage
        if stage is not None:
            self._stage = stage
        complete = self._total is not None and done >= self._total
        now = time.monotonic()
        if not (stage_changed or complete or now - self._written_at >= 1 / PROGRESS_WRITES_PER_SECOND):
            return
        self._written_at = now
        async with self.transaction() as session:
            cancel = await JobRepository(session).record_progress(
                self.job_id, self.attempt, done=done, total=self._total, stage=self._stage
            )
        if cancel is None or cancel:
            raise JobCancelled()

    async def write_file(
        self, name: str, media_type: str, content: bytes | AsyncIterable[bytes]
    ) -> JobFileInfo:
        """Store an output file of the job (downloadable once written)."""
        async with self.transaction() as session:
            row = await store_file(
                session, self.job_id, role="output", name=name, media_type=media_type, content=content
            )
            return JobFileInfo.of(row)
