"""The reservation lapse sweep as the app runs it: the periodic resource releases a reservation
whose days have run out (reserve back, marked packages back in stock) in its own transaction and
leaves a consumed one alone."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from fastapi import FastAPI
from sqlalchemy import select, text

from oms_kit.db import Database
from pharmacy.config import Settings
from pharmacy.marking.gs1 import parse_marking_code
from pharmacy.models import MarkedPackage, Reservation, StockBatch
from pharmacy.stock.reservations import consume
from pharmacy.stock.sweep import reservation_sweep

from .support import make_batch, make_drug, make_pharmacy, make_prescription, marking_code, reserve_for


async def test_the_periodic_sweep_releases_lapsed_reservations(database_url: str) -> None:
    database = Database(database_url, pool_size=2)
    try:
        async with database.sessions() as s, s.begin():
            pharmacy = await make_pharmacy(s, "Аптека сторожа резервов")
            drug, gtin = await make_drug(s)
            batch = await make_batch(s, pharmacy, drug, quantity=4, low_threshold=0)
            codes = [parse_marking_code(marking_code(gtin)).sgtin for _ in range(4)]
            for c in codes:
                s.add(
                    MarkedPackage(sgtin=c, gtin=gtin, serial=c[14:], batch_id=batch.id, pharmacy_id=pharmacy)
                )
            await s.flush()
            lapsing = await make_prescription(s, drug, quantity=2)
            dispensed = await make_prescription(s, drug, quantity=1)
            past = datetime.now(UTC) - timedelta(days=6)
            for p in (lapsing, dispensed):
                held = await reserve_for(s, p, pharmacy, drug, now=past)
                assert held is not None
            await consume(s, dispensed.id)

        app = FastAPI()
        app.state.database = database
        async with reservation_sweep(Settings(reservation_sweep_seconds=0.05))(app):
            for _ in range(100):
                await asyncio.sleep(0.05)
                async with database.sessions() as s:
                    status = await s.scalar(
                        select(Reservation.status).where(Reservation.prescription_id == lapsing.id)
                    )
                if status == "lapsed":
                    break

        async with database.sessions() as s:
            statuses = dict(
                (
                    await s.execute(
                        select(Reservation.prescription_id, Reservation.status).where(
                            Reservation.batch_id == batch.id
                        )
                    )
                ).all()
            )
            assert statuses == {lapsing.id: "lapsed", dispensed.id: "consumed"}
            # the consumed reservation's single package is the dispense's to release
            assert await s.scalar(select(StockBatch.reserved).where(StockBatch.id == batch.id)) == 1
            packages = (
                await s.scalars(select(MarkedPackage.status).where(MarkedPackage.batch_id == batch.id))
            ).all()
            assert sorted(packages) == ["in_stock"] * 4
    finally:
        async with database.sessions() as s, s.begin():
            await s.execute(text("DELETE FROM marked_package WHERE batch_id = :b"), {"b": batch.id})
            await s.execute(text("DELETE FROM reservation WHERE batch_id = :b"), {"b": batch.id})
            await s.execute(text("DELETE FROM stock_movement WHERE batch_id = :b"), {"b": batch.id})
            await s.execute(text("DELETE FROM stock_batch WHERE id = :b"), {"b": batch.id})
            for p in (lapsing, dispensed):
                await s.execute(text("DELETE FROM prescription WHERE id = :p"), {"p": p.id})
                await s.execute(text("DELETE FROM beneficiary WHERE id = :b"), {"b": p.beneficiary_id})
            await s.execute(text("DELETE FROM drug_gtin WHERE drug_id = :d"), {"d": drug.id})
            await s.execute(text("DELETE FROM drug WHERE id = :d"), {"d": drug.id})
            await s.execute(text("DELETE FROM organization WHERE id = :o"), {"o": pharmacy})
        await database.dispose()
