"""The registry's events through the real inbox (a redelivery changes nothing): a death
suspends the entitlement from its date, its retraction restores it, an older event arriving
late does not undo a newer one; a merge lets either id see both records, an unmerge separates
them again."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from oms_kit.auth import Principal
from oms_kit.db import Database
from oms_kit.events import Delivery, EventEnvelope
from oms_kit.events.inbox import handle_delivery
from pharmacy.beneficiaries import service
from pharmacy.events.handlers import handlers
from pharmacy.models import Beneficiary, Entitlement

READER = Principal(subject="pharmacist", org_id=uuid.uuid4(), roles=frozenset({"pharmacist"}))


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    db = Database(database_url)
    yield db
    await db.dispose()


def event(kind: str, data: dict[str, Any], at: datetime) -> EventEnvelope:
    return EventEnvelope(type=kind, source="registry", data=data, time=at)


async def deliver(database: Database, envelope: EventEnvelope) -> bool:
    return await handle_delivery(database, handlers, Delivery(envelope, 1))


async def registered(database: Database, category: str = "083") -> uuid.UUID:
    person = uuid.uuid4()
    async with database.sessions() as session, session.begin():
        b = Beneficiary(
            id=uuid.uuid4(), person_id=person, surname="Орлов", first_name="Пётр", source="manual"
        )
        session.add(b)
        await session.flush()
        session.add(
            Entitlement(
                id=uuid.uuid4(),
                beneficiary_id=b.id,
                category_code=category,
                valid_from=date(2020, 1, 1),
                source="manual",
            )
        )
    return person


async def categories_on(database: Database, person: uuid.UUID, on: date) -> tuple[list[str], list[str]]:
    async with database.sessions() as session, session.begin():
        answer = await service.entitlement(session, READER, person, on)
    return [c.code for c in answer.categories], [r.reason for r in answer.reasons]


async def test_a_death_suspends_from_its_date_and_its_retraction_restores(database: Database) -> None:
    person = await registered(database)
    t0 = datetime.now(UTC)
    died = event("registry.person.died", {"person_id": str(person), "oip": 1, "death_date": "2026-03-10"}, t0)
    assert await deliver(database, died)
    assert not await deliver(database, died)  # redelivery: nothing more
    assert await categories_on(database, person, date(2026, 3, 9)) == (["083"], [])
    assert await categories_on(database, person, date(2026, 3, 10)) == ([], ["dead"])

    retracted = event(
        "registry.person.death_retracted",
        {"person_id": str(person), "oip": 1, "retracted_death_date": "2026-03-10"},
        t0 + timedelta(minutes=5),
    )
    assert await deliver(database, retracted)
    assert await categories_on(database, person, date(2026, 6, 1)) == (["083"], [])

    late = event(
        "registry.person.died",
        {"person_id": str(person), "oip": 1, "death_date": "2026-03-10"},
        t0 + timedelta(minutes=1),
    )
    assert await deliver(database, late)  # older than the retraction: stays withdrawn
    assert await categories_on(database, person, date(2026, 6, 1)) == (["083"], [])


async def test_a_merge_joins_the_records_and_an_unmerge_separates_them(database: Database) -> None:
    survivor = await registered(database, "083")
    merged = await registered(database, "r-asthma")
    t0 = datetime.now(UTC)
    ids = {"merge_id": str(uuid.uuid4()), "survivor_id": str(survivor), "merged_id": str(merged)}
    ids |= {"survivor_oip": 1, "merged_oip": 2}
    merge = event("registry.person.merged", ids, t0)
    assert await deliver(database, merge)
    assert not await deliver(database, merge)
    assert (await categories_on(database, survivor, date(2026, 6, 1)))[0] == ["083", "r-asthma"]
    assert (await categories_on(database, merged, date(2026, 6, 1)))[0] == ["083", "r-asthma"]

    unmerge = event("registry.person.unmerged", ids, t0 + timedelta(minutes=1))
    assert await deliver(database, unmerge)
    assert (await categories_on(database, survivor, date(2026, 6, 1)))[0] == ["083"]
    assert (await categories_on(database, merged, date(2026, 6, 1)))[0] == ["r-asthma"]
