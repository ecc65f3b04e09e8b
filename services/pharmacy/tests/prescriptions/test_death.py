"""``registry.person.died`` through the real inbox: the person's open prescriptions (issued and
deferred, of the merged ids too) are cancelled, their reservations released, their deferred
service entries cancelled, ``pharmacy.prescription.cancelled`` published for each; dispensed
ones and other persons' stay; a redelivery changes nothing; a late death older than its
retraction cancels nothing."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select, text
from tests.cleanup import Committed

from oms_kit.db import Database
from oms_kit.events import Delivery, EventEnvelope
from oms_kit.events.inbox import handle_delivery
from pharmacy.events.handlers import handlers
from pharmacy.models import DeferredService, PersonMerge, Prescription, Reservation, StockBatch
from pharmacy.prescriptions import service

from . import support


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    db = Database(database_url)
    yield db
    await db.dispose()


def died(person: uuid.UUID, at: datetime, on: str = "2026-11-20") -> EventEnvelope:
    return EventEnvelope(
        type="registry.person.died",
        source="registry",
        data={"person_id": str(person), "oip": 1, "death_date": on},
        time=at,
    )


async def deliver(database: Database, envelope: EventEnvelope) -> bool:
    return await handle_delivery(database, handlers, Delivery(envelope, 1))


async def cancelled_events(database: Database, ids: list[uuid.UUID]) -> list[dict[str, Any]]:
    async with database.sessions() as session:
        rows = await session.execute(
            text(
                "SELECT envelope FROM outbox_event WHERE type = 'pharmacy.prescription.cancelled' "
                "AND envelope->>'subject' = ANY(:ids)"
            ),
            {"ids": [str(i) for i in ids]},
        )
        return [r[0] for r in rows]


async def test_a_death_cancels_open_prescriptions_and_releases_their_reservations(
    database: Database, committed: Committed
) -> None:
    async with database.sessions() as session, session.begin():
        mo = await support.organization(session, "mo", f"99{uuid.uuid4().int % 10_000:04d}")
        committed.organizations.append(mo)
        pharmacy = await support.organization(session, "pharmacy", "990101")
        committed.organizations.append(pharmacy)
        drug = await support.drug(session)
        committed.drugs.append(drug.id)
        person = await support.beneficiary(session)
        committed.beneficiaries.append(person.id)
        twin = await support.beneficiary(session, surname="Орлова-дубль")
        committed.beneficiaries.append(twin.id)
        other = await support.beneficiary(session)
        committed.beneficiaries.append(other.id)
        session.add(
            PersonMerge(
                merge_id=uuid.uuid4(),
                survivor_id=person.person_id,
                merged_id=twin.person_id,
                event_time=datetime.now(UTC) - timedelta(days=1),
            )
        )
        stock = await support.batch(session, pharmacy, drug, 5, reserved=2)
        reserved = await support.prescription_row(session, person, drug, mo, pharmacy_id=pharmacy)
        session.add(
            Reservation(
                id=uuid.uuid4(),
                prescription_id=reserved.id,
                pharmacy_id=pharmacy,
                batch_id=stock.id,
                quantity=2,
                expires_at=datetime.now(UTC) + timedelta(days=5),
                created_by="doctor",
            )
        )
        deferred = await support.prescription_row(
            session, twin, drug, mo, status="deferred", pharmacy_id=pharmacy
        )
        session.add(
            DeferredService(
                prescription_id=deferred.id,
                pharmacy_id=pharmacy,
                kind="preferential",
                requested_on=date.today(),
                deadline=date.today() + timedelta(days=14),
                registered_by="pharmacist",
            )
        )
        dispensed = await support.prescription_row(session, person, drug, mo, status="dispensed")
        others = await support.prescription_row(session, other, drug, mo)
        # Its term ran out before the death: expired, not open — left as it is.
        lapsed = await support.prescription_row(
            session, person, drug, mo, issued_on=date(2026, 9, 1), valid_until=date(2026, 10, 1)
        )
        ids = [reserved.id, deferred.id, dispensed.id, others.id, lapsed.id]
        batch_id = stock.id
        survivor = person.person_id
    assert survivor is not None

    envelope = died(survivor, datetime.now(UTC))
    assert await deliver(database, envelope)
    assert not await deliver(database, envelope)  # redelivery: the inbox has it

    async with database.sessions() as session:
        status = dict(
            (
                await session.execute(
                    select(Prescription.id, Prescription.status).where(Prescription.id.in_(ids))
                )
            ).all()
        )
        assert status == {
            reserved.id: "cancelled",
            deferred.id: "cancelled",
            dispensed.id: "dispensed",
            others.id: "issued",
            lapsed.id: "issued",
        }
        reason = await session.scalar(
            select(Prescription.cancel_reason).where(Prescription.id == reserved.id)
        )
        assert reason == "Смерть пациента 20.11.2026"
        active = await session.scalar(
            select(func.count())
            .select_from(Reservation)
            .where(Reservation.prescription_id == reserved.id, Reservation.status == "active")
        )
        assert active == 0
        assert (await session.get_one(StockBatch, batch_id)).reserved == 0
        entry = await session.get_one(DeferredService, deferred.id)
        assert entry.status == "cancelled"

    events = await cancelled_events(database, ids)
    assert sorted(e["data"]["prescription_id"] for e in events) == sorted(
        [str(reserved.id), str(deferred.id)]
    )
    assert {e["data"]["cause"] for e in events} == {"death"}
    # each cancellation changed the person's data without a user: audited with the consumer as actor
    async with database.sessions() as session:
        audited = (
            await session.execute(
                text(
                    "SELECT person_id, actor, actor_kind, action, reason FROM audit_log "
                    "WHERE person_id = ANY(:persons) AND resource = 'pharmacy.prescription'"
                ),
                {"persons": [survivor, twin.person_id, other.person_id]},
            )
        ).all()
    assert sorted((r.person_id, r.actor, r.actor_kind, r.action) for r in audited) == sorted(
        [
            (survivor, "system:pharmacy.registry-consumer", "api_key", "update"),
            (twin.person_id, "system:pharmacy.registry-consumer", "api_key", "update"),
        ]
    )
    assert all(r.reason.startswith("Смерть пациента 20.11.2026: рецепт ") for r in audited)

    # The same death again (another event id) finds nothing open: nothing changes.
    assert await deliver(database, died(survivor, datetime.now(UTC)))
    assert len(await cancelled_events(database, ids)) == 2
    async with database.sessions() as session, session.begin():
        assert (
            await service.cancel_open_for_person(
                session, [survivor], reason="again", open_on=date(2026, 11, 20)
            )
            == 0
        )


async def test_a_late_death_older_than_its_retraction_cancels_nothing(
    database: Database, committed: Committed
) -> None:
    async with database.sessions() as session, session.begin():
        mo = await support.organization(session, "mo", "990002")
        committed.organizations.append(mo)
        drug = await support.drug(session)
        committed.drugs.append(drug.id)
        person = await support.beneficiary(session)
        committed.beneficiaries.append(person.id)
        open_one = await support.prescription_row(session, person, drug, mo)
    assert person.person_id is not None
    t0 = datetime.now(UTC)
    retracted = EventEnvelope(
        type="registry.person.death_retracted",
        source="registry",
        data={"person_id": str(person.person_id), "oip": 1, "retracted_death_date": "2026-11-20"},
        time=t0,
    )
    assert await deliver(database, retracted)
    assert await deliver(database, died(person.person_id, t0 - timedelta(minutes=1)))
    async with database.sessions() as session:
        assert (await session.get_one(Prescription, open_one.id)).status == "issued"
