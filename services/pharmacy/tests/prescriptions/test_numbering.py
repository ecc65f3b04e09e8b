"""Numbers per series are gapless under concurrency: 20 issues at once, each in its own
transaction on its own connection, get 20 distinct consecutive numbers; an issue rolled back
gives its number back. The series from the MO's code: its last five digits. An issue racing a
death being recorded waits for it and is refused."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import UTC, date, datetime

import pytest
from tests.cleanup import Committed

from oms_kit.auth import Principal
from oms_kit.db import Database
from pharmacy.beneficiaries import repository as beneficiaries
from pharmacy.config import Settings
from pharmacy.prescriptions import service
from pharmacy.prescriptions.errors import IssueRefused
from pharmacy.prescriptions.schemas import PrescriptionIn

from . import support

SETTINGS = Settings(region_code="77")


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    db = Database(database_url, pool_size=10)
    yield db
    await db.dispose()


def test_the_mo_part_of_the_series() -> None:
    assert service.mo_series_code("990001") == "90001"
    assert service.mo_series_code("1234") == "01234"
    assert service.mo_series_code("MO-77-0123456") == "23456"
    assert service.mo_series_code("ГП") is None
    assert service.mo_series_code(None) is None


async def test_twenty_concurrent_issues_get_twenty_consecutive_numbers(
    database: Database, committed: Committed
) -> None:
    async with database.sessions() as session, session.begin():
        mo = await support.organization(session, "mo")
        committed.organizations.append(mo)
        drug = await support.drug(session)
        committed.drugs.append(drug.id)
        person = await support.beneficiary(session)
        committed.beneficiaries.append(person.id)
        person_id = person.person_id
        drug_id = drug.id
    assert person_id is not None
    doctor = Principal(subject="doctor", org_id=mo, org_type="mo", roles=frozenset({"doctor"}))

    async def one(quantity: int = 1) -> tuple[str, int]:
        payload = PrescriptionIn(
            person_id=person_id,
            category_code="082",
            diagnosis_code="I10",
            drug_id=drug_id,
            quantity=quantity,
            signa="по 1 таблетке в день",
            medical_record_number="А-1",
        )
        async with database.sessions() as session, session.begin():
            p = await service.issue(session, doctor, payload, settings=SETTINGS)
            return p.series, p.number

    results = await asyncio.gather(*(one() for _ in range(20)))
    series = {s for s, _ in results}
    assert len(series) == 1 and series.pop().startswith("77")
    numbers = sorted(n for _, n in results)
    assert numbers == list(range(numbers[0], numbers[0] + 20))

    # A rolled-back issue gives its number back.
    with pytest.raises(RuntimeError):
        async with database.sessions() as session, session.begin():
            await service.issue(
                session,
                doctor,
                PrescriptionIn(
                    person_id=person_id,
                    category_code="082",
                    diagnosis_code="I10",
                    drug_id=drug_id,
                    quantity=1,
                    signa="x",
                    medical_record_number="А-1",
                ),
                settings=SETTINGS,
            )
            raise RuntimeError("the request failed after the issue")
    _, after = await one()
    assert after == numbers[-1] + 1


async def test_an_issue_waits_for_a_death_being_recorded_and_is_refused(
    database: Database, committed: Committed
) -> None:
    async with database.sessions() as session, session.begin():
        mo = await support.organization(session, "mo")
        committed.organizations.append(mo)
        drug = await support.drug(session)
        committed.drugs.append(drug.id)
        person = await support.beneficiary(session)
        committed.beneficiaries.append(person.id)
        person_id = person.person_id
        drug_id = drug.id
    assert person_id is not None
    doctor = Principal(subject="doctor", org_id=mo, org_type="mo", roles=frozenset({"doctor"}))
    recorded = asyncio.Event()

    async def death() -> None:
        async with database.sessions() as session, session.begin():
            await beneficiaries.record_death(
                session, person_id, date.today(), retracted=False, event_time=datetime.now(UTC)
            )
            recorded.set()
            await asyncio.sleep(0.5)  # the issue starts meanwhile and must wait for this commit

    async def issue() -> str:
        await recorded.wait()
        payload = PrescriptionIn(
            person_id=person_id,
            category_code="082",
            diagnosis_code="I10",
            drug_id=drug_id,
            quantity=1,
            signa="x",
            medical_record_number="А-1",
        )
        try:
            async with database.sessions() as session, session.begin():
                await service.issue(session, doctor, payload, settings=SETTINGS)
        except IssueRefused as refused:
            return ",".join(c.code for c in refused.checks)
        return "issued"

    _, outcome = await asyncio.gather(death(), issue())
    assert outcome == "person_dead"
