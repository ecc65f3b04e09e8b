"""The control reads a chunk's facts with set-based statements and decides with the dispense's
own pure functions: over a varied set its verdicts are those of the per-dispense checks
(``dispensing.checks.prescription_violations``, which reads each fact on its own) plus the
batch-only ones expected for each planted case, whatever the chunk size; a re-run changes
nothing."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from tests.control import support
from tests.control.test_control import FROM, TO
from tests.dispensing import support as counter_support

from pharmacy.control import checks, service
from pharmacy.dispensing.checks import prescription_violations
from pharmacy.models import (
    ControlResult,
    ControlViolation,
    Dispense,
    Drug,
    PersonDeath,
    PersonMerge,
    Prescription,
)


async def varied(session: AsyncSession) -> dict[str, Dispense]:
    c = await counter_support.counter(session, packages=1)
    elsewhere = await counter_support.pharmacy(session, "Аптека № 12")
    rx = counter_support.prescription
    d = support.dispense
    x: dict[str, Dispense] = {}

    x["valid"] = await d(session, c, await rx(session, c, issued_on=date(2026, 10, 5)), on=date(2026, 10, 10))
    x["expired"] = await d(
        session, c, await rx(session, c, issued_on=date(2026, 9, 1), valid_days=30), on=date(2026, 10, 14)
    )

    dead = await counter_support.beneficiary(session)
    session.add(PersonDeath(person_id=dead.person_id, death_date=date(2026, 10, 12), event_time=func.now()))
    dead_rx = await rx(
        session, c, issued_on=date(2026, 10, 1), person_id=dead.person_id, beneficiary_id=dead.id
    )
    x["after_death"] = await d(session, c, dead_rx, on=date(2026, 10, 20))
    before_rx = await rx(
        session, c, issued_on=date(2026, 10, 1), person_id=dead.person_id, beneficiary_id=dead.id
    )
    x["before_death"] = await d(session, c, before_rx, on=date(2026, 10, 5))

    # the prescription names a person merged into the beneficiary's person: entitled over the merge
    merged_id = uuid.uuid4()
    session.add(
        PersonMerge(
            merge_id=uuid.uuid4(),
            survivor_id=c.beneficiary.person_id,
            merged_id=merged_id,
            event_time=datetime(2026, 9, 1, tzinfo=UTC),
        )
    )
    x["merged"] = await d(
        session,
        c,
        await rx(session, c, issued_on=date(2026, 10, 5), person_id=merged_id),
        on=date(2026, 10, 9),
    )
    # …and one merged into a person who died: dead over the merge (the dispensing check), though
    # the prescription's own person has no death of their own
    gone = await counter_support.beneficiary(session)
    session.add(PersonDeath(person_id=gone.person_id, death_date=date(2026, 9, 30), event_time=func.now()))
    into_dead = uuid.uuid4()
    session.add(
        PersonMerge(
            merge_id=uuid.uuid4(),
            survivor_id=gone.person_id,
            merged_id=into_dead,
            event_time=datetime(2026, 9, 2, tzinfo=UTC),
        )
    )
    x["merged_dead"] = await d(
        session,
        c,
        await rx(session, c, issued_on=date(2026, 10, 2), person_id=into_dead, beneficiary_id=gone.id),
        on=date(2026, 10, 6),
    )

    # a person the register does not know: not entitled
    x["unregistered"] = await d(
        session,
        c,
        await rx(session, c, issued_on=date(2026, 10, 5), person_id=uuid.uuid4()),
        on=date(2026, 10, 9),
    )

    off_list, _ = await counter_support.drug(session, inn="Контролин", trade_name="Контролин", lists=())
    off = await d(
        session, c, await rx(session, c, issued_on=date(2026, 10, 5), inn="Контролин"), on=date(2026, 10, 16)
    )
    off.drug_id = off_list.id
    x["off_list"] = off

    first_rx = await rx(session, c, issued_on=date(2026, 10, 2), series="78-02", number=990002)
    second_rx = await rx(session, c, issued_on=date(2026, 10, 2), series="7802", number=990002)
    x["duplicate_here"] = await d(session, c, first_rx, on=date(2026, 10, 3))
    x["duplicate_there"] = await d(session, c, second_rx, on=date(2026, 10, 4), pharmacy_id=elsewhere)

    x["overcharged"] = await d(
        session,
        c,
        await rx(session, c, issued_on=date(2026, 10, 5)),
        on=date(2026, 10, 7),
        amount=Decimal("400.00"),
    )
    x["unreported"] = await d(
        session, c, await rx(session, c, issued_on=date(2026, 10, 5)), on=date(2026, 10, 8), trace=None
    )
    await session.flush()
    return x


EXPECTED_BATCH = {
    "valid": set(),
    "expired": {checks.DISPENSED_AFTER_VALIDITY},
    "after_death": {checks.DISPENSED_AFTER_DEATH},
    "before_death": set(),
    "merged": set(),
    "merged_dead": set(),
    "unregistered": set(),
    "off_list": set(),
    "duplicate_here": {checks.DUPLICATE_ACROSS_PHARMACIES},
    "duplicate_there": {checks.DUPLICATE_ACROSS_PHARMACIES},
    "overcharged": {checks.AMOUNT_MISMATCH},
    "unreported": {checks.TRACE_NOT_REPORTED},
}


async def stored(session: AsyncSession, dispense_id: uuid.UUID) -> dict[str, str]:
    rows = await session.execute(
        select(ControlViolation.code, ControlViolation.message).where(
            ControlViolation.dispense_id == dispense_id
        )
    )
    return {code: message for code, message in rows}


async def per_dispense(session: AsyncSession, d: Dispense) -> dict[str, str]:
    """The dispensing checks as the dispense's own per-fact path reads and decides them."""
    p = await session.get(Prescription, d.prescription_id)
    drug = await session.get(Drug, d.drug_id)
    assert p is not None and drug is not None
    found = await prescription_violations(
        session, p, on=service.dispensed_on(d), drug=drug, quantity=d.quantity
    )
    return {v.code: v.message for v in found}


