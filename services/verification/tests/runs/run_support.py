"""Shared setup of the run tests: a database of its own (the run job commits, as in production),
a synthetic register written as a TFOMS CSV file, the five sources' answers loaded through the
sources' loader, runs created and driven by the kit's job runner, and the outcomes read back
keyed by the synthetic register's ids (row number in the file → record)."""

from __future__ import annotations

import asyncio
import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import text

from oms_kit.auth import Principal
from oms_kit.db import Database
from oms_kit.jobs import JobContext, JobKind, JobRunner, submit_job
from oms_kit.jobs.repository import JobRepository
from oms_kit.jobs.storage import store_file
from verification.config import Settings
from verification.linkage import LinkageModel, train
from verification.models import VerificationRun
from verification.sources import adapter_for, load_answer_file
from verification.sources.records import SourceRecord
from verification.synthetic import SyntheticRegister, generate_register
from verification.synthetic.source_answers import answer_files, source_answers

YEAR = 2025
AS_OF = date(YEAR, 12, 31)
PERIOD = (date(YEAR, 1, 1), date(YEAR, 12, 31))
RUN_PERMISSIONS = frozenset({"verification.run:read", "verification.run:write"})
# Each planted truth → the reason a run must find for its subject.
TRUTH_REASON = {
    "dead": "dead",
    "employed": "employed",
    "entrepreneur": "entrepreneur",
    "military": "military",
    "missing": "missing",
    "name_changed": "personal_data_changed",
    "passport_replaced": "invalid_document",  # 'replaced' with the new one: personal_data_changed
}


def payer(org_id: uuid.UUID) -> Principal:
    return Principal(
        subject="operator",
        org_id=org_id,
        org_type="payer",
        roles=frozenset({"verification_operator"}),
        permissions=RUN_PERMISSIONS,
    )


@dataclass
class World:
    url: str
    database: Database
    settings: Settings
    organization_id: uuid.UUID
    register: SyntheticRegister
    answers: dict[str, list[SourceRecord]] = field(default_factory=dict)

    @property
    def principal(self) -> Principal:
        return payer(self.organization_id)


async def make_world(url: str, size: int, *, seed: int = 20261124) -> World:
    """A database with the sources' answers about a synthetic register of ``size`` records."""
    register = generate_register(size, seed=seed, year=YEAR)
    world = World(
        url=url,
        database=Database(url, pool_size=4),
        settings=Settings(OMS_VERIFICATION_DATABASE_URL=url, env="test"),  # type: ignore[call-arg]
        organization_id=uuid.uuid4(),
        register=register,
    )
    # Another seed than the register's (the strangers have their own stream and never take a
    # register identifier either way).
    world.answers = source_answers(register.records, register.truths, year=YEAR, seed=seed + 1)
    for code, content in answer_files(world.answers, "text/csv").items():
        async with world.database.sessions() as session, session.begin():
            await load_answer_file(
                session, adapter_for(code), content, "text/csv", organization_id=world.organization_id
            )
    return world


def trained_model(size: int = 2000, seed: int = 7) -> LinkageModel:
    """A model trained on a register other than the tests' (injected to skip training)."""
    return train(generate_register(size, seed=seed, year=YEAR).to_arrow())


async def create_run(
    world: World,
    kind: JobKind,
    content: bytes,
    *,
    previous_run_id: uuid.UUID | None = None,
) -> uuid.UUID:
    run_id = uuid.uuid4()
    async with world.database.sessions() as session, session.begin():
        job = await submit_job(session, kind, world.principal, params={"run_id": str(run_id)})
        await store_file(
            session, job.id, role="input", name="register.csv", media_type="text/csv", content=content
        )
        session.add(
            VerificationRun(
                id=run_id,
                organization_id=world.organization_id,
                period_from=PERIOD[0],
                period_to=PERIOD[1],
                as_of=AS_OF,
                register_source="file",
                job_id=job.id,
                previous_run_id=previous_run_id,
                created_by="operator",
            )
        )
    return run_id


async def run_queued(world: World, kind: JobKind) -> None:
    """Run the queued jobs with the kit's runner until none is running."""
    runner = JobRunner(world.database, [kind], world.settings)
    await runner.claim_and_start()
    while runner.running:  # noqa: ASYNC110  (the runner exposes no event for "idle")
        await asyncio.sleep(0.05)


async def crash_queued(world: World, kind: JobKind) -> None:
    """Run a queued job whose pipeline crashes (``crash_after``): the job stays running, as
    after a process crash, and the stale check queues it again (attempt 2 next)."""
    async with world.database.sessions() as session, session.begin():
        [job] = await JobRepository(session).claim([kind.name], 1)
    try:
        await kind.run(JobContext(world.database, job, kind))
    except Exception as exc:
        assert type(exc).__name__ == "StageCrash", exc
    else:
        raise AssertionError("the pipeline was expected to crash")
    async with world.database.sessions() as session, session.begin():
        requeued, _ = await JobRepository(session).requeue_stale(
            [kind.name], older_than_seconds=0, max_attempts=3, error={"title": "", "detail": ""}
        )
    assert requeued == 1


async def job_state(world: World, run_id: uuid.UUID) -> dict[str, Any]:
    async with world.database.sessions() as session:
        row = (
            await session.execute(
                text(
                    "SELECT j.status, j.attempts, j.error, r.finished_stage, r.counts "
                    "FROM verification_run r JOIN job j ON j.id = r.job_id WHERE r.id = :id"
                ),
                {"id": run_id},
            )
        ).one()
    return dict(row._mapping)


async def outcomes_by_record(world: World, run_id: uuid.UUID) -> dict[str, dict[str, Any]]:
    """The run's outcomes keyed by the synthetic record id (the CSV's row N is record N-2); a
    subject without an outcome row is kept."""
    ids = [r.unique_id for r in world.register.records]
    async with world.database.sessions() as session:
        rows = await session.execute(
            text(
                "SELECT e.row_no, e.subject_id, coalesce(o.outcome, 'keep') AS outcome, o.reason, "
                "coalesce(o.reasons, '{}') AS reasons, coalesce(o.months_excluded, 0) AS months_excluded, "
                "o.duplicate_of FROM register_entry e LEFT JOIN outcome o "
                "ON o.run_id = e.run_id AND o.subject_id = e.subject_id WHERE e.run_id = :id"
            ),
            {"id": run_id},
        )
        return {ids[r.row_no - 2]: dict(r._mapping) for r in rows if 2 <= r.row_no < len(ids) + 2}


async def table_counts(world: World, run_id: uuid.UUID) -> dict[str, int]:
    async with world.database.sessions() as session:
        row = (
            await session.execute(
                text(
                    "SELECT (SELECT count(*) FROM register_entry WHERE run_id = :id) AS entries, "
                    "(SELECT count(*) FROM linkage_pair WHERE run_id = :id) AS pairs, "
                    "(SELECT count(DISTINCT pair_key) FROM linkage_pair WHERE run_id = :id) AS pair_keys, "
                    "(SELECT count(*) FROM outcome WHERE run_id = :id) AS outcomes, "
                    "(SELECT count(*) FROM outbox_event WHERE type = 'verification.run.completed' "
                    "   AND envelope->'data'->>'run_id' = CAST(:id AS text)) AS completed_events, "
                    "(SELECT count(*) FROM outbox_event WHERE type = 'verification.person.excluded' "
                    "   AND envelope->'data'->>'run_id' = CAST(:id AS text)) AS excluded_events"
                ),
                {"id": run_id},
            )
        ).one()
    return dict(row._mapping)
