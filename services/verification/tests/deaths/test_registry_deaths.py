"""Registry deaths and the events that name registry persons.

- ``registry.person.died`` is stored once per person (a redelivery changes nothing), a later
  event with another date replaces it, an older one arriving late does not;
- a run whose register persons are registry persons (subject key ``person:<id>``, as a register
  taken from ``registry`` has) excludes a person with a recorded death as dead from the month
  after the death (the civil registry's rule), with the registry as the evidence's source, at
  probability 1 (no review band), and resumes after a crash without doing it twice;
- ``verification.person.excluded`` carries the registry person; the next run publishes
  ``verification.person.reinstated`` for each person the previous run excluded and it keeps,
  once even when its decisions stage crashed half-way and ran again."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from tests.runs.run_support import (
    World,
    crash_queued,
    create_run,
    job_state,
    make_world,
    run_queued,
    trained_model,
)

from oms_kit.db import Database
from oms_kit.events import Delivery, EventEnvelope
from oms_kit.events.inbox import handle_delivery
from oms_kit.jobs import JobContext
from oms_kit.jobs.repository import JobRepository
from verification.deaths import REGISTRY_DEATH_KIND, REGISTRY_SOURCE_TITLE
from verification.events.consumed import RegistryPersonDeathRetracted, RegistryPersonDied
from verification.events.handlers import handlers
from verification.linkage import LinkageModel
from verification.register.writer import register_csv
from verification.runs.person_events import PersonEventRepository
from verification.runs.pipeline import RunPipeline, run_kind
from verification.runs.pipeline_repository import PipelineRepository
from verification.runs.stages import DECISIONS, LOADING

SIZE = 600
PERSONS = uuid.UUID("6d1f7f5e-3a52-4c8e-9d0b-0f7c1c1a2b3c")
# Death date → the months of 2025 excluded (from the month after the death, as for ЗАГС).
DEATHS = {date(2025, 3, 14): (date(2025, 4, 1), 9), date(2025, 7, 31): (date(2025, 8, 1), 5)}


def person_of(row_no: int) -> uuid.UUID:
    """The registry person behind a register row (the same in every run)."""
    return uuid.uuid5(PERSONS, str(row_no))


def died(person_id: uuid.UUID, death_date: date, *, at: datetime | None = None) -> EventEnvelope:
    data = {"person_id": str(person_id), "oip": 7, "death_date": death_date.isoformat(), "later": 1}
    return EventEnvelope(
        type=RegistryPersonDied.event_type, source="registry", data=data, time=at or datetime.now(UTC)
    )


async def test_a_death_is_stored_once_and_a_later_event_replaces_the_date(
    service_dir: Path, fresh_database: Callable[[Path], Awaitable[str]]
) -> None:
    database = Database(await fresh_database(service_dir))
    person = uuid.uuid4()
    first = died(person, date(2025, 5, 1))
    try:
        assert "registry.person.died" in handlers.routing_keys
        assert await handle_delivery(database, handlers, Delivery(first, 1))
        assert not await handle_delivery(database, handlers, Delivery(first, 2))  # redelivery
        rows = await _deaths(database)
        assert rows == [(person, date(2025, 5, 1), first.id)]

        corrected = died(person, date(2025, 4, 28), at=first.time + timedelta(minutes=5))
        assert await handle_delivery(database, handlers, Delivery(corrected, 1))
        stale = died(person, date(2025, 6, 1), at=first.time - timedelta(minutes=5))
        assert await handle_delivery(database, handlers, Delivery(stale, 1))  # handled, no effect
        assert await _deaths(database) == [(person, date(2025, 4, 28), corrected.id)]
    finally:
        await database.dispose()


async def _deaths(database: Database) -> list[tuple[Any, ...]]:
    async with database.sessions() as session:
        rows = await session.execute(text("SELECT person_id, death_date, event_id FROM registry_death"))
        return [tuple(r) for r in rows]


@pytest.fixture(scope="module")
async def world(service_dir: Path, fresh_database: Callable[[Path], Awaitable[str]]) -> AsyncIterator[World]:
    w = await make_world(await fresh_database(service_dir), SIZE, seed=5)
    yield w
    await w.database.dispose()


@pytest.fixture(scope="module")
def model() -> LinkageModel:
    return trained_model()


async def as_registry_persons(world: World, run_id: uuid.UUID) -> None:
    """The loaded register's subjects become registry persons, as a register taken from
    ``registry`` keys them: each row's subject is ``person:<person_of(row)>``."""
    async with world.database.sessions() as session, session.begin():
        rows = [
            r[0]
            for r in await session.execute(
                text("SELECT row_no FROM register_entry WHERE run_id = :id"), {"id": run_id}
            )
        ]
        mapping = (
            "SELECT unnest(CAST(:rows AS int[])) AS row_no, unnest(CAST(:persons AS uuid[])) AS person_id"
        )
        params = {"id": run_id, "rows": rows, "persons": [str(person_of(n)) for n in rows]}
        await session.execute(
            text(
                f"INSERT INTO subject (id, key, first_run_id) SELECT gen_random_uuid(), "  # noqa: S608
                f"'person:' || m.person_id, :id FROM ({mapping}) m ON CONFLICT (key) DO NOTHING"
            ),
            params,
        )
        await session.execute(
            text(
                f"UPDATE register_entry e SET subject_id = s.id FROM ({mapping}) m "  # noqa: S608
                "JOIN subject s ON s.key = 'person:' || m.person_id "
                "WHERE e.run_id = :id AND e.row_no = m.row_no"
            ),
            params,
        )


