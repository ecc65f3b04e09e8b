"""The medico-economic control over planted dispenses: each kind of violation found, a clean
dispense passes, a re-run gives the same result without duplicates, the act's sums add up."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from tests.control import support
from tests.dispensing import support as counter_support

from oms_kit.audit import AuditRecord
from pharmacy.control import service
from pharmacy.control.repository import ResultFilter
from pharmacy.models import ControlResult, ControlRun, ControlViolation, DeferredService, PersonDeath

FROM, TO = date(2026, 10, 1), date(2026, 10, 31)
PRICE = Decimal("123.45")


async def planted(session: AsyncSession) -> dict[str, object]:
    c = await counter_support.counter(session, packages=1)
    other_pharmacy = await counter_support.pharmacy(session, "Аптека № 8")
    rx = counter_support.prescription
    d = support.dispense

    clean_rx = await rx(session, c, issued_on=date(2026, 10, 5))
    clean = await d(session, c, clean_rx, on=date(2026, 10, 10))

    late_rx = await rx(session, c, issued_on=date(2026, 9, 1), valid_days=30)
    late = await d(session, c, late_rx, on=date(2026, 10, 15))

    deferred_rx = await rx(session, c, issued_on=date(2026, 9, 1), valid_days=30)
    session.add(
        DeferredService(
            prescription_id=deferred_rx.id,
            pharmacy_id=c.pharmacy_id,
            kind="standard",
            requested_on=date(2026, 9, 20),
            deadline=date(2026, 10, 1),
            status="served",
            registered_by="p",
        )
    )
    deferred = await d(session, c, deferred_rx, on=date(2026, 10, 6))

    dead_person = await counter_support.beneficiary(session)
    dead_rx = await rx(
        session,
        c,
        issued_on=date(2026, 10, 1),
        person_id=dead_person.person_id,
        beneficiary_id=dead_person.id,
    )
    session.add(
        PersonDeath(person_id=dead_person.person_id, death_date=date(2026, 10, 12), event_time=func.now())
    )
    dead = await d(session, c, dead_rx, on=date(2026, 10, 20))

    first_rx = await rx(session, c, issued_on=date(2026, 10, 2), series="77-01", number=880001)
    second_rx = await rx(session, c, issued_on=date(2026, 10, 2), series="7701", number=880001)
    first = await d(session, c, first_rx, on=date(2026, 10, 3))
    second = await d(session, c, second_rx, on=date(2026, 10, 4), pharmacy_id=other_pharmacy)

    overcharged_rx = await rx(session, c, issued_on=date(2026, 10, 5))
    overcharged = await d(session, c, overcharged_rx, on=date(2026, 10, 7), amount=Decimal("300.00"))

    unreported_rx = await rx(session, c, issued_on=date(2026, 10, 5))
    unreported = await d(session, c, unreported_rx, on=date(2026, 10, 8), trace=None)

    rejected_rx = await rx(session, c, issued_on=date(2026, 10, 5))
    rejected = await d(session, c, rejected_rx, on=date(2026, 10, 9), trace="rejected")

    more_rx = await rx(session, c, issued_on=date(2026, 10, 5), quantity=2)
    more = await d(session, c, more_rx, on=date(2026, 10, 11), packages=3)

    outside_rx = await rx(session, c, issued_on=date(2026, 11, 2))
    outside = await d(session, c, outside_rx, on=date(2026, 11, 3), trace=None)
    return {
        "counter": c,
        "other_pharmacy": other_pharmacy,
        "clean": clean,
        "late": late,
        "deferred": deferred,
        "dead": dead,
        "first": first,
        "second": second,
        "overcharged": overcharged,
        "unreported": unreported,
        "rejected": rejected,
        "more": more,
        "outside": outside,
    }


async def codes_of(session: AsyncSession, dispense_id: uuid.UUID) -> set[str]:
    return set(
        await session.scalars(
            select(ControlViolation.code).where(ControlViolation.dispense_id == dispense_id)
        )
    )


async def run(session: AsyncSession, pharmacy_id: uuid.UUID | None = None) -> ControlRun:
    principal = support.analyst()
    r = await service.start_run(session, principal, FROM, TO, pharmacy_id)
    return await service.run_control(session, r, principal)


async def test_each_planted_violation_is_found_and_a_clean_dispense_passes(session: AsyncSession) -> None:
    x = await planted(session)
    done = await run(session)
    assert done.status == "done"
    assert await codes_of(session, x["clean"].id) == set()
    assert await codes_of(session, x["deferred"].id) == set()  # accepted for deferred service in time
    assert await codes_of(session, x["late"].id) == {"dispensed_after_validity"}  # not «expired» twice
    assert "dispensed_after_death" in await codes_of(session, x["dead"].id)
    assert "person_dead" not in await codes_of(session, x["dead"].id)
    assert await codes_of(session, x["first"].id) == {"duplicate_across_pharmacies"}
    assert await codes_of(session, x["second"].id) == {"duplicate_across_pharmacies"}
    assert await codes_of(session, x["overcharged"].id) == {"amount_mismatch"}
    assert await codes_of(session, x["unreported"].id) == {"trace_not_reported"}
    assert await codes_of(session, x["rejected"].id) == {"trace_rejected"}
    assert await codes_of(session, x["more"].id) == {"quantity_mismatch"}  # a dispensing check re-run
    outside = await session.get(ControlResult, x["outside"].id)
    assert outside is None  # November is not in the period

    overcharged = await session.get(ControlResult, x["overcharged"].id)
    assert overcharged is not None and overcharged.withheld == Decimal("300.00") - 2 * PRICE
    late = await session.get(ControlResult, x["late"].id)
    assert late is not None and late.withheld == late.amount == 2 * PRICE
    clean = await session.get(ControlResult, x["clean"].id)
    assert clean is not None and clean.withheld == 0

    message = await session.scalar(
        select(ControlViolation.message).where(ControlViolation.dispense_id == x["first"].id)
    )
    assert message is not None and "Аптека № 8" in message
    assert done.checked == 10 and done.with_violations == 8
    assert done.by_code is not None and done.by_code["trace_rejected"] == 1
    audited = await session.scalar(
        select(func.count())
        .select_from(AuditRecord)
        .where(AuditRecord.resource == f"pharmacy_control_run:{done.id}")
    )
    assert audited == 2  # the two persons of the period


async def test_a_re_run_gives_the_same_result_without_duplicates(session: AsyncSession) -> None:
    x = await planted(session)
    c = x["counter"]
    await run(session, c.pharmacy_id)

    async def snapshot() -> list[tuple[object, ...]]:
        rows = await session.execute(
            select(
                ControlViolation.dispense_id,
                ControlViolation.code,
                ControlViolation.amount,
                ControlViolation.message,
            )
            .join(ControlResult, ControlResult.dispense_id == ControlViolation.dispense_id)
            .where(ControlResult.pharmacy_id == c.pharmacy_id)
            .order_by(ControlViolation.dispense_id, ControlViolation.code)
        )
        return [tuple(r) for r in rows]

    first = await snapshot()
    results = await session.scalar(select(func.count()).select_from(ControlResult))
    again = await run(session, c.pharmacy_id)
    assert await snapshot() == first
    assert await session.scalar(select(func.count()).select_from(ControlResult)) == results == 9
    assert again.checked == 9


async def test_act_totals_add_up(session: AsyncSession) -> None:
    x = await planted(session)
    c = x["counter"]
    principal = support.analyst()
    await run(session)
    act = await service.draw_up_act(session, principal, c.pharmacy_id, FROM, TO)
    assert act.dispenses == 9
    assert (
        act.with_violations == len(act.lines) == 7
    )  # all but clean and deferred (November and the other pharmacy's are not in)
    assert act.amount == sum(
        (
            x[k].amount
            for k in (
                "clean",
                "late",
                "deferred",
                "dead",
                "first",
                "overcharged",
                "unreported",
                "rejected",
                "more",
            )
        ),
        Decimal("0"),
    )
    assert act.withheld == sum((line.withheld for line in act.lines), Decimal("0"))
    assert act.accepted + act.withheld == act.amount
    summary = await service.summary(session, principal, ResultFilter(FROM, TO, c.pharmacy_id))
    assert summary.withheld == act.withheld and summary.amount == act.amount
    assert sum(code.count for code in summary.by_code) == sum(len(line.violations) for line in act.lines)
    assert act.number.startswith("МЭК-202610-") and act.number.endswith("-1")
    second_half = await service.draw_up_act(session, principal, c.pharmacy_id, date(2026, 10, 15), TO)
    assert second_half.number == act.number[:-1] + "2"  # same month, next number
    assert second_half.dispenses == 2  # dispensed on 15.10 and 20.10
    assert all(line.snils_masked is None or line.snils_masked.startswith("***") for line in act.lines)


async def test_a_regional_prescription_served_from_federal_stock_is_a_funding_mismatch(
    session: AsyncSession,
) -> None:
    c = await counter_support.counter(session, packages=1)  # the counter's batch is federal
    federal_rx = await counter_support.prescription(session, c, issued_on=date(2026, 10, 5))
    federal = await support.dispense(session, c, federal_rx, on=date(2026, 10, 10))
    regional_rx = await counter_support.prescription(
        session, c, issued_on=date(2026, 10, 5), funding_source="regional"
    )
    regional = await support.dispense(session, c, regional_rx, on=date(2026, 10, 10))
    await run(session, c.pharmacy_id)
    assert "funding_mismatch" not in await codes_of(session, federal.id)
    assert "funding_mismatch" in await codes_of(session, regional.id)
    message, amount = (
        await session.execute(
            select(ControlViolation.message, ControlViolation.amount).where(
                ControlViolation.dispense_id == regional.id, ControlViolation.code == "funding_mismatch"
            )
        )
    ).one()
    assert message == (
        "Рецепт за счёт средств: региональный бюджет; отпущено из запасов: федеральный бюджет — 2 уп."
    )
    assert amount == regional.amount
    result = await session.get(ControlResult, regional.id)
    assert result is not None and result.withheld == regional.amount
