"""Migration 0004 matches the models; outcomes written by COPY; savings by reason and district
and the forecast computed in SQL on hand-computed numbers."""

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.testing.schema import schema_differences
from verification.linkage.records import PersonRecord
from verification.models import Base, Outcome, RegisterEntry, Subject, VerificationRun
from verification.rules import DuplicatePair, Fact, Period, Threshold, Thresholds, decide, resolve_duplicates
from verification.rules.repository import OutcomeRepository
from verification.savings import TariffInputs
from verification.savings.repository import TariffRepository
from verification.savings.service import run_forecast, run_savings

TABLES = {"contribution_tariff", "linkage_pair", "outcome", "review_decision"}
YEAR = Period(date(2026, 1, 1), date(2026, 12, 31))
T = Thresholds(default=Threshold(0.95, 0.80))


async def test_the_migration_creates_the_mapped_tables(database_url: str) -> None:
    assert set(Base.metadata.tables) >= TABLES
    assert await schema_differences(database_url, Base.metadata, TABLES) == []


def _record(uid: str, enp: str | None) -> PersonRecord:
    return PersonRecord(uid, "ПЕТРОВ", "ПЁТР", None, date(1970, 1, 1), "male", None, enp, None, None, None)


async def _register(session: AsyncSession, districts: dict[str, str]) -> tuple[uuid.UUID, dict[str, str]]:
    run = VerificationRun(
        organization_id=uuid.uuid4(),
        period_from=YEAR.date_from,
        period_to=YEAR.date_to,
        as_of=date(2027, 1, 15),
        register_source="file",
        created_by="tester",
    )
    session.add(run)
    await session.flush()
    ids: dict[str, str] = {}
    for row_no, (name, district) in enumerate(districts.items(), start=1):
        subject = Subject(key=f"test-{uuid.uuid4()}", first_run_id=run.id)
        session.add(subject)
        await session.flush()
        ids[name] = str(subject.id)
        session.add(
            RegisterEntry(
                run_id=run.id,
                subject_id=subject.id,
                row_no=row_no,
                surname="ПЕТРОВ",
                first_name="ПЁТР",
                birth_date=date(1970, 1, 1),
                sex="male",
                district=district,
                fingerprint=bytes(16),
            )
        )
    await session.flush()
    return run.id, ids


async def test_savings_by_reason_and_district_and_the_forecast(session: AsyncSession) -> None:
    run_id, ids = await _register(session, {"a": "D1", "b": "D1", "c": "D2", "d": "D2", "e": "D2", "f": "D2"})
    facts = {
        "a": [Fact("r1", "zags.death", date(2026, 3, 10), None, 0.99)],  # Apr..Dec: 9 dead
        "b": [
            Fact(f"r2{m}", "sfr.contributions", date(2026, m, 1), date(2026, m, 28), 0.99) for m in (2, 3, 4)
        ],
        "d": [
            Fact("r3", "sfr.contributions", date(2026, 1, 1), date(2026, 1, 31), 0.99),  # 1 employed
            Fact("r4", "zags.death", date(2026, 10, 15), None, 0.99),  # Nov, Dec: 2 dead
        ],
        "e": [Fact("r5", "zags.death", date(2026, 2, 1), None, 0.85)],  # review: saves nothing
    }
    records = {v: _record(v, "7700000000000001" if k == "f" else None) for k, v in ids.items()}
    verdicts = resolve_duplicates([DuplicatePair("p1", ids["c"], ids["f"], 0.99)], records, T)  # c: 12
    empty = await run_savings(session, run_id)  # no outcomes yet
    assert (empty.total.persons, empty.total.months, empty.total.amount, empty.by_reason) == (
        0,
        0,
        Decimal("0"),
        (),
    )
    assert (await run_forecast(session, run_id)).actual_register == 6
    outcomes = [decide(records[v], facts.get(k, []), YEAR, T, verdicts.get(v)) for k, v in ids.items()]
    assert await OutcomeRepository(session).replace(run_id, outcomes) == 6
    assert await OutcomeRepository(session).replace(run_id, outcomes) == 6  # again: replaced, not doubled

    stored = {
        str(o.subject_id): o
        for o in (await session.scalars(select(Outcome).where(Outcome.run_id == run_id))).all()
    }
    assert len(stored) == 6
    assert (stored[ids["a"]].outcome, stored[ids["a"]].reason, stored[ids["a"]].months_excluded) == (
        "exclude",
        "dead",
        9,
    )
    assert stored[ids["a"]].periods == [
        {"reason": "dead", "from": "2026-04-01", "to": "2026-12-31", "months": 9}
    ]
    assert stored[ids["c"]].duplicate_of == uuid.UUID(ids["f"])
    assert stored[ids["e"]].outcome == "review"
    assert stored[ids["d"]].reasons == ["dead", "employed"]

    # No tariff yet: the months are counted, not priced.
    unpriced = await run_savings(session, run_id)
    assert (unpriced.total.months, unpriced.total.amount) == (27, Decimal("0"))
    assert (unpriced.years_without_tariff, unpriced.months_without_tariff) == ((2026,), 27)

    tariffs = TariffRepository(session)
    await tariffs.put(TariffInputs(2026, Decimal("1.5"), Decimal("0.5")), "tester")  # monthly 1 179,04
    s = await run_savings(session, run_id)
    # dead 9 + 2 = 11 × 1 179,04 = 12 969,44; employed 3 + 1 = 4 → 4 716,16; duplicate 12 → 14 148,48
    assert [(r.key, r.persons, r.months, r.amount) for r in s.by_reason] == [
        ("duplicate", 1, 12, Decimal("14148.48")),
        ("dead", 2, 11, Decimal("12969.44")),
        ("employed", 2, 4, Decimal("4716.16")),
    ]
    # D1: a 9 + b 3 = 12 → 14 148,48; D2: c 12 + d 3 = 15 → 17 685,60
    assert [(r.key, r.persons, r.months, r.amount) for r in s.by_district] == [
        ("D1", 2, 12, Decimal("14148.48")),
        ("D2", 2, 15, Decimal("17685.60")),
    ]
    assert (s.total.persons, s.total.months, s.total.amount) == (4, 27, Decimal("31834.08"))
    assert sum(r.amount for r in s.by_reason) == sum(r.amount for r in s.by_district) == s.total.amount
    assert s.years_without_tariff == () and s.months_without_tariff == 0

    # The actual register: b (employed in spring), e (review), f (the kept duplicate) — 3 of 6.
    f = await run_forecast(session, run_id)
    assert (f.year, f.actual_register, f.amount) == (2027, 3, None)
    await tariffs.put(TariffInputs(2027, Decimal("1.6"), Decimal("0.5")), "tester")  # 15 091,68
    f = await run_forecast(session, run_id)
    assert (f.per_capita, f.amount) == (Decimal("15091.68"), Decimal("45275.04"))
