"""The events finance reads, delivered through the real inbox (a redelivery changes nothing):

- ``registry.mo.updated`` with a snapshot upserts the MO profile; one without a snapshot (an
  older registry) changes nothing; an older snapshot arriving late does not overwrite a newer;
- ``verification.run.completed`` keeps the run's appropriation forecast and savings;
- ``pharmacy.prescription.dispensed`` adds to the prescribing MO's drug spending of the month
  and funding source once per prescription (also when republished under another event id);
  a payload outside the contract is refused (the handler raises, nothing is kept)."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import select

from finance.events.handlers import handlers
from finance.models import DrugSpending, MoProfile, VerificationSavings
from oms_kit.db import Database
from oms_kit.events import Delivery, EventEnvelope
from oms_kit.events.inbox import handle_delivery


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    db = Database(database_url)
    yield db
    await db.dispose()


def event(kind: str, data: dict[str, Any], at: datetime | None = None) -> EventEnvelope:
    source = kind.split(".", 1)[0]
    return EventEnvelope(type=kind, source=source, data=data, time=at or datetime.now(UTC))


async def deliver(database: Database, envelope: EventEnvelope) -> bool:
    return await handle_delivery(database, handlers, Delivery(envelope, 1))


async def profile(database: Database, mo_id: uuid.UUID) -> tuple[Any, ...] | None:
    async with database.sessions() as session:
        row = await session.get(MoProfile, mo_id)
        if row is None:
            return None
        return (row.founder_id, row.legal_form, row.beds, row.attached_persons, row.territory_oktmo)


async def test_the_mo_profile_follows_the_registry_snapshot(database: Database) -> None:
    mo, founder = uuid.uuid4(), uuid.uuid4()
    snapshot = {
        "as_of": "2026-11-24",
        "founder_id": str(founder),
        "legal_form": "budget",
        "beds": 120,
        "attached_persons": 35_000,
        "territory_oktmo": "99611000",
        "added_later": "ignored",
    }
    assert await deliver(database, event("registry.mo.updated", {"mo_id": str(mo), "part": "room"}))
    assert await profile(database, mo) is None  # no snapshot: nothing kept

    first = event("registry.mo.updated", {"mo_id": str(mo), "part": "passport", "snapshot": snapshot})
    assert await deliver(database, first)
    assert not await deliver(database, first)  # redelivery
    assert await profile(database, mo) == (founder, "budget", 120, 35_000, "99611000")

    newer = event(
        "registry.mo.updated",
        {"mo_id": str(mo), "part": "department", "snapshot": snapshot | {"beds": 140}},
        at=first.time + timedelta(minutes=5),
    )
    older = event(
        "registry.mo.updated",
        {"mo_id": str(mo), "part": "department", "snapshot": snapshot | {"beds": 90}},
        at=first.time + timedelta(minutes=1),
    )
    assert await deliver(database, newer)
    assert await deliver(database, older)  # handled, but older than what is kept
    assert await profile(database, mo) == (founder, "budget", 140, 35_000, "99611000")

    # A profile filled before any snapshot came (the demo's guesses): the first snapshot wins,
    # however old its event.
    guessed = uuid.uuid4()
    async with database.sessions() as session, session.begin():
        session.add(MoProfile(mo_id=guessed, legal_form="budget", beds=10))
    late = event(
        "registry.mo.updated",
        {"mo_id": str(guessed), "part": "snapshot", "snapshot": snapshot},
        at=first.time - timedelta(days=1),
    )
    assert await deliver(database, late)
    assert await profile(database, guessed) == (founder, "budget", 120, 35_000, "99611000")


async def test_a_verification_run_keeps_its_savings(database: Database) -> None:
    run = uuid.uuid4()
    data = {
        "run_id": str(run),
        "organization_id": str(uuid.uuid4()),
        "period_from": "2025-01-01",
        "period_to": "2025-12-31",
        "as_of": "2025-12-31",
        "counts": {"rows_read": 1000},
        "excluded_by_reason": {"dead": 12, "employed": 30},
        "excluded_subject_ids": [],
        "months_excluded": 250,
        "savings_amount": "294760.00",
        "monthly_tariff": "1179.04",
        "actual_register": 958,
        "forecast_year": 2026,
        "appropriation_forecast": "14458024.56",
    }
    envelope = event("verification.run.completed", data)
    assert await deliver(database, envelope)
    assert not await deliver(database, envelope)
    async with database.sessions() as session:
        row = await session.get(VerificationSavings, run)
    assert row is not None
    assert (row.excluded, row.months_excluded, row.savings_amount) == (42, 250, Decimal("294760.00"))
    assert (row.actual_register, row.forecast_year, row.appropriation_forecast) == (
        958,
        2026,
        Decimal("14458024.56"),
    )

    # An older verification without the savings fields: the run is kept, its savings unknown.
    bare = {k: v for k, v in data.items() if k not in ("months_excluded", "savings_amount", "monthly_tariff")}
    other = uuid.uuid4()
    assert await deliver(database, event("verification.run.completed", bare | {"run_id": str(other)}))
    async with database.sessions() as session:
        kept = await session.get(VerificationSavings, other)
    assert kept is not None and kept.savings_amount is None and kept.appropriation_forecast is not None


def dispensed(
    mo: uuid.UUID, source: str, amount: str, at: str, prescription: uuid.UUID | None = None
) -> dict:
    return {
        "prescription_id": str(prescription or uuid.uuid4()),
        "pharmacy_id": str(uuid.uuid4()),
        "mo_id": str(mo),
        "dispensed_at": at,
        "funding_source": source,
        "amount": amount,
        "drug_inn": "Метформин",
    }


async def test_drug_spending_is_counted_once_per_prescription(database: Database) -> None:
    mo = uuid.uuid4()
    repeated = uuid.uuid4()
    events = [
        event(
            "pharmacy.prescription.dispensed",
            dispensed(mo, "federal", "1200.50", "2026-10-03T10:00:00+03:00"),
        ),
        event(
            "pharmacy.prescription.dispensed", dispensed(mo, "federal", "99.50", "2026-10-30T12:00:00+03:00")
        ),
        event(
            "pharmacy.prescription.dispensed", dispensed(mo, "regional", "300", "2026-10-15T09:00:00+03:00")
        ),
        event(
            "pharmacy.prescription.dispensed",
            dispensed(mo, "regional", "40", "2026-11-02T09:00:00+03:00", repeated),
        ),
    ]
    for e in events:
        assert await deliver(database, e)
    assert not await deliver(database, events[0])  # the same event again
    # The same prescription published again under a new event id is not counted twice.
    assert await deliver(
        database,
        event(
            "pharmacy.prescription.dispensed",
            dispensed(mo, "regional", "40", "2026-11-02T09:00:00+03:00", repeated),
        ),
    )
    async with database.sessions() as session:
        rows = (
            await session.execute(
                select(
                    DrugSpending.month,
                    DrugSpending.funding_source,
                    DrugSpending.amount,
                    DrugSpending.prescriptions,
                )
                .where(DrugSpending.mo_id == mo)
                .order_by(DrugSpending.month, DrugSpending.funding_source)
            )
        ).all()
    assert [tuple(r) for r in rows] == [
        (date(2026, 10, 1), "federal", Decimal("1300.00"), 2),
        (date(2026, 10, 1), "regional", Decimal("300.00"), 1),
        (date(2026, 11, 1), "regional", Decimal("40.00"), 1),
    ]

    bad = event(
        "pharmacy.prescription.dispensed", dispensed(mo, "municipal", "10", "2026-11-02T09:00:00+03:00")
    )
    with pytest.raises(ValidationError):
        await deliver(database, bad)
    negative = event(
        "pharmacy.prescription.dispensed", dispensed(mo, "federal", "-5", "2026-11-02T09:00:00+03:00")
    )
    with pytest.raises(ValidationError):
        await deliver(database, negative)