async def loaded_as_registry_persons(world: World, model: LinkageModel) -> uuid.UUID:
    """A run whose loading stage is done (the job crashed after it) over registry persons."""
    crashing = run_kind(RunPipeline(model=model, crash_after=LOADING))
    run_id = await create_run(world, crashing, register_csv(world.register.records))
    await crash_queued(world, crashing)
    await as_registry_persons(world, run_id)
    return run_id


def clean_rows(world: World, count: int) -> list[int]:
    """Rows of persons without any planted truth (a run keeps them unless told otherwise)."""
    planted = {t.subject_id for t in world.register.truths} | {
        t.duplicate_of for t in world.register.truths if t.duplicate_of
    }
    rows = [n + 2 for n, r in enumerate(world.register.records) if r.unique_id not in planted]
    return rows[10 : 10 + count]


async def outcomes(world: World, run_id: uuid.UUID) -> dict[int, dict[str, Any]]:
    async with world.database.sessions() as session:
        rows = await session.execute(
            text(
                "SELECT e.row_no, e.subject_id, coalesce(o.outcome, 'keep') AS outcome, o.reason, "
                "o.months_excluded, o.periods, o.evidence FROM register_entry e LEFT JOIN outcome o "
                "ON o.run_id = e.run_id AND o.subject_id = e.subject_id WHERE e.run_id = :id"
            ),
            {"id": run_id},
        )
        return {r.row_no: dict(r._mapping) for r in rows}


async def events(world: World, run_id: uuid.UUID, event_type: str) -> list[dict[str, Any]]:
    async with world.database.sessions() as session:
        rows = await session.execute(
            text(
                "SELECT envelope->'data' FROM outbox_event WHERE type = :type "
                "AND envelope->'data'->>'run_id' = CAST(:id AS text)"
            ),
            {"id": str(run_id), "type": event_type},
        )
        return [r[0] for r in rows]


