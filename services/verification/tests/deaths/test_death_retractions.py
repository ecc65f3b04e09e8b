"""``registry.person.death_retracted``: a death the registry withdrew stops counting.

- the person's ``registry_death`` row goes (a redelivery changes nothing), the retraction is
  kept with its event's time, and a death recorded after it counts again;
- a death event older than the retraction arriving after it stays withdrawn, also when the
  retraction names the date of a correction the service has not seen yet;
- a retraction arriving late (older than a death of another date the registry recorded after
  it) leaves that death; one of the same date removes it;
- a retraction handled while a death of the person is being recorded waits for it, and removes
  it.
(A run after a retraction keeps the person: ``test_registry_deaths``.)"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from oms_kit.db import Database
from oms_kit.events import Delivery, EventEnvelope
from oms_kit.events.inbox import handle_delivery
from verification.deaths import RegistryDeathRepository
from verification.events.consumed import RegistryPersonDeathRetracted, RegistryPersonDied
from verification.events.handlers import handlers

T0 = datetime(2026, 11, 24, 9, 0, tzinfo=UTC)


def died(person_id: uuid.UUID, death_date: date, at: datetime) -> EventEnvelope:
    data = {"person_id": str(person_id), "oip": 7, "death_date": death_date.isoformat()}
    return EventEnvelope(type=RegistryPersonDied.event_type, source="registry", data=data, time=at)


def retracted(person_id: uuid.UUID, death_date: date, at: datetime) -> EventEnvelope:
    data = {"person_id": str(person_id), "oip": 7, "retracted_death_date": death_date.isoformat(), "later": 1}
    return EventEnvelope(type=RegistryPersonDeathRetracted.event_type, source="registry", data=data, time=at)


def minutes(n: int) -> datetime:
    return T0 + timedelta(minutes=n)


@pytest.fixture(scope="module")
async def database(
    service_dir: Path, fresh_database: Callable[[Path], Awaitable[str]]
) -> AsyncIterator[Database]:
    db = Database(await fresh_database(service_dir))
    yield db
    await db.dispose()


async def deliver(database: Database, *envelopes: EventEnvelope) -> None:
    for envelope in envelopes:
        assert await handle_delivery(database, handlers, Delivery(envelope, 1))


async def death_of(database: Database, person: uuid.UUID) -> tuple[Any, ...] | None:
    async with database.sessions() as session:
        row = (
            await session.execute(
                text("SELECT death_date, event_id FROM registry_death WHERE person_id = :p"), {"p": person}
            )
        ).first()
        return tuple(row) if row else None


async def retraction_of(database: Database, person: uuid.UUID) -> tuple[Any, ...] | None:
    async with database.sessions() as session:
        row = (
            await session.execute(
                text(
                    "SELECT death_date, event_id, event_time FROM registry_death_retraction "
                    "WHERE person_id = :p"
                ),
                {"p": person},
            )
        ).first()
        return tuple(row) if row else None


async def test_a_retracted_death_is_forgotten_once_and_a_later_death_counts_again(database: Database) -> None:
    person, other = uuid.uuid4(), uuid.uuid4()
    await deliver(
        database, died(person, date(2025, 5, 1), minutes(0)), died(other, date(2025, 5, 1), minutes(0))
    )
    retraction = retracted(person, date(2025, 5, 1), minutes(10))
    assert "registry.person.death_retracted" in handlers.routing_keys
    await deliver(database, retraction)
    assert not await handle_delivery(database, handlers, Delivery(retraction, 2))  # redelivery
    assert await death_of(database, person) is None
    assert await retraction_of(database, person) == (date(2025, 5, 1), retraction.id, minutes(10))
    assert await death_of(database, other) is not None  # another person's death stays

    # Recorded again after the retraction (the withdrawal itself was the error): dead again.
    again = died(person, date(2025, 5, 1), minutes(20))
    await deliver(database, again)
    assert await death_of(database, person) == (date(2025, 5, 1), again.id)


async def test_an_older_death_arriving_after_the_retraction_stays_withdrawn(database: Database) -> None:
    person = uuid.uuid4()
    await deliver(database, retracted(person, date(2025, 5, 1), minutes(10)))
    await deliver(database, died(person, date(2025, 5, 1), minutes(0)))
    assert await death_of(database, person) is None

    # The registry's correction (a death of another date) was withdrawn; the first death, and
    # then the correction, arrive after the retraction: neither counts.
    corrected = uuid.uuid4()
    await deliver(database, died(corrected, date(2025, 5, 1), minutes(0)))
    await deliver(database, retracted(corrected, date(2025, 4, 28), minutes(10)))
    assert await death_of(database, corrected) is None  # learnt of before the retraction
    await deliver(database, died(corrected, date(2025, 4, 28), minutes(5)))
    assert await death_of(database, corrected) is None
    # An older retraction arriving later still does not move the tombstone back.
    await deliver(database, retracted(corrected, date(2025, 5, 1), minutes(3)))
    assert (await retraction_of(database, corrected) or ())[:1] == (date(2025, 4, 28),)
    await deliver(database, died(corrected, date(2025, 4, 28), minutes(7)))
    assert await death_of(database, corrected) is None


async def test_a_late_retraction_leaves_a_later_death_of_another_date(database: Database) -> None:
    person = uuid.uuid4()
    later = died(person, date(2025, 6, 2), minutes(20))
    await deliver(database, died(person, date(2025, 6, 1), minutes(0)), later)
    # Withdrawn at minute 10 (before the death of 2 June was recorded), delivered after it.
    await deliver(database, retracted(person, date(2025, 6, 1), minutes(10)))
    assert await death_of(database, person) == (date(2025, 6, 2), later.id)
    # The same date is the death withdrawn, whatever the times say.
    await deliver(database, retracted(person, date(2025, 6, 2), minutes(15)))
    assert await death_of(database, person) is None


async def test_a_retraction_waits_for_a_death_being_recorded(database: Database) -> None:
    person = uuid.uuid4()
    async with database.sessions() as session, session.begin():
        await RegistryDeathRepository(session).record(
            person, date(2025, 7, 1), event_id=uuid.uuid4(), event_time=minutes(0)
        )
        waiting = asyncio.create_task(deliver(database, retracted(person, date(2025, 7, 1), minutes(10))))
        done, _ = await asyncio.wait({waiting}, timeout=0.5)
        assert not done  # the death's transaction is still open: the retraction waits for it
    await asyncio.wait_for(waiting, timeout=10)
    assert await death_of(database, person) is None
