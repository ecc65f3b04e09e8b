"""The batch picker of an unmarked drug at the counter: the batches the prescription may be
filled from (this pharmacy, the prescribed drug, its budget, not expired, packages free for it —
its own reservation counted), earliest expiry first; the dispense from the chosen batch; the
refusals of another budget's batch and of a batch with too few free packages, stock unchanged.
And the read of one dispense (scope, audit)."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.audit import AuditRecord
from oms_kit.testing.tokens import TokenFactory
from pharmacy.models import Dispense, Drug, Prescription, StockBatch
from pharmacy.stock.reservations import reserve

from . import support
from .support import pharmacist
from .test_dispense_api import _stock

BANDAGE: dict[str, Any] = {"inn": "Бинт", "dosage_form": "бинт", "dosage": "7 м x 14 см"}


async def _bandage(session: AsyncSession) -> tuple[Drug, str]:
    return await support.drug(session, trade_name="Бинт стерильный", marked=False, **BANDAGE)


async def _unmarked_batch(
    session: AsyncSession,
    pharmacy_id: uuid.UUID,
    drug: Drug,
    gtin: str,
    packages: int,
    days: int,
    **extra: Any,
) -> StockBatch:
    row, _ = await support.batch(
        session,
        pharmacy_id,
        drug,
        gtin,
        packages,
        marked=False,
        expiry=date.today() + timedelta(days=days),
        **extra,
    )
    return row


async def _counter_view(
    client: httpx.AsyncClient, auth: dict[str, str], prescription: Prescription
) -> dict[str, Any]:
    answer = await client.get(f"/dispensing/prescriptions/{prescription.id}", headers=auth)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def test_the_batches_an_unmarked_prescription_may_be_filled_from(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    c = await support.counter(session, packages=1)
    bandage, gtin = await _bandage(session)
    late = await _unmarked_batch(session, c.pharmacy_id, bandage, gtin, 5, 400, price=Decimal("40.10"))
    early = await _unmarked_batch(session, c.pharmacy_id, bandage, gtin, 3, 100, price=Decimal("38.00"))
    await _unmarked_batch(session, c.pharmacy_id, bandage, gtin, 4, -1)  # expired yesterday
    await _unmarked_batch(session, c.pharmacy_id, bandage, gtin, 4, 50, funding_source="regional")
    taken = await _unmarked_batch(session, c.pharmacy_id, bandage, gtin, 2, 60)
    taken.reserved = 2  # held whole for another prescription
    elsewhere = await support.pharmacy(session, "Аптека № 12")
    theirs = await _unmarked_batch(session, elsewhere, bandage, gtin, 6, 30)
    await session.flush()
    p = await support.prescription(session, c, quantity=2, **BANDAGE)
    q = await support.prescription(session, c, quantity=1, **BANDAGE)
    held = await reserve(
        session,
        prescription_id=p.id,
        pharmacy_id=c.pharmacy_id,
        drug_id=bandage.id,
        funding_source="federal",
        quantity=2,
        days=3,
        created_by="test",
        **BANDAGE,
    )
    assert held is not None and held.batch_id == early.id
    assert await _stock(session, early.id) == (3, 2)
    auth = pharmacist(tokens, c.pharmacy_id)

    body = await _counter_view(client, auth, p)
    assert body["marked"] is False
    assert [
        (b["batch_id"], b["series"], b["expiry_date"], b["free"], b["unit_price"], b["trade_name"])
        for b in body["batches"]
    ] == [
        (str(early.id), early.series, early.expiry_date.isoformat(), 3, "38.00", "Бинт стерильный"),
        (str(late.id), late.series, late.expiry_date.isoformat(), 5, "40.10", "Бинт стерильный"),
    ]
    # another prescription does not count p's reservation as free
    other = await _counter_view(client, auth, q)
    assert [(b["batch_id"], b["free"]) for b in other["batches"]] == [(str(early.id), 1), (str(late.id), 5)]
    # a marked prescription is given by its codes: no batches to pick
    marked = await support.prescription(session, c, quantity=1)
    assert (await _counter_view(client, auth, marked))["batches"] == []
    # the other pharmacy's pharmacist sees their own batch only
    there = await _counter_view(client, pharmacist(tokens, elsewhere), q)
    assert [b["batch_id"] for b in there["batches"]] == [str(theirs.id)]
    # scope of the counter view: another pharmacy's stock is not asked for, bad input is a problem
    foreign = await client.get(
        f"/dispensing/prescriptions/{p.id}", params={"pharmacy_id": str(elsewhere)}, headers=auth
    )
    assert foreign.status_code == 404, foreign.text
    bad = await client.get("/dispensing/prescriptions/not-an-id", headers=auth)
    assert bad.status_code == 422 and bad.headers["content-type"].startswith("application/problem+json")
    assert taken.id not in {uuid.UUID(b["batch_id"]) for b in body["batches"]}
    # the FEFO batch given to p: its own reservation is what it takes
    given = await client.post(
        "/dispensing/dispenses",
        json={"prescription_id": str(p.id), "items": [{"batch_id": str(early.id), "quantity": 2}]},
        headers=auth,
    )
    assert given.status_code == 201, given.text
    assert await _stock(session, early.id) == (1, 0)
    assert [(b["batch_id"], b["free"]) for b in (await _counter_view(client, auth, q))["batches"]] == [
        (str(early.id), 1),
        (str(late.id), 5),
    ]


async def test_an_unmarked_drug_is_dispensed_from_the_chosen_batch(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    c = await support.counter(session, packages=1)
    bandage, gtin = await _bandage(session)
    early = await _unmarked_batch(session, c.pharmacy_id, bandage, gtin, 3, 100)
    late = await _unmarked_batch(session, c.pharmacy_id, bandage, gtin, 5, 400, price=Decimal("40.10"))
    p = await support.prescription(session, c, quantity=2, **BANDAGE)
    auth = pharmacist(tokens, c.pharmacy_id)
    picked = (await _counter_view(client, auth, p))["batches"][1]
    assert picked["batch_id"] == str(late.id)

    given = await client.post(
        "/dispensing/dispenses",
        json={"prescription_id": str(p.id), "items": [{"batch_id": picked["batch_id"], "quantity": 2}]},
        headers=auth,
    )
    assert given.status_code == 201, given.text
    d = given.json()
    assert d["quantity"] == 2 and Decimal(d["amount"]) == Decimal("80.20") and d["trace_report_id"] is None
    assert [(i["batch_id"], i["series"], i["sgtin"]) for i in d["items"]] == [
        (str(late.id), late.series, None)
    ] * 2
    assert await _stock(session, late.id) == (3, 0)
    assert await _stock(session, early.id) == (3, 0)
    assert (await session.get(Prescription, p.id, populate_existing=True)).status == "dispensed"  # type: ignore[union-attr]

    read = await client.get(f"/dispensing/dispenses/{d['id']}", headers=auth)
    assert read.status_code == 200, read.text
    assert read.json() == d | {"dispensed_at": read.json()["dispensed_at"]}
    assert read.json()["drug"]["trade_name"] == "Бинт стерильный"


async def test_another_budget_or_too_few_free_packages_is_refused_and_stock_unchanged(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    c = await support.counter(session, packages=1)
    bandage, gtin = await _bandage(session)
    regional = await _unmarked_batch(session, c.pharmacy_id, bandage, gtin, 5, 100, funding_source="regional")
    short = await _unmarked_batch(session, c.pharmacy_id, bandage, gtin, 3, 200)
    short.reserved = 2  # two of the three held for another prescription
    await session.flush()
    p = await support.prescription(session, c, quantity=2, **BANDAGE)
    auth = pharmacist(tokens, c.pharmacy_id)

    wrong_budget = await client.post(
        "/dispensing/dispenses",
        json={"prescription_id": str(p.id), "items": [{"batch_id": str(regional.id), "quantity": 2}]},
        headers=auth,
    )
    assert wrong_budget.status_code == 422, wrong_budget.text
    assert {e["type"] for e in wrong_budget.json()["errors"]} == {"funding_mismatch"}
    assert wrong_budget.json()["errors"][0]["field"] == "items[0]"
    assert "регионального бюджета" in wrong_budget.json()["detail"]

    too_few = await client.post(
        "/dispensing/dispenses",
        json={"prescription_id": str(p.id), "items": [{"batch_id": str(short.id), "quantity": 2}]},
        headers=auth,
    )
    assert too_few.status_code == 409, too_few.text
    assert {e["type"] for e in too_few.json()["errors"]} == {"stock_insufficient"}
    assert too_few.json()["errors"][0]["field"] == "items[0]"
    assert f"В партии {short.series} свободно 1 уп., а отпускается 2 уп." in too_few.json()["detail"]

    assert await _stock(session, regional.id) == (5, 0)
    assert await _stock(session, short.id) == (3, 2)
    assert (await session.get(Prescription, p.id, populate_existing=True)).status == "issued"  # type: ignore[union-attr]
    assert await session.scalar(select(func.count()).where(Dispense.prescription_id == p.id)) == 0
    assert (await _counter_view(client, auth, p))["batches"] == [
        {
            "batch_id": str(short.id),
            "drug_id": str(bandage.id),
            "trade_name": "Бинт стерильный",
            "series": short.series,
            "expiry_date": short.expiry_date.isoformat(),
            "free": 1,
            "unit_price": "123.45",
        }
    ]


async def test_a_dispense_is_read_in_scope_and_audited(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    c = await support.counter(session, packages=2)
    p = await support.prescription(session, c, quantity=1)
    auth = pharmacist(tokens, c.pharmacy_id)
    given = await client.post(
        "/dispensing/dispenses", json={"prescription_id": str(p.id), "codes": c.codes[:1]}, headers=auth
    )
    assert given.status_code == 201, given.text
    dispense_id = given.json()["id"]

    def audited() -> Any:
        return select(func.count()).where(
            AuditRecord.person_id == c.beneficiary.person_id,
            AuditRecord.resource == "pharmacy.prescription.dispense",
        )

    before = await session.scalar(audited())
    read = await client.get(f"/dispensing/dispenses/{dispense_id}", headers=auth)
    assert read.status_code == 200, read.text
    assert read.json()["items"][0]["sgtin"] == c.sgtin(0) and read.json()["drug"]["id"] == str(c.drug.id)
    assert await session.scalar(audited()) == (before or 0) + 1
    fund = await client.get(f"/dispensing/dispenses/{dispense_id}", headers=support.fund(tokens))
    assert fund.status_code == 200, fund.text

    stranger = await client.get(
        f"/dispensing/dispenses/{dispense_id}", headers=pharmacist(tokens, uuid.uuid4())
    )
    assert stranger.status_code == 404 and stranger.json()["detail"] == "Отпуск не найден"
    missing = await client.get(f"/dispensing/dispenses/{uuid.uuid4()}", headers=auth)
    assert missing.status_code == 404
    assert await session.scalar(audited()) == (before or 0) + 2