@pytest.fixture(scope="module")
async def first_run(world: World, model: LinkageModel) -> tuple[uuid.UUID, dict[date, int]]:
    """Registry persons, two of them with a death the registry recorded (one event delivered
    twice), resumed after the loading stage."""
    run_id = await loaded_as_registry_persons(world, model)
    dead_rows = dict(zip(DEATHS, clean_rows(world, len(DEATHS)), strict=True))
    for death_date, row in dead_rows.items():
        envelope = died(person_of(row), death_date)
        assert await handle_delivery(world.database, handlers, Delivery(envelope, 1))
        assert not await handle_delivery(world.database, handlers, Delivery(envelope, 2))
    kind = run_kind(RunPipeline(model=model))
    await run_queued(world, kind)
    state = await job_state(world, run_id)
    assert state["status"] == "succeeded", state
    return run_id, dead_rows


async def test_a_registry_death_excludes_the_person_from_the_month_after_it(
    world: World, first_run: tuple[uuid.UUID, dict[date, int]]
) -> None:
    run_id, dead_rows = first_run
    async with world.database.sessions() as session:
        assert await session.scalar(text("SELECT count(*) FROM registry_death")) == len(DEATHS)
    found = await outcomes(world, run_id)
    for death_date, row in dead_rows.items():
        first_month, months = DEATHS[death_date]
        outcome = found[row]
        assert (outcome["outcome"], outcome["reason"], outcome["months_excluded"]) == (
            "exclude",
            "dead",
            months,
        )
        assert outcome["periods"] == [
            {"reason": "dead", "from": first_month.isoformat(), "to": "2025-12-31", "months": months}
        ]
        [item] = outcome["evidence"]["items"]
        assert item == {
            "reason": "dead",
            "status": "auto",
            "match_probability": 1.0,
            "kind": REGISTRY_DEATH_KIND,
            "source": REGISTRY_SOURCE_TITLE,
            "date_from": death_date.isoformat(),
        }
    # The persons without a recorded death and without planted truths are kept.
    assert all(found[row]["outcome"] == "keep" for row in clean_rows(world, 10)[len(DEATHS) :])


async def test_excluded_events_name_the_registry_person(
    world: World, first_run: tuple[uuid.UUID, dict[date, int]]
) -> None:
    run_id, dead_rows = first_run
    found = await outcomes(world, run_id)
    excluded = await events(world, run_id, "verification.person.excluded")
    by_subject = {e["subject_id"]: e for e in excluded}
    assert len(by_subject) == len(excluded) == sum(o["outcome"] == "exclude" for o in found.values())
    row_of = {str(o["subject_id"]): row for row, o in found.items()}
    assert all(e["person_id"] == str(person_of(row_of[s])) for s, e in by_subject.items())
    for row in dead_rows.values():
        assert by_subject[str(found[row]["subject_id"])]["reason"] == "dead"
    # The first run of the organization reinstates nobody.
    assert await events(world, run_id, "verification.person.reinstated") == []


