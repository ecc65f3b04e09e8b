"""Deferred service: the deadline by the production calendar (holidays skipped), working days
left and overdue, validity extended by the deferral, served first (oldest first) when stock
arrives, ready ones first on the list, who sees which list."""

from __future__ import annotations

from datetime import date, timedelta

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.testing.tokens import TokenFactory
from pharmacy.dispensing import service
from pharmacy.dispensing.schemas import DeferredIn, DeferredRead
from pharmacy.models import DeferredService, Prescription, Reservation
from pharmacy.prescriptions.rules import DeferredServiceKind
from pharmacy.stock.movements import book

from . import support
from .support import pharmacist


async def test_deadline_skips_the_new_year_holidays_and_counts_down(session: AsyncSession) -> None:
    c = await support.counter(session, packages=0)
    p = await support.prescription(session, c, quantity=1, issued_on=date(2026, 12, 20))
    who = support.pharmacist_principal(c.pharmacy_id)
    entry = await service.defer(
        session,
        who,
        DeferredIn(prescription_id=p.id, kind=DeferredServiceKind.PREFERENTIAL),
        on=date(2026, 12, 25),
    )
    # 10 working days after Fri 25.12.2026: 28, 29, 30 Dec (31 Dec and 1–8 Jan are holidays),
    # 11–15 Jan, 18, 19 Jan — without the holidays it would be 8 Jan
    assert entry.deadline == date(2027, 1, 19)
    assert entry.status == "waiting" and entry.working_days_left == 10 and not entry.overdue
    assert (await session.get(Prescription, p.id, populate_existing=True)).status == "deferred"  # type: ignore[union-attr]

    def listed(items: list[DeferredRead]) -> list[DeferredRead]:
        return [i for i in items if i.prescription_id == p.id]

    items = await service.deferred_list(
        session,
        who,
        pharmacy_id=None,
        statuses=("waiting", "ready"),
        kind=None,
        inn=None,
        overdue=None,
        today=date(2027, 1, 12),
    )
    [row] = listed(items)
    assert row.working_days_left == 5 and row.overdue is False  # 13, 14, 15, 18, 19 Jan
    items = await service.deferred_list(
        session,
        who,
        pharmacy_id=None,
        statuses=("waiting", "ready"),
        kind=None,
        inn=None,
        overdue=True,
        today=date(2027, 1, 20),
    )
    [row] = listed(items)
    assert row.overdue is True and row.working_days_left == 0

    quick = await support.prescription(session, c, quantity=1, issued_on=date(2026, 12, 20))
    five = await service.defer(
        session,
        who,
        DeferredIn(prescription_id=quick.id, kind=DeferredServiceKind.MINIMUM_ASSORTMENT),
        on=date(2026, 12, 25),
    )
    assert five.deadline == date(2027, 1, 12)  # 28, 29, 30 Dec, 11, 12 Jan


