"""``JobRunner`` against the real database: replicas never run a job twice, stale jobs are
taken over, old ones deleted, a shutdown puts running jobs back; and the migration creates
the tables the models map."""

import asyncio
import time
import uuid
from datetime import timedelta
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select, text, update

from oms_kit.auth import Principal
from oms_kit.db import Database, KitBase
from oms_kit.jobs import Job, JobCancelled, JobContext, JobFile, JobFileChunk, JobKind, JobRunner, submit_job
from oms_kit.jobs.repository import JobRepository
from oms_kit.jobs.storage import store_file
from oms_kit.settings import ServiceSettings

ORG = uuid.uuid4()


async def add_job(database: Database, kind: str, **fields: Any) -> uuid.UUID:
    fields.setdefault("status", "queued")
    job = Job(
        id=uuid.uuid4(), kind=kind, title="Проверка", created_by="tester", organization_id=ORG, **fields
    )
    async with database.sessions() as session, session.begin():
        session.add(job)
    return job.id


async def job(database: Database, job_id: uuid.UUID) -> Job | None:
    async with database.sessions() as session:
        found: Job | None = await session.get(Job, job_id)
        return found


async def until(predicate: Any, within: float = 10.0) -> None:
    deadline = time.monotonic() + within
    while not await predicate():
        assert time.monotonic() < deadline, "condition not reached in time"
        await asyncio.sleep(0.05)


def runner(database: Database, settings: ServiceSettings, *kinds: JobKind, **options: Any) -> JobRunner:
    options.setdefault("poll_seconds", 0.05)
    return JobRunner(database, kinds, settings, **options)


async def test_two_runners_never_run_the_same_job_twice(
    jobs_db: Database, settings: ServiceSettings, sample: Any
) -> None:
    ids = [await add_job(jobs_db, "sample.count") for _ in range(24)]
    settings = settings.model_copy(update={"jobs_concurrency": 4})
    one, two = (
        runner(jobs_db, settings, sample.counted("one")),
        runner(jobs_db, settings, sample.counted("two")),
    )
    one.start()
    two.start()
    try:

        async def all_done() -> bool:
            async with jobs_db.sessions() as session:
                left = await session.scalar(
                    select(func.count()).select_from(Job).where(Job.status != "succeeded")
                )
            return left == 0

        await until(all_done)
    finally:
        await one.stop()
        await two.stop()
    ran = [job_id for job_id, _ in sample.runs]
    assert sorted(ran) == sorted(ids)  # every job once, none twice
    assert {who for _, who in sample.runs} == {"one", "two"}  # both took some


async def test_a_claim_passes_over_jobs_another_replica_is_claiming(jobs_db: Database) -> None:
    first, second = await add_job(jobs_db, "sample.count"), await add_job(jobs_db, "sample.count")
    async with jobs_db.sessions() as holding, holding.begin():
        (taken,) = await JobRepository(holding).claim(["sample.count"], 1)
        assert taken.id == first
        # The first claim is not committed: its row is locked, not yet "running" to others.
        async with jobs_db.sessions() as other, other.begin():
            claimed = await asyncio.wait_for(JobRepository(other).claim(["sample.count"], 5), 5)
            assert [j.id for j in claimed] == [second]


async def test_a_job_whose_runner_stopped_beating_is_requeued_then_given_up(
    jobs_db: Database, settings: ServiceSettings, sample: Any
) -> None:
    long_ago = func.now() - timedelta(minutes=5)
    retry = await add_job(jobs_db, "sample.count", status="running", attempts=1)
    exhausted = await add_job(jobs_db, "sample.count", status="running", attempts=3)
    alive = await add_job(jobs_db, "sample.count", status="running", attempts=1)
    async with jobs_db.sessions() as session, session.begin():
        await session.execute(update(Job).where(Job.id.in_([retry, exhausted])).values(heartbeat_at=long_ago))
        await session.execute(update(Job).where(Job.id == alive).values(heartbeat_at=func.now()))

    janitor = runner(jobs_db, settings, sample.counted("janitor"))
    assert await janitor.requeue_stale() == (1, 1)
    requeued, given_up, untouched = (
        await job(jobs_db, retry),
        await job(jobs_db, exhausted),
        await job(jobs_db, alive),
    )
    assert requeued is not None and requeued.status == "queued" and requeued.heartbeat_at is None
    assert given_up is not None and given_up.status == "failed" and given_up.finished_at is not None
    assert given_up.error is not None and given_up.error["title"] == "Задача прервана"
    assert untouched is not None and untouched.status == "running"

    janitor.start()
    try:

        async def rerun() -> bool:
            found = await job(jobs_db, retry)
            return found is not None and found.status == "succeeded"

        await until(rerun)
    finally:
        await janitor.stop()
    rerun_job = await job(jobs_db, retry)
    assert rerun_job is not None and rerun_job.attempts == 2
    assert [job_id for job_id, _ in sample.runs] == [retry]


async def test_an_old_attempt_can_no_longer_write_its_job(jobs_db: Database, sample: Any) -> None:
    job_id = await add_job(jobs_db, "sample.count")
    async with jobs_db.sessions() as session, session.begin():
        (claimed,) = await JobRepository(session).claim(["sample.count"], 1)
    context = JobContext(jobs_db, claimed, sample.counted("old"))
    await context.progress(1, 10, "Шаг")
    async with jobs_db.sessions() as session, session.begin():  # re-queued and taken by another replica
        await session.execute(update(Job).where(Job.id == job_id).values(attempts=Job.attempts + 1))
    with pytest.raises(JobCancelled):
        await context.progress(10, 10)
    found = await job(jobs_db, job_id)
    assert found is not None and found.progress_done == 1