async def crash_in_decisions(world: World, kind: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Run the queued job with its decisions stage failing at its last statement (the events
    were added in its transaction); the stale check queues it again."""
    finish = PipelineRepository.finish_stage

    async def failing(
        self: PipelineRepository, run_id: uuid.UUID, stage: str, counts: dict[str, Any]
    ) -> None:
        if stage == DECISIONS:
            raise ConnectionResetError("the process died before the commit")
        await finish(self, run_id, stage, counts)

    monkeypatch.setattr(PipelineRepository, "finish_stage", failing)
    async with world.database.sessions() as session, session.begin():
        [job] = await JobRepository(session).claim([kind.name], 1)
    with pytest.raises(ConnectionResetError):
        await kind.run(JobContext(world.database, job, kind))
    monkeypatch.undo()
    async with world.database.sessions() as session, session.begin():
        requeued, _ = await JobRepository(session).requeue_stale(
            [kind.name], older_than_seconds=0, max_attempts=3, error={"title": "", "detail": ""}
        )
    assert requeued == 1


async def test_the_next_run_reinstates_whom_it_keeps_once_after_a_crash(
    world: World,
    model: LinkageModel,
    first_run: tuple[uuid.UUID, dict[date, int]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    first_id, dead_rows = first_run
    second_id = await loaded_as_registry_persons(world, model)
    # The registry withdrew one of the deaths (recorded in error): the next run keeps the person.
    withdrawn, kept_dead = list(dead_rows.values())
    [withdrawn_date] = [d for d, row in dead_rows.items() if row == withdrawn]
    retraction = EventEnvelope(
        type=RegistryPersonDeathRetracted.event_type,
        source="registry",
        data={"person_id": str(person_of(withdrawn)), "oip": 7, "retracted_death_date": str(withdrawn_date)},
    )
    assert await handle_delivery(world.database, handlers, Delivery(retraction, 1))
    async with world.database.sessions() as session:
        assert (
            await session.scalar(
                text("SELECT count(*) FROM registry_death WHERE person_id = :p"), {"p": person_of(withdrawn)}
            )
            == 0
        )
    kind = run_kind(RunPipeline(model=model))
    await crash_in_decisions(world, kind, monkeypatch)
    assert await events(world, second_id, "verification.person.reinstated") == []
    assert (await job_state(world, second_id))["finished_stage"] == "rules"
    await run_queued(world, kind)
    assert (await job_state(world, second_id))["status"] == "succeeded"

    before, after = await outcomes(world, first_id), await outcomes(world, second_id)
    assert after[withdrawn]["outcome"] == "keep" and after[kept_dead]["reason"] == "dead"
    expected = {
        (str(after[row]["subject_id"]), str(person_of(row)))
        for row, o in before.items()
        if o["outcome"] == "exclude" and row in after and after[row]["outcome"] not in ("exclude", "review")
    }
    reinstated = await events(world, second_id, "verification.person.reinstated")
    assert len(expected) >= 1
    assert len(reinstated) == len(expected)  # once each, the crashed attempt's events rolled back
    assert {(e["subject_id"], e["person_id"]) for e in reinstated} == expected
    assert (str(after[withdrawn]["subject_id"]), str(person_of(withdrawn))) in expected
    assert {e["as_of"] for e in reinstated} == {"2025-12-31"}
    excluded = await events(world, second_id, "verification.person.excluded")
    assert len(excluded) == sum(o["outcome"] == "exclude" for o in after.values())


async def test_the_run_counts_the_source_answers_it_checked_against(
    world: World, first_run: tuple[uuid.UUID, dict[date, int]]
) -> None:
    """``sources_used``: by source, the answers (one file each here) and the records whose
    dates touch the period — counted from the answers in hand, each fact once."""
    run_id, _ = first_run
    counts = (await job_state(world, run_id))["counts"]
    expected = {
        code: len(
            {
                f.fingerprint()
                for f in facts
                if (f.date_from is None or f.date_from <= date(2025, 12, 31))
                and (f.date_to is None or f.date_to >= date(2025, 1, 1))
            }
        )
        for code, facts in world.answers.items()
    }
    assert counts["sources_used"] == {
        code: {"batches": 1, "records": records} for code, records in expected.items()
    }
    assert all(records > 0 for records in expected.values())


async def test_the_registry_person_of_subjects_as_the_review_names_them(
    world: World, first_run: tuple[uuid.UUID, dict[date, int]]
) -> None:
    """An operator's decision that excludes a person announces it with the registry person
    too: ``PersonEventRepository.registry_persons`` (file-keyed subjects have none)."""
    run_id, _ = first_run
    found = await outcomes(world, run_id)
    rows = sorted(found)[:5]
    async with world.database.sessions() as session:
        other = await session.scalar(text("SELECT id FROM subject WHERE key NOT LIKE 'person:%' LIMIT 1"))
        persons = await PersonEventRepository(session).registry_persons(
            [found[row]["subject_id"] for row in rows] + [other]
        )
        assert await PersonEventRepository(session).registry_persons([]) == {}
    assert other is not None
    assert persons == {found[row]["subject_id"]: person_of(row) for row in rows}