async def test_deferral_extends_validity_past_the_term(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    c = await support.counter(session, packages=1)
    issued = date.today() - timedelta(days=40)
    p = await support.prescription(session, c, quantity=1, issued_on=issued)  # expired 10 days ago
    plain = await support.prescription(session, c, quantity=1, issued_on=issued)
    who = support.pharmacist_principal(c.pharmacy_id)
    await service.defer(session, who, DeferredIn(prescription_id=p.id), on=issued + timedelta(days=20))
    auth = pharmacist(tokens, c.pharmacy_id)

    refused = await client.post(
        "/dispensing/dispenses", json={"prescription_id": str(plain.id), "codes": c.codes}, headers=auth
    )
    assert refused.status_code == 422 and {e["type"] for e in refused.json()["errors"]} == {"expired"}
    served = await client.post(
        "/dispensing/dispenses", json={"prescription_id": str(p.id), "codes": c.codes}, headers=auth
    )
    assert served.status_code == 201, served.text
    entry = await session.get(DeferredService, p.id, populate_existing=True)
    assert entry is not None and entry.status == "served" and entry.served_on == date.today()


async def test_arrival_serves_the_oldest_first_and_ready_ones_lead_the_list(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    c = await support.counter(session, packages=0)
    auth = pharmacist(tokens, c.pharmacy_id)
    today = date.today()
    older = await support.prescription(session, c, quantity=1, issued_on=today - timedelta(days=3))
    younger = await support.prescription(session, c, quantity=1, issued_on=today - timedelta(days=2))
    unrelated = await support.prescription(session, c, quantity=1, inn="Эналаприл", dosage="10 мг")
    who = support.pharmacist_principal(c.pharmacy_id)
    # the younger one is registered first, but requested later
    await service.defer(session, who, DeferredIn(prescription_id=younger.id), on=today - timedelta(days=1))
    await service.defer(session, who, DeferredIn(prescription_id=older.id), on=today - timedelta(days=2))
    answer = await client.post(
        "/dispensing/deferred", json={"prescription_id": str(unrelated.id)}, headers=auth
    )
    assert answer.status_code == 201, answer.text
    assert answer.json()["deadline"] > today.isoformat()
    again = await client.post(
        "/dispensing/deferred", json={"prescription_id": str(unrelated.id)}, headers=auth
    )
    assert again.status_code == 409 and again.json()["errors"][0]["type"] == "already_deferred"

    await book(session, batch_id=c.batch.id, kind="receipt", quantity=1, booked_by="test", document="ТН 1")
    ready = await session.get(DeferredService, older.id, populate_existing=True)
    waiting = await session.get(DeferredService, younger.id, populate_existing=True)
    assert ready is not None and ready.status == "ready" and ready.reservation_id is not None
    assert waiting is not None and waiting.status == "waiting"
    held = await session.get(Reservation, ready.reservation_id)
    assert held is not None and held.batch_id == c.batch.id and held.status == "active"

    listed = await client.get("/dispensing/deferred", headers=auth)
    assert listed.status_code == 200, listed.text
    order = [i["prescription_id"] for i in listed.json()["items"]]
    assert order[0] == str(older.id) and set(order) == {str(older.id), str(younger.id), str(unrelated.id)}

    # the ready one is dispensed against its reservation: the reserve goes, the entry is served
    scan = (await client.get(f"/dispensing/prescriptions/{older.id}", headers=auth)).json()
    assert scan["reservations"][0]["quantity"] == 1 and scan["deferred"]["status"] == "ready"
    await book(session, batch_id=c.batch.id, kind="receipt", quantity=1, booked_by="test", document="ТН 2")
    both = (
        await session.scalars(
            select(DeferredService.status).where(DeferredService.prescription_id.in_([older.id, younger.id]))
        )
    ).all()
    assert sorted(both) == ["ready", "ready"]

    other = support.pharmacist_principal(await support.pharmacy(session, "Чужая"))
    mine = await service.deferred_list(
        session, other, pharmacy_id=None, statuses=("waiting", "ready"), kind=None, inn=None, overdue=None
    )
    assert mine == []
    region = await client.get(
        "/dispensing/deferred",
        params={"pharmacy_id": str(c.pharmacy_id), "inn": "эналап"},
        headers=support.fund(tokens),
    )
    assert region.status_code == 200 and [i["prescription_id"] for i in region.json()["items"]] == [
        str(unrelated.id)
    ]


async def test_arrival_of_regional_stock_does_not_serve_a_federal_prescription(session: AsyncSession) -> None:
    c = await support.counter(session, packages=0)  # the counter's batch is federal
    federal = await support.prescription(session, c, quantity=1)
    who = support.pharmacist_principal(c.pharmacy_id)
    await service.defer(session, who, DeferredIn(prescription_id=federal.id), on=date.today())
    regional, _ = await support.batch(session, c.pharmacy_id, c.drug, c.gtin, 0, marked=False)
    regional.funding_source = "regional"
    await session.flush()

    await book(session, batch_id=regional.id, kind="receipt", quantity=3, booked_by="test", document="ТН 3")
    entry = await session.get(DeferredService, federal.id, populate_existing=True)
    assert entry is not None and entry.status == "waiting" and entry.reservation_id is None
    assert (
        await session.scalars(select(Reservation).where(Reservation.prescription_id == federal.id))
    ).all() == []

    await book(session, batch_id=c.batch.id, kind="receipt", quantity=1, booked_by="test", document="ТН 4")
    entry = await session.get(DeferredService, federal.id, populate_existing=True)
    assert entry is not None and entry.status == "ready"
    held = await session.get(Reservation, entry.reservation_id)
    assert held is not None and held.batch_id == c.batch.id