async def test_progress_writes_are_throttled_but_stages_and_the_end_always_written(
    jobs_db: Database, sample: Any
) -> None:
    job_id = await add_job(jobs_db, "sample.count")
    async with jobs_db.sessions() as session, session.begin():
        (claimed,) = await JobRepository(session).claim(["sample.count"], 1)
    context = JobContext(jobs_db, claimed, sample.counted("t"))
    for done in range(50):  # all within well under 0.25 s
        await context.progress(done, 100, "Чтение")
    stored = await job(jobs_db, job_id)
    assert stored is not None and stored.progress_done == 0 and stored.stage == "Чтение"
    await context.progress(60, stage="Запись")
    stored = await job(jobs_db, job_id)
    assert stored is not None and (stored.progress_done, stored.progress_total, stored.stage) == (
        60,
        100,
        "Запись",
    )
    await context.progress(100)
    stored = await job(jobs_db, job_id)
    assert stored is not None and stored.progress_done == 100


async def test_finished_jobs_past_retention_are_deleted_with_their_files(
    jobs_db: Database, settings: ServiceSettings, sample: Any
) -> None:
    old = await add_job(jobs_db, "sample.count", status="succeeded")
    recent = await add_job(jobs_db, "sample.count", status="failed")
    waiting = await add_job(jobs_db, "sample.count", status="queued")
    async with jobs_db.sessions() as session, session.begin():
        await store_file(
            session, old, role="output", name="r.csv", media_type="text/csv", content=b"a;b\n" * 10
        )
        await session.execute(
            update(Job).where(Job.id == old).values(finished_at=func.now() - timedelta(days=31))
        )
        await session.execute(
            update(Job).where(Job.id == recent).values(finished_at=func.now() - timedelta(days=29))
        )
        await session.execute(
            update(Job).where(Job.id == waiting).values(created_at=func.now() - timedelta(days=90))
        )

    assert await runner(jobs_db, settings, sample.counted("r")).delete_expired() == 1
    assert await job(jobs_db, old) is None
    assert await job(jobs_db, recent) is not None and await job(jobs_db, waiting) is not None
    async with jobs_db.sessions() as session:
        assert await session.scalar(select(func.count()).select_from(JobFile)) == 0
        assert await session.scalar(select(func.count()).select_from(JobFileChunk)) == 0


async def test_a_shutdown_puts_running_jobs_back_in_the_queue(
    jobs_db: Database, settings: ServiceSettings
) -> None:
    started = asyncio.Event()

    async def endless(ctx: JobContext) -> dict[str, Any]:
        started.set()
        await asyncio.sleep(3600)
        return {}

    job_id = await add_job(jobs_db, "sample.endless")
    endless_runner = runner(jobs_db, settings, JobKind("sample.endless", "Бесконечная", "x:read", endless))
    endless_runner.start()
    await asyncio.wait_for(started.wait(), 5)
    assert endless_runner.running == [job_id]
    await endless_runner.stop()
    found = await job(jobs_db, job_id)
    assert found is not None and (found.status, found.attempts) == ("queued", 0)


async def test_the_migration_creates_the_tables_the_models_map(jobs_database_url: str) -> None:
    tables = {"job", "job_file", "job_file_chunk"}

    def ours(obj: Any, name: str, kind: str, reflected: bool, compare_to: Any) -> bool:
        table = obj if kind == "table" else getattr(obj, "table", None)
        return table is None or table.name in tables

    def differences(connection: Any) -> Any:
        options = {"compare_type": True, "compare_server_default": True, "include_object": ours}
        context = MigrationContext.configure(connection, opts=options)
        return compare_metadata(context, KitBase.metadata)

    database = Database(jobs_database_url)
    try:
        async with database.engine.connect() as connection:
            assert await connection.run_sync(differences) == []
            names = await connection.scalars(text("SELECT indexname FROM pg_indexes WHERE tablename = 'job'"))
            assert "ix_job_status_created_at" in set(names)
    finally:
        await database.dispose()


async def test_a_job_committed_in_this_process_wakes_the_runner_at_once(
    jobs_db: Database, settings: ServiceSettings, sample: Any
) -> None:
    lazy = runner(jobs_db, settings, sample.counted("lazy"), poll_seconds=60)
    lazy.start()
    try:
        await asyncio.sleep(0.1)  # its first look at the queue is over; the next poll is far away
        submitter = Principal(subject="operator", org_id=ORG)
        async with jobs_db.sessions() as session, session.begin():
            submitted = await submit_job(session, sample.counted("lazy"), submitter, params={"n": 1})

        async def ran() -> bool:
            found = await job(jobs_db, submitted.id)
            return found is not None and found.status == "succeeded"

        await until(ran, within=3)
    finally:
        await lazy.stop()
    found = await job(jobs_db, submitted.id)
    assert found is not None and found.organization_id == ORG and found.params == {"n": 1}


async def test_a_result_that_cannot_be_stored_fails_the_job(
    jobs_db: Database, settings: ServiceSettings
) -> None:
    async def not_json(ctx: JobContext) -> dict[str, Any]:
        return {"finished": object()}

    job_id = await add_job(jobs_db, "sample.odd")
    odd = runner(jobs_db, settings, JobKind("sample.odd", "Странный итог", "x:read", not_json))
    odd.start()
    try:

        async def ended() -> bool:
            found = await job(jobs_db, job_id)
            return found is not None and found.status not in {"queued", "running"}

        await until(ended)
    finally:
        await odd.stop()
    found = await job(jobs_db, job_id)
    assert found is not None and found.status == "failed" and found.result is None
    assert found.error is not None and found.error["title"] == "Задача завершилась с ошибкой"
