"""Operators' decisions by stable pair key: the newest holds and feeds the rules."""

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from verification.linkage.records import PersonRecord
from verification.models import Subject, VerificationRun
from verification.rules import Fact, Period, Thresholds, decide
from verification.rules.pair_keys import duplicate_pair_key, source_pair_key
from verification.rules.repository import ReviewDecisionRepository


def test_pair_keys_are_stable() -> None:
    assert duplicate_pair_key("b", "a") == duplicate_pair_key("a", "b") == "a|b"
    assert source_pair_key("s1", "zags", "ff00") == "s1|zags:ff00"


async def test_the_newest_decision_of_a_key_holds(session: AsyncSession) -> None:
    run = VerificationRun(
        organization_id=uuid.uuid4(),
        period_from=date(2026, 1, 1),
        period_to=date(2026, 12, 31),
        as_of=date(2027, 1, 10),
        register_source="file",
        created_by="tester",
    )
    session.add(run)
    await session.flush()
    subject = Subject(key=f"test-{uuid.uuid4()}", first_run_id=run.id)
    session.add(subject)
    await session.flush()
    key = source_pair_key(str(subject.id), "zags", "aa11")
    other = source_pair_key(str(subject.id), "sfr", "bb22")
    repo = ReviewDecisionRepository(session)
    assert await repo.latest([key]) == {}
    await repo.record(subject.id, key, "reject", "operator-1", run_id=run.id)
    await repo.record(subject.id, key, "confirm", "operator-2", comment="Подтверждено актовой записью")
    await repo.record(subject.id, other, "reject", "operator-1")
    decisions = await repo.latest([key, other, "unknown"])
    assert decisions == {key: "confirm", other: "reject"}

    death = Fact("r1", "zags.death", date(2026, 5, 5), None, 0.40, decision=decisions.get(key))
    person = PersonRecord(str(subject.id), "А", "Б", None, None, None, None, None, None, None, None)
    outcome = decide(person, [death], Period(date(2026, 1, 1), date(2026, 12, 31)), Thresholds())
    assert (outcome.outcome, outcome.months_excluded) == ("exclude", 7)