async def snapshot(session: AsyncSession) -> list[tuple[object, ...]]:
    rows = await session.execute(
        select(
            ControlViolation.dispense_id,
            ControlViolation.code,
            ControlViolation.amount,
            ControlViolation.message,
        ).order_by(ControlViolation.dispense_id, ControlViolation.code)
    )
    results = await session.execute(
        select(
            ControlResult.dispense_id,
            ControlResult.amount,
            ControlResult.withheld,
            ControlResult.dispensed_on,
        ).order_by(ControlResult.dispense_id)
    )
    return [tuple(r) for r in rows] + [tuple(r) for r in results]


@pytest.mark.parametrize("chunk", [3, 2000])
async def test_set_based_verdicts_are_the_per_dispense_checks_plus_the_batch_ones(
    session: AsyncSession, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    x = await varied(session)
    monkeypatch.setattr(service, "CHUNK", chunk)
    principal = support.analyst()
    run = await service.start_run(session, principal, FROM, TO, None)
    done = await service.run_control(session, run, principal)
    assert done.checked == len(x)

    for name, d in x.items():
        got = await stored(session, d.id)
        base = await per_dispense(session, d)
        superseded = {checks.SUPERSEDES[c] for c in got if c in checks.SUPERSEDES}
        expected_base = {c: m for c, m in base.items() if c not in superseded}
        assert {c: m for c, m in got.items() if c not in checks.BATCH_CODES} == expected_base, name
        assert set(got) & set(checks.BATCH_CODES) == EXPECTED_BATCH[name], name

    # what the per-dispense checks say of the planted cases, so the comparison is not vacuous
    assert set(await stored(session, x["valid"].id)) == set()
    assert set(await stored(session, x["merged"].id)) == set()  # entitled over the merge
    assert set(await stored(session, x["merged_dead"].id)) == {"person_dead"}
    assert set(await stored(session, x["unregistered"].id)) == {"not_entitled"}
    assert set(await stored(session, x["expired"].id)) == {checks.DISPENSED_AFTER_VALIDITY}  # not «expired»
    assert set(await stored(session, x["after_death"].id)) == {checks.DISPENSED_AFTER_DEATH}
    assert set(await stored(session, x["off_list"].id)) == {"not_on_drug_list"}
    message = (await stored(session, x["duplicate_here"].id))[checks.DUPLICATE_ACROSS_PHARMACIES]
    assert "Аптека № 12" in message
    overcharged = await session.get(ControlResult, x["overcharged"].id)
    assert overcharged is not None
    assert overcharged.withheld == Decimal("400.00") - 2 * Decimal("123.45")


async def test_a_re_run_is_idempotent(session: AsyncSession, monkeypatch: pytest.MonkeyPatch) -> None:
    x = await varied(session)
    monkeypatch.setattr(service, "CHUNK", 4)
    principal = support.analyst()
    await service.run_control(session, await service.start_run(session, principal, FROM, TO, None), principal)
    first = await snapshot(session)
    assert await session.scalar(select(func.count()).select_from(ControlResult)) == len(x)
    monkeypatch.setattr(service, "CHUNK", 2000)
    again = await service.run_control(
        session, await service.start_run(session, principal, FROM, TO, None), principal
    )
    assert await snapshot(session) == first
    assert await session.scalar(select(func.count()).select_from(ControlResult)) == len(x)
    assert (
        again.checked == len(x) and again.with_violations == sum(1 for v in EXPECTED_BATCH.values() if v) + 3
    )
