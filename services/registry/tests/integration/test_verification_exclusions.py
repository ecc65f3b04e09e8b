"""The registry's consumer of the verification's exclusions: ``verification.person.excluded``
records the exclusion once per person and run (a redelivery, or the same exclusion again, adds
nothing), ``verification.person.reinstated`` closes the open ones, an event without the
registry person id changes nothing. Through the service's inbox on a database of its own
(the handler commits, as in production)."""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text

from oms_kit.db import Database
from oms_kit.events import Delivery, EventEnvelope
from oms_kit.events.inbox import handle_delivery
from oms_kit.testing.schema import schema_differences
from registry.events.consumed import VerificationPersonExcluded, VerificationPersonReinstated
from registry.events.handlers import handlers
from registry.models import Base, PersonExclusion

PAYER = uuid.uuid4()


def excluded(person_id: uuid.UUID | None, run_id: uuid.UUID, **data: Any) -> EventEnvelope:
    payload = {
        "run_id": str(run_id),
        "organization_id": str(PAYER),
        "subject_id": str(uuid.uuid4()),
        "reason": "employed",
        "reasons": ["employed", "entrepreneur"],
        "months_excluded": 7,
        "duplicate_of": None,
        "person_id": str(person_id) if person_id else None,
        "added_later": "ignored",
    } | data
    return EventEnvelope(type=VerificationPersonExcluded.event_type, source="verification", data=payload)


def reinstated(person_id: uuid.UUID | None, run_id: uuid.UUID, as_of: str = "2026-06-30") -> EventEnvelope:
    payload = {
        "run_id": str(run_id),
        "organization_id": str(PAYER),
        "subject_id": str(uuid.uuid4()),
        "person_id": str(person_id) if person_id else None,
        "as_of": as_of,
    }
    return EventEnvelope(type=VerificationPersonReinstated.event_type, source="verification", data=payload)


def test_the_registry_queue_takes_both_verification_events() -> None:
    assert handlers.queue == "registry"
    assert {"verification.person.excluded", "verification.person.reinstated"} <= set(handlers.routing_keys)


async def test_exclusions_are_recorded_once_and_closed_by_a_reinstatement(
    service_dir: Path, fresh_database: Callable[[Path], Awaitable[str]]
) -> None:
    database = Database(await fresh_database(service_dir))
    person, other = uuid.uuid4(), uuid.uuid4()
    first_run, second_run, third_run = uuid.uuid4(), uuid.uuid4(), uuid.uuid4()
    try:
        async with database.sessions() as session, session.begin():
            await session.execute(
                text("INSERT INTO person (id) VALUES (:a), (:b)"), {"a": person, "b": other}
            )

        async def rows() -> list[PersonExclusion]:
            async with database.sessions() as session:
                stmt = select(PersonExclusion).order_by(PersonExclusion.id)
                return list(await session.scalars(stmt))

        event = excluded(person, first_run)
        assert await handle_delivery(database, handlers, Delivery(event, 1))
        assert not await handle_delivery(database, handlers, Delivery(event, 2))  # redelivery
        # the same exclusion published again (another event id): still one row per person and run
        assert await handle_delivery(database, handlers, Delivery(excluded(person, first_run), 1))
        [row] = await rows()
        assert (row.person_id, row.run_id, row.organization_id) == (person, first_run, PAYER)
        assert (row.reason, row.reasons, row.months_excluded) == ("employed", ["employed", "entrepreneur"], 7)
        assert row.excluded_at == event.time and row.reinstated_at is None

        await handle_delivery(database, handlers, Delivery(excluded(other, first_run, reason="dead"), 1))
        await handle_delivery(
            database, handlers, Delivery(excluded(person, second_run, months_excluded=3), 1)
        )
        closing = reinstated(person, third_run)
        assert await handle_delivery(database, handlers, Delivery(closing, 1))
        by_key = {(r.person_id, r.run_id): r for r in await rows()}
        assert len(by_key) == 3
        for run in (first_run, second_run):
            closed = by_key[(person, run)]
            assert closed.reinstated_at == closing.time and closed.reinstated_on == date(2026, 6, 30)
            assert closed.reinstated_by_run == third_run
        assert by_key[(other, first_run)].reinstated_at is None  # another person's stays open

        # no registry person id (a run on a TFOMS file), or a person the registry does not know:
        # recorded in the inbox, no effect
        for nothing in (
            excluded(None, uuid.uuid4()),
            excluded(uuid.uuid4(), uuid.uuid4()),
            reinstated(None, uuid.uuid4()),
        ):
            assert await handle_delivery(database, handlers, Delivery(nothing, 1))
        assert len(await rows()) == 3
        async with database.sessions() as session:
            open_rows = await session.scalar(
                select(func.count()).where(PersonExclusion.reinstated_at.is_(None))
            )
            inbox = await session.scalar(text("SELECT count(*) FROM inbox_event"))
        assert open_rows == 1 and inbox == 8
    finally:
        await database.dispose()


async def test_a_reinstatement_of_the_same_run_closes_its_exclusion_and_a_later_exclusion_reopens_it(
    service_dir: Path, fresh_database: Callable[[Path], Awaitable[str]]
) -> None:
    """An operator's decision lifting a run's exclusion (``reinstated`` of the same run) closes
    that run's row and the earlier runs' open ones; a later decision excluding the person again
    opens that run's row again; a reinstatement of another payer closes nothing."""
    database = Database(await fresh_database(service_dir))
    person = uuid.uuid4()
    earlier_run, run = uuid.uuid4(), uuid.uuid4()
    try:
        async with database.sessions() as session, session.begin():
            await session.execute(text("INSERT INTO person (id) VALUES (:a)"), {"a": person})

        async def by_run() -> dict[uuid.UUID, PersonExclusion]:
            async with database.sessions() as session:
                return {r.run_id: r for r in await session.scalars(select(PersonExclusion))}

        await handle_delivery(database, handlers, Delivery(excluded(person, earlier_run), 1))
        await handle_delivery(database, handlers, Delivery(excluded(person, run, reason="dead"), 1))
        other_payer = reinstated(person, run)
        other_payer.data["organization_id"] = str(uuid.uuid4())
        assert await handle_delivery(database, handlers, Delivery(other_payer, 1))
        assert all(r.reinstated_at is None for r in (await by_run()).values())

        lifted = reinstated(person, run, as_of="2026-11-30")
        assert await handle_delivery(database, handlers, Delivery(lifted, 1))
        rows = await by_run()
        for closed in rows.values():
            assert (closed.reinstated_at, closed.reinstated_by_run) == (lifted.time, run)
            assert closed.reinstated_on == date(2026, 11, 30)

        again = excluded(person, run, reason="employed", months_excluded=2)
        assert await handle_delivery(database, handlers, Delivery(again, 1))
        rows = await by_run()
        assert rows[run].reinstated_at is None and rows[run].reinstated_by_run is None
        assert (rows[run].reason, rows[run].months_excluded, rows[run].excluded_at) == (
            "employed",
            2,
            again.time,
        )
        assert rows[earlier_run].reinstated_at == lifted.time  # the earlier run's stays closed
        assert len(rows) == 2
    finally:
        await database.dispose()


async def test_migration_0009_creates_the_mapped_exclusion_table(database_url: str) -> None:
    assert await schema_differences(database_url, Base.metadata, {"person_exclusion"}) == []
