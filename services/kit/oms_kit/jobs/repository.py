"""All SQL of jobs: what the API reads and what runners claim, beat, finish and clean up."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import and_, case, delete, false, func, literal, or_, select, update
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.auth import Principal, scope_to_org
from oms_kit.jobs.models import Job, JobFile
from oms_kit.jobs.storage import JobFileInfo

_UNFINISHED = ("queued", "running")


def _seconds(value: float) -> Any:
    return func.make_interval(0, 0, 0, 0, 0, 0, value)


class JobRepository:
    """Reads for a principal are scoped to its organization unless its role is region-wide;
    patients see no jobs at all."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, job: Job) -> Job:
        self.session.add(job)
        await self.session.flush()
        await self.session.refresh(job)
        return job

    def _visible(self, principal: Principal, kinds: Collection[str]) -> Any:
        stmt = select(Job).where(Job.kind.in_(list(kinds)))
        if principal.person_id is not None:
            return stmt.where(false())
        return scope_to_org(stmt, Job.organization_id, principal)

    async def get_visible(
        self, principal: Principal, kinds: Collection[str], job_id: uuid.UUID
    ) -> Job | None:
        job: Job | None = await self.session.scalar(self._visible(principal, kinds).where(Job.id == job_id))
        return job

    async def page(
        self,
        principal: Principal,
        kinds: Collection[str],
        *,
        status: str | None,
        created_by: str | None = None,
        limit: int,
        offset: int,
    ) -> tuple[Sequence[Job], int]:
        stmt = self._visible(principal, kinds)
        if status is not None:
            stmt = stmt.where(Job.status == status)
        if created_by is not None:
            stmt = stmt.where(Job.created_by == created_by)
        total = await self.session.scalar(select(func.count()).select_from(stmt.subquery()))
        rows = await self.session.scalars(
            stmt.order_by(Job.created_at.desc(), Job.id.desc()).limit(limit).offset(offset)
        )
        return rows.all(), int(total or 0)

    async def files_of(self, job_ids: Collection[uuid.UUID]) -> dict[uuid.UUID, list[JobFileInfo]]:
        found: dict[uuid.UUID, list[JobFileInfo]] = {job_id: [] for job_id in job_ids}
        if not job_ids:
            return found
        rows = await self.session.scalars(
            select(JobFile)
            .where(JobFile.job_id.in_(list(job_ids)))
            .order_by(JobFile.role, JobFile.created_at, JobFile.name)
        )
        for row in rows:
            found[row.job_id].append(JobFileInfo.of(row))
        return found

    async def file(self, job_id: uuid.UUID, file_id: uuid.UUID) -> JobFileInfo | None:
        row = await self.session.scalar(
            select(JobFile).where(JobFile.id == file_id, JobFile.job_id == job_id)
        )
        return JobFileInfo.of(row) if row is not None else None

    async def request_cancel(self, job_id: uuid.UUID) -> Job | None:
        """One statement, so it cannot race a runner's claim: a queued job is cancelled at
        once, a running one is flagged for its next ``progress()``. None if already finished."""
        queued = Job.status == "queued"
        job: Job | None = await self.session.scalar(
            update(Job)
            .where(Job.id == job_id, Job.status.in_(_UNFINISHED))
            .values(
                cancel_requested=True,
                status=case((queued, "cancelled"), else_=Job.status),
                finished_at=case((queued, func.now()), else_=Job.finished_at),
                stage=case((queued, "Отменена"), else_=Job.stage),
            )
            .returning(Job)
            .execution_options(populate_existing=True)
        )
        return job

    # -- runners ------------------------------------------------------------------------

    async def claim(self, kinds: Collection[str], limit: int) -> list[Job]:
        """Take up to ``limit`` of the oldest queued jobs of ``kinds``. ``SKIP LOCKED``: jobs
        another replica is claiming at this moment are passed over, never taken twice."""
        candidates = (
            select(Job.id)
            .where(Job.status == "queued", Job.kind.in_(list(kinds)))
            .order_by(Job.created_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
            .scalar_subquery()
        )
        rows = await self.session.scalars(
            update(Job)
            .where(Job.id.in_(candidates))
            .values(
                status="running",
                started_at=func.now(),
                heartbeat_at=func.now(),
                attempts=Job.attempts + 1,
                error=None,
            )
            .returning(Job)
            .execution_options(populate_existing=True)
        )
        jobs = list(rows)
        if jobs:  # outputs of an interrupted earlier attempt are not this attempt's
            await self.session.execute(
                delete(JobFile).where(JobFile.job_id.in_([j.id for j in jobs]), JobFile.role == "output")
            )
        return sorted(jobs, key=lambda j: j.created_at)

    async def beat(self, job_ids: Collection[uuid.UUID]) -> None:
        if job_ids:
            await self.session.execute(
                update(Job)
                .where(Job.id.in_(list(job_ids)), Job.status == "running")
                .values(heartbeat_at=func.now())
            )

    async def record_progress(
        self, job_id: uuid.UUID, attempt: int, *, done: int, total: int | None, stage: str | None
    ) -> bool | None:
        """Progress of this runner's attempt: whether cancellation is requested, or None when
        the job is no longer this attempt's (cancelled while queued again, or re-queued)."""
        values: dict[str, Any] = {"progress_done": done, "progress_total": total, "heartbeat_at": func.now()}
        if stage is not None:
            values["stage"] = stage
        flag = await self.session.scalar(
            update(Job)
            .where(Job.id == job_id, Job.attempts == attempt, Job.status == "running")
            .values(**values)
            .returning(Job.cancel_requested)
        )
        return None if flag is None else bool(flag)

    async def finish(
        self,
        job_id: uuid.UUID,
        attempt: int,
        *,
        status: str,
        stage: str | None = None,
        result: dict[str, Any] | None = None,
        error: dict[str, str] | None = None,
    ) -> bool:
        values: dict[str, Any] = {
            "status": status,
            "finished_at": func.now(),
            "result": result,
            "error": error,
        }
        if stage is not None:
            values["stage"] = stage
        if status == "succeeded":  # a finished job is complete, whatever its handler reported
            values["progress_done"] = func.coalesce(Job.progress_total, Job.progress_done)
        done = await self.session.scalar(
            update(Job)
            .where(Job.id == job_id, Job.attempts == attempt, Job.status == "running")
            .values(**values)
            .returning(Job.id)
        )
        return done is not None

    async def release(self, job_ids: Collection[uuid.UUID]) -> None:
        """Put jobs interrupted by a shutdown back in the queue; the attempt does not count."""
        if job_ids:
            await self.session.execute(
                update(Job)
                .where(Job.id.in_(list(job_ids)), Job.status == "running")
                .values(status="queued", heartbeat_at=None, attempts=Job.attempts - 1)
            )

    async def requeue_stale(
        self, kinds: Collection[str], *, older_than_seconds: float, max_attempts: int, error: dict[str, str]
    ) -> tuple[int, int]:
        """Running jobs whose runner stopped beating (a crashed replica): queued again while
        attempts remain, else failed. Returns (requeued, failed)."""
        stale = (
            select(Job.id)
            .where(
                Job.status == "running",
                Job.kind.in_(list(kinds)),
                or_(
                    Job.heartbeat_at.is_(None),
                    Job.heartbeat_at < func.now() - _seconds(older_than_seconds),
                ),
            )
            .with_for_update(skip_locked=True)
            .scalar_subquery()
        )
        give_up = Job.attempts >= max_attempts
        rows = await self.session.execute(
            update(Job)
            .where(Job.id.in_(stale))
            .values(
                status=case((give_up, "failed"), else_="queued"),
                finished_at=case((give_up, func.now()), else_=None),
                error=case((give_up, literal(error, JSONB)), else_=None),
                heartbeat_at=None,
            )
            .returning(Job.status)
        )
        statuses = [s for (s,) in rows]
        return statuses.count("queued"), statuses.count("failed")

    async def delete_expired(self, kinds: Collection[str], *, older_than_days: int) -> int:
        """Finished jobs past retention, with their files (the foreign keys cascade)."""
        rows = await self.session.execute(
            delete(Job)
            .where(
                and_(
                    Job.kind.in_(list(kinds)),
                    Job.status.in_(("succeeded", "failed", "cancelled")),
                    Job.finished_at < func.now() - func.make_interval(0, 0, 0, older_than_days),
                )
            )
            .returning(Job.id)
        )
        return len(rows.all())
