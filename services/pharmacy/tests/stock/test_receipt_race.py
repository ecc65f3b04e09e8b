"""The same invoice posted twice at once (a double click, two clerks): the unique index on
pharmacy + invoice number + date lets one receipt through; the other is the 409
duplicate-document — the stock is received once."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from oms_kit.auth.principal import Principal
from pharmacy.models import StockBatch, StockDocument
from pharmacy.scope import PharmacyScope
from pharmacy.stock import service
from pharmacy.stock.errors import DuplicateDocument
from pharmacy.stock.schemas import ReceiptIn, ReceiptLineIn

from .support import make_drug, make_pharmacy


async def test_two_clerks_posting_one_invoice_receive_it_once(database_url: str) -> None:
    engine = create_async_engine(database_url)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    async with sessions() as s, s.begin():
        pharmacy = await make_pharmacy(s, "Аптека двойного клика")
        drug, _ = await make_drug(s, trade_name=f"Бинт {uuid.uuid4().hex[:4]}", marked=False)
    scope = PharmacyScope(frozenset(), frozenset({pharmacy}), frozenset({pharmacy}), pharmacy)
    body = ReceiptIn(
        supplier="ГУП «Фармация»",
        invoice_number="Н-2",
        invoice_date=date.today(),
        lines=[
            ReceiptLineIn(
                drug_id=drug.id,
                series="S1",
                expiry_date=date.today() + timedelta(days=300),
                funding_source="regional",
                unit_price=Decimal("10.00"),
                quantity=5,
            )
        ],
    )
    try:

        async def clerk(name: str) -> str:
            principal = Principal(subject=name, org_id=pharmacy, org_type="pharmacy")
            try:
                async with sessions() as s, s.begin():
                    await service.receive(s, scope, principal, body)
                    await asyncio.sleep(0.2)  # the other clerk's insert waits on this one's
            except DuplicateDocument:
                return "refused"
            return "received"

        results = sorted(await asyncio.gather(clerk("clerk-1"), clerk("clerk-2")))
        assert results == ["received", "refused"]
        async with sessions() as s:
            held = await s.scalar(
                select(func.sum(StockBatch.quantity)).where(StockBatch.pharmacy_id == pharmacy)
            )
            documents = await s.scalar(
                select(func.count()).select_from(StockDocument).where(StockDocument.pharmacy_id == pharmacy)
            )
            assert (held, documents) == (5, 1)
    finally:
        async with sessions() as s, s.begin():
            await s.execute(text("DELETE FROM stock_movement WHERE pharmacy_id = :p"), {"p": pharmacy})
            await s.execute(text("DELETE FROM stock_document WHERE pharmacy_id = :p"), {"p": pharmacy})
            await s.execute(text("DELETE FROM stock_batch WHERE pharmacy_id = :p"), {"p": pharmacy})
            await s.execute(text("DELETE FROM drug_gtin WHERE drug_id = :d"), {"d": drug.id})
            await s.execute(text("DELETE FROM drug WHERE id = :d"), {"d": drug.id})
            await s.execute(text("DELETE FROM organization WHERE id = :o"), {"o": pharmacy})
        await engine.dispose()
