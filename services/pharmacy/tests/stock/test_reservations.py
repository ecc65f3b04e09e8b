"""Reservations for a prescription: earliest expiry first, across batches all or nothing,
marked packages set aside, release, consume, the lapse sweep (expired ones back to stock,
consumed ones untouched), and availability for the doctor's form."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from pharmacy.marking.gs1 import parse_marking_code
from pharmacy.models import MarkedPackage, Reservation, StockBatch
from pharmacy.stock.reservations import (
    availability,
    consume,
    lapse_expired,
    release_for_prescription,
    reserve,
)

from .support import make_batch, make_drug, make_pharmacy, make_prescription, marking_code, reserve_for


async def _packages(session: AsyncSession, batch: StockBatch, gtin: str, n: int) -> list[str]:
    codes = [parse_marking_code(marking_code(gtin)) for _ in range(n)]
    for c in codes:
        session.add(
            MarkedPackage(
                sgtin=c.sgtin, gtin=c.gtin, serial=c.serial, batch_id=batch.id, pharmacy_id=batch.pharmacy_id
            )
        )
    await session.flush()
    return [c.sgtin for c in codes]


async def _statuses(session: AsyncSession, sgtins: list[str]) -> list[str]:
    rows = await session.scalars(
        select(MarkedPackage.status)
        .where(MarkedPackage.sgtin.in_(sgtins))
        .execution_options(populate_existing=True)
    )
    return sorted(rows)


async def test_reserve_takes_the_earliest_expiry_and_marks_packages(session: AsyncSession) -> None:
    pharmacy = await make_pharmacy(session)
    drug, gtin = await make_drug(session)
    later = await make_batch(session, pharmacy, drug, quantity=5, expiry=date.today() + timedelta(days=400))
    sooner = await make_batch(session, pharmacy, drug, quantity=3, expiry=date.today() + timedelta(days=60))
    await make_batch(
        session, pharmacy, drug, quantity=9, expiry=date.today() + timedelta(days=2)
    )  # lapses first
    codes = await _packages(session, sooner, gtin, 3)
    prescription = await make_prescription(session, drug, quantity=4)

    first = await reserve(
        session,
        prescription_id=prescription.id,
        pharmacy_id=pharmacy,
        inn="метформин",
        dosage_form="Таблетки",
        dosage="500 мг",
        quantity=4,
        days=5,
        created_by="doctor",
    )
    assert first is not None and first.batch_id == sooner.id and first.quantity == 3
    rows = (
        await session.scalars(select(Reservation).where(Reservation.prescription_id == prescription.id))
    ).all()
    assert sorted((r.batch_id == later.id, r.quantity) for r in rows) == [(False, 3), (True, 1)]
    await session.refresh(sooner)
    await session.refresh(later)
    assert (sooner.reserved, later.reserved) == (3, 1)
    assert await _statuses(session, codes) == ["reserved"] * 3

    released = await release_for_prescription(session, prescription.id, reason="prescription_cancelled")
    assert released == 4
    assert await release_for_prescription(session, prescription.id, reason="again") == 0
    await session.refresh(sooner)
    await session.refresh(later)
    assert (sooner.reserved, later.reserved) == (0, 0)
    assert await _statuses(session, codes) == ["in_stock"] * 3


async def test_reserve_is_all_or_nothing(session: AsyncSession) -> None:
    pharmacy = await make_pharmacy(session)
    drug, _ = await make_drug(session)
    batch = await make_batch(session, pharmacy, drug, quantity=2)
    prescription = await make_prescription(session, drug, quantity=3)
    none = await reserve_for(session, prescription, pharmacy, drug)
    assert none is None
    await session.refresh(batch)
    assert batch.reserved == 0
    assert (
        await session.scalars(select(Reservation).where(Reservation.prescription_id == prescription.id))
    ).all() == []


async def test_lapse_sweep_releases_expired_and_leaves_consumed(session: AsyncSession) -> None:
    pharmacy = await make_pharmacy(session)
    drug, gtin = await make_drug(session)
    batch = await make_batch(session, pharmacy, drug, quantity=6)
    codes = await _packages(session, batch, gtin, 6)
    lapsing = await make_prescription(session, drug, quantity=2)
    dispensed = await make_prescription(session, drug, quantity=2)
    fresh = await make_prescription(session, drug, quantity=1)
    start = datetime.now(UTC) - timedelta(days=6)
    for p, moment in ((lapsing, start), (dispensed, start), (fresh, datetime.now(UTC))):
        r = await reserve_for(session, p, pharmacy, drug, now=moment)
        assert r is not None
    consumed = await consume(session, dispensed.id)
    assert [r.status for r in consumed] == ["consumed"]
    await session.refresh(batch)
    assert batch.reserved == 5  # consumed: the dispense lowers it with release_reserved
    assert await _statuses(session, codes) == ["in_stock"] * 3 + ["reserved"] * 3

    lapsed = await lapse_expired(session, datetime.now(UTC))
    assert lapsed == 1
    await session.refresh(batch)
    assert batch.reserved == 3
    statuses = {
        r.prescription_id: r.status
        for r in (
            await session.scalars(
                select(Reservation)
                .where(Reservation.batch_id == batch.id)
                .execution_options(populate_existing=True)
            )
        ).all()
    }
    assert statuses == {lapsing.id: "lapsed", dispensed.id: "consumed", fresh.id: "active"}
    assert await _statuses(session, codes) == ["in_stock"] * 5 + ["reserved"]
    assert await lapse_expired(session, datetime.now(UTC)) == 0


async def test_availability_counts_free_not_expired_by_funding(session: AsyncSession) -> None:
    pharmacy = await make_pharmacy(session, "Аптека на Ленина")
    other = await make_pharmacy(session, "Аптека на Мира")
    drug, _ = await make_drug(session, inn=f"Тестин {uuid.uuid4().hex[:5]}")
    await make_batch(session, pharmacy, drug, quantity=4, expiry=date.today() + timedelta(days=30))
    await make_batch(session, pharmacy, drug, quantity=3, funding_source="regional")
    await make_batch(session, pharmacy, drug, quantity=8, expiry=date.today() - timedelta(days=1))
    await make_batch(session, other, drug, quantity=2)
    prescription = await make_prescription(session, drug, quantity=1)
    await reserve_for(session, prescription, pharmacy, drug)
    rows = await availability(session, [pharmacy], inn=drug.inn.upper(), on=date.today())
    assert len(rows) == 1
    row = rows[0]
    assert (row.free, row.free_federal, row.free_regional) == (6, 3, 3)
    assert row.nearest_expiry == date.today() + timedelta(days=30)
    assert row.pharmacy_name == "Аптека на Ленина"
    both = await availability(session, [pharmacy, other], drug_ids=[drug.id], on=date.today())
    assert [r.pharmacy_name for r in both] == ["Аптека на Ленина", "Аптека на Мира"]
    assert await availability(session, [], inn=drug.inn, on=date.today()) == []


async def test_a_reservation_that_takes_free_stock_below_the_threshold_publishes_low_stock(
    session: AsyncSession,
) -> None:
    pharmacy = await make_pharmacy(session)
    drug, _ = await make_drug(session)
    await make_batch(session, pharmacy, drug, quantity=6, low_threshold=5)
    first = await make_prescription(session, drug, quantity=1)
    second = await make_prescription(session, drug, quantity=1)
    assert await reserve_for(session, first, pharmacy, drug) is not None  # 6 → 5: not below
    assert await reserve_for(session, second, pharmacy, drug) is not None  # 5 → 4: below
    rows = (
        await session.execute(
            text(
                "SELECT envelope->'data' FROM outbox_event WHERE type = 'pharmacy.stock.low' "
                "AND envelope->'data'->>'drug_id' = :d"
            ),
            {"d": str(drug.id)},
        )
    ).all()
    assert [(r[0]["free_quantity"], r[0]["threshold"]) for r in rows] == [(4, 5)]
