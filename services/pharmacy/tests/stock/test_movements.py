"""``book``: the one place that changes a batch's quantity — signed by kind, the movement row with
its balance, refusals naming the check with nothing written, two connections racing for the last
package, ``pharmacy.stock.low`` once per crossing of the threshold."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from pharmacy.models import StockBatch, StockMovement
from pharmacy.stock.errors import BadMovement, BatchNotFound, StockShortage
from pharmacy.stock.movements import book

from .support import make_batch, make_drug, make_pharmacy


async def _low_events(session: AsyncSession, drug_id: uuid.UUID) -> list[dict[str, object]]:
    rows = await session.execute(
        text(
            "SELECT envelope FROM outbox_event WHERE type = 'pharmacy.stock.low' "
            "AND envelope->'data'->>'drug_id' = :d ORDER BY created_at"
        ),
        {"d": str(drug_id)},
    )
    return [r[0]["data"] for r in rows]


async def test_movements_change_the_batch_and_write_the_card(session: AsyncSession) -> None:
    pharmacy = await make_pharmacy(session)
    drug, _ = await make_drug(session)
    batch = await make_batch(session, pharmacy, drug, quantity=10)
    assert batch.quantity == 10

    out = await book(
        session, batch_id=batch.id, kind="write_off", quantity=3, booked_by="ivanova", reason="damaged"
    )
    assert (out.quantity, out.balance_after, out.kind) == (-3, 7, "write_off")
    back = await book(session, batch_id=batch.id, kind="inventory", quantity=2, booked_by="ivanova")
    assert (back.quantity, back.balance_after) == (2, 9)
    short = await book(session, batch_id=batch.id, kind="inventory", quantity=-4, booked_by="ivanova")
    assert (short.quantity, short.balance_after) == (-4, 5)
    # a negative quantity for an outgoing kind means the same direction
    same = await book(session, batch_id=batch.id, kind="dispense", quantity=-1, booked_by="ivanova")
    assert (same.quantity, same.balance_after) == (-1, 4)

    await session.refresh(batch)
    assert batch.quantity == 4
    card = (
        await session.scalars(
            select(StockMovement.balance_after)
            .where(StockMovement.batch_id == batch.id)
            .order_by(StockMovement.booked_at)
        )
    ).all()
    assert sorted(card, reverse=True) == [10, 9, 7, 5, 4]


async def test_negative_stock_is_refused_naming_the_check_and_writes_nothing(session: AsyncSession) -> None:
    pharmacy = await make_pharmacy(session)
    drug, _ = await make_drug(session, trade_name="Сиофор")
    batch = await make_batch(session, pharmacy, drug, quantity=2, series="AB123")
    before = await session.scalar(
        select(func.count()).select_from(StockMovement).where(StockMovement.batch_id == batch.id)
    )

    with pytest.raises(StockShortage) as refused:
        await book(session, batch_id=batch.id, kind="write_off", quantity=3, booked_by="x")
    assert "Недостаточно остатка" in refused.value.detail
    assert "AB123" in refused.value.detail and "свободно 2" in refused.value.detail
    assert "отрицательным" in refused.value.detail
    assert refused.value.code == "stock-insufficient" and refused.value.status == 409

    await session.refresh(batch)
    assert batch.quantity == 2
    after = await session.scalar(
        select(func.count()).select_from(StockMovement).where(StockMovement.batch_id == batch.id)
    )
    assert after == before


async def test_reserved_packages_are_not_taken_without_release(session: AsyncSession) -> None:
    pharmacy = await make_pharmacy(session)
    drug, _ = await make_drug(session)
    batch = await make_batch(session, pharmacy, drug, quantity=3)
    await session.execute(text("UPDATE stock_batch SET reserved = 2 WHERE id = :id"), {"id": batch.id})

    with pytest.raises(StockShortage, match="зарезервированные"):
        await book(session, batch_id=batch.id, kind="dispense", quantity=2, booked_by="x")
    moved = await book(
        session, batch_id=batch.id, kind="dispense", quantity=2, booked_by="x", release_reserved=2
    )
    assert moved.balance_after == 1
    await session.refresh(batch)
    assert (batch.quantity, batch.reserved) == (1, 0)


async def test_bad_movements(session: AsyncSession) -> None:
    pharmacy = await make_pharmacy(session)
    drug, _ = await make_drug(session)
    batch = await make_batch(session, pharmacy, drug, quantity=3)
    with pytest.raises(BadMovement, match="нулевым"):
        await book(session, batch_id=batch.id, kind="receipt", quantity=0, booked_by="x")
    with pytest.raises(BadMovement, match="Неизвестный вид"):
        await book(session, batch_id=batch.id, kind="gift", quantity=1, booked_by="x")
    with pytest.raises(BadMovement, match="Число кодов"):
        await book(session, batch_id=batch.id, kind="write_off", quantity=2, booked_by="x", sgtins=["a" * 27])
    with pytest.raises(BadMovement, match="резерва"):
        await book(session, batch_id=batch.id, kind="receipt", quantity=1, booked_by="x", release_reserved=1)
    with pytest.raises(BatchNotFound):
        await book(session, batch_id=uuid.uuid4(), kind="write_off", quantity=1, booked_by="x")


async def test_low_stock_is_published_once_per_crossing(session: AsyncSession) -> None:
    pharmacy = await make_pharmacy(session)
    drug, _ = await make_drug(session, inn="Инсулин гларгин", trade_name="Лантус")
    batch = await make_batch(session, pharmacy, drug, quantity=6, low_threshold=4)
    await book(session, batch_id=batch.id, kind="dispense", quantity=2, booked_by="x")  # 4: not below
    assert await _low_events(session, drug.id) == []
    await book(session, batch_id=batch.id, kind="dispense", quantity=1, booked_by="x")  # 3: crossed
    await book(session, batch_id=batch.id, kind="dispense", quantity=1, booked_by="x")  # 2: still below
    events = await _low_events(session, drug.id)
    assert len(events) == 1
    assert events[0]["free_quantity"] == 3 and events[0]["threshold"] == 4
    assert events[0]["pharmacy_id"] == str(pharmacy) and events[0]["inn"] == "Инсулин гларгин"

    await book(session, batch_id=batch.id, kind="receipt", quantity=5, booked_by="x")  # 7: back up
    await book(session, batch_id=batch.id, kind="write_off", quantity=4, booked_by="x")  # 3: crossed again
    assert len(await _low_events(session, drug.id)) == 2


async def test_low_stock_counts_the_drug_across_batches_and_skips_expired(session: AsyncSession) -> None:
    pharmacy = await make_pharmacy(session)
    drug, _ = await make_drug(session)
    first = await make_batch(session, pharmacy, drug, quantity=4)  # default threshold 5
    await make_batch(session, pharmacy, drug, quantity=4)
    await make_batch(session, pharmacy, drug, quantity=9, expiry=date.today() - timedelta(days=1))
    await book(session, batch_id=first.id, kind="dispense", quantity=3, booked_by="x")  # 8 → 5
    assert await _low_events(session, drug.id) == []
    await book(session, batch_id=first.id, kind="dispense", quantity=1, booked_by="x")  # 5 → 4
    assert [e["free_quantity"] for e in await _low_events(session, drug.id)] == [4]


async def test_two_connections_racing_for_the_last_package(database_url: str) -> None:
    """Two counters book the last package at once on their own connections: exactly one
    movement, the other a shortage; the batch ends at 0, never below."""
    engine = create_async_engine(database_url)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    try:
        async with sessions() as s, s.begin():
            pharmacy = await make_pharmacy(s, "Аптека гонки")
            drug, _ = await make_drug(s, trade_name=f"Гонка {uuid.uuid4().hex[:4]}")
            batch = await make_batch(s, pharmacy, drug, quantity=1, low_threshold=0)
        gate = asyncio.Event()

        async def counter(name: str) -> str:
            async with sessions() as s, s.begin():
                await s.execute(text("SELECT 1"))
                await gate.wait()
                try:
                    await book(s, batch_id=batch.id, kind="dispense", quantity=1, booked_by=name)
                except StockShortage:
                    return "refused"
                await asyncio.sleep(0.2)  # hold the row lock while the other one waits
                return "booked"

        tasks = [asyncio.create_task(counter(n)) for n in ("counter-1", "counter-2")]
        await asyncio.sleep(0.1)
        gate.set()
        results = sorted(await asyncio.gather(*tasks))
        assert results == ["booked", "refused"]
        async with sessions() as s:
            assert await s.scalar(select(StockBatch.quantity).where(StockBatch.id == batch.id)) == 0
            outs = await s.scalar(
                select(func.count())
                .select_from(StockMovement)
                .where(StockMovement.batch_id == batch.id, StockMovement.kind == "dispense")
            )
            assert outs == 1
    finally:
        async with sessions() as s, s.begin():
            await s.execute(text("DELETE FROM stock_movement WHERE batch_id = :b"), {"b": batch.id})
            await s.execute(text("DELETE FROM stock_batch WHERE id = :b"), {"b": batch.id})
            await s.execute(text("DELETE FROM drug_gtin WHERE drug_id = :d"), {"d": drug.id})
            await s.execute(text("DELETE FROM drug WHERE id = :d"), {"d": drug.id})
            await s.execute(text("DELETE FROM organization WHERE id = :o"), {"o": pharmacy})
        await engine.dispose()


async def test_low_stock_is_published_once_when_two_batches_cross_at_once(database_url: str) -> None:
    """Two counters dispense from two batches of one drug at the same moment; the drug's free
    stock crosses the threshold once, and one event says so."""
    engine = create_async_engine(database_url)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    try:
        async with sessions() as s, s.begin():
            pharmacy = await make_pharmacy(s, "Аптека двух касс")
            drug, _ = await make_drug(s, trade_name=f"Порог {uuid.uuid4().hex[:4]}")
            first = await make_batch(s, pharmacy, drug, quantity=3, low_threshold=6)
            second = await make_batch(s, pharmacy, drug, quantity=3, low_threshold=6)
        gate = asyncio.Event()

        async def counter(batch_id: uuid.UUID) -> None:
            async with sessions() as s, s.begin():
                await s.execute(text("SELECT 1"))
                await gate.wait()
                await book(s, batch_id=batch_id, kind="dispense", quantity=1, booked_by="counter")
                await asyncio.sleep(0.2)

        tasks = [asyncio.create_task(counter(b.id)) for b in (first, second)]
        await asyncio.sleep(0.1)
        gate.set()
        await asyncio.gather(*tasks)
        async with sessions() as s:
            assert [e["free_quantity"] for e in await _low_events(s, drug.id)] == [5]
    finally:
        async with sessions() as s, s.begin():
            await s.execute(
                text("DELETE FROM outbox_event WHERE envelope->'data'->>'drug_id' = :d"), {"d": str(drug.id)}
            )
            await s.execute(text("DELETE FROM stock_movement WHERE drug_id = :d"), {"d": drug.id})
            await s.execute(text("DELETE FROM stock_batch WHERE drug_id = :d"), {"d": drug.id})
            await s.execute(text("DELETE FROM drug_gtin WHERE drug_id = :d"), {"d": drug.id})
            await s.execute(text("DELETE FROM drug WHERE id = :d"), {"d": drug.id})
            await s.execute(text("DELETE FROM organization WHERE id = :o"), {"o": pharmacy})
        await engine.dispose()
