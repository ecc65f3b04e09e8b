"""Which pharmacies serve an MO's benefit prescriptions, through the API: the list with the MOs
and stock, one MO's pharmacies, the list replaced as a whole, unknown ids refused by name with
nothing changed, and who sees and changes what."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal

import httpx
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.testing.tokens import TokenFactory
from pharmacy.models import Drug, Organization, PharmacyAttachment, StockBatch

WRITE = ["pharmacy.attachment:write", "pharmacy.stock:read", "pharmacy.prescription:read"]


async def _region(session: AsyncSession) -> tuple[list[Organization], list[Organization]]:
    mos = [
        Organization(id=uuid.uuid4(), name=f"ГБУЗ «Поликлиника № {n}»", kind="mo", code=f"7700{n:02d}")
        for n in (1, 2)
    ]
    pharmacies = [
        Organization(id=uuid.uuid4(), name=f"Аптека № {n}", kind="pharmacy", code=f"7701{n:02d}")
        for n in (1, 2, 3)
    ]
    session.add_all([*mos, *pharmacies])
    await session.flush()
    return mos, pharmacies


def fund(tokens: TokenFactory) -> dict[str, str]:
    return tokens.auth(roles=["tfoms_analyst"], perms=WRITE, org_type="tfoms", subject="fund")


def doctor(tokens: TokenFactory, mo: Organization) -> dict[str, str]:
    return tokens.auth(
        roles=["doctor"],
        perms=["pharmacy.prescription:read", "pharmacy.stock:read"],
        org_id=mo.id,
        org_type="mo",
        subject="doctor",
    )


def pharmacist(tokens: TokenFactory, pharmacy: Organization) -> dict[str, str]:
    return tokens.auth(
        roles=["pharmacist"], perms=["pharmacy.stock:read"], org_id=pharmacy.id, org_type="pharmacy"
    )


async def _attached(session: AsyncSession, mo_id: uuid.UUID) -> set[uuid.UUID]:
    return set(
        await session.scalars(select(PharmacyAttachment.pharmacy_id).where(PharmacyAttachment.mo_id == mo_id))
    )


async def test_the_fund_sets_an_mos_pharmacies_as_a_whole(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    (mo1, mo2), (ph1, ph2, ph3) = await _region(session)
    url = f"/mos/{mo1.id}/pharmacies"
    r = await client.put(
        url, json={"pharmacy_ids": [str(ph2.id), str(ph1.id), str(ph1.id)]}, headers=fund(tokens)
    )
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["mo"] == {"id": str(mo1.id), "code": "770001", "name": "ГБУЗ «Поликлиника № 1»"}
    assert [p["code"] for p in body["pharmacies"]] == ["770101", "770102"]  # by code, repeats once
    assert body["pharmacies"][0]["mos"] == [{"id": str(mo1.id), "code": "770001", "name": mo1.name}]

    # the whole list is replaced: ph1 leaves, ph3 joins; the other MO is untouched
    await client.put(f"/mos/{mo2.id}/pharmacies", json={"pharmacy_ids": [str(ph1.id)]}, headers=fund(tokens))
    r = await client.put(url, json={"pharmacy_ids": [str(ph2.id), str(ph3.id)]}, headers=fund(tokens))
    assert r.status_code == 200, r.text
    assert await _attached(session, mo1.id) == {ph2.id, ph3.id}
    assert await _attached(session, mo2.id) == {ph1.id}

    got = await client.get(url, headers=fund(tokens))
    assert got.status_code == 200
    assert [p["id"] for p in got.json()["pharmacies"]] == [str(ph2.id), str(ph3.id)]

    # an empty list detaches every pharmacy
    r = await client.put(url, json={"pharmacy_ids": []}, headers=fund(tokens))
    assert r.status_code == 200 and r.json()["pharmacies"] == []
    assert await _attached(session, mo1.id) == set()


async def test_unknown_ids_are_named_and_nothing_changes(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    (mo1, mo2), (ph1, ph2, _) = await _region(session)
    await client.put(f"/mos/{mo1.id}/pharmacies", json={"pharmacy_ids": [str(ph1.id)]}, headers=fund(tokens))
    stranger = uuid.uuid4()
    # an MO's id where a pharmacy's is expected is unknown as a pharmacy too
    r = await client.put(
        f"/mos/{mo1.id}/pharmacies",
        json={"pharmacy_ids": [str(ph2.id), str(stranger), str(mo2.id)]},
        headers=fund(tokens),
    )
    assert r.status_code == 422, r.text
    problem = r.json()
    assert problem["type"] == "urn:oms:problem:unknown-organization"
    assert str(stranger) in problem["detail"] and str(mo2.id) in problem["detail"]
    assert str(ph2.id) not in problem["detail"]
    assert problem["errors"][0]["field"] == "pharmacy_ids"
    assert await _attached(session, mo1.id) == {ph1.id}

    nowhere = uuid.uuid4()
    r = await client.put(
        f"/mos/{nowhere}/pharmacies", json={"pharmacy_ids": [str(ph1.id)]}, headers=fund(tokens)
    )
    assert r.status_code == 422 and str(nowhere) in r.json()["detail"]
    assert await _attached(session, nowhere) == set()
    assert (await client.get(f"/mos/{nowhere}/pharmacies", headers=fund(tokens))).status_code == 404


async def test_who_sees_and_who_changes(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    (mo1, mo2), (ph1, ph2, ph3) = await _region(session)
    await client.put(
        f"/mos/{mo1.id}/pharmacies", json={"pharmacy_ids": [str(ph1.id), str(ph2.id)]}, headers=fund(tokens)
    )
    await client.put(
        f"/mos/{mo2.id}/pharmacies", json={"pharmacy_ids": [str(ph2.id), str(ph3.id)]}, headers=fund(tokens)
    )

    # a doctor: their MO's pharmacies only; another MO's list is not found
    own = await client.get("/pharmacies", headers=doctor(tokens, mo1))
    assert [p["code"] for p in own.json()["items"]] == ["770101", "770102"]
    assert own.json()["total"] == 2
    assert (await client.get(f"/mos/{mo1.id}/pharmacies", headers=doctor(tokens, mo1))).status_code == 200
    assert (await client.get(f"/mos/{mo2.id}/pharmacies", headers=doctor(tokens, mo1))).status_code == 404
    # … and may not change it
    r = await client.put(f"/mos/{mo1.id}/pharmacies", json={"pharmacy_ids": []}, headers=doctor(tokens, mo1))
    assert r.status_code == 403 and "pharmacy.attachment:write" in r.json()["detail"]
    assert await _attached(session, mo1.id) == {ph1.id, ph2.id}

    # a pharmacist: their own pharmacy, with the MOs it serves
    mine = await client.get("/pharmacies", headers=pharmacist(tokens, ph2))
    assert [p["id"] for p in mine.json()["items"]] == [str(ph2.id)]
    assert [m["code"] for m in mine.json()["items"][0]["mos"]] == ["770001", "770002"]

    # the region: every pharmacy; filters by MO and by name, sorting
    every = await client.get("/pharmacies?sort=-code", headers=fund(tokens))
    codes = [p["code"] for p in every.json()["items"]]
    assert codes == ["770103", "770102", "770101"]
    of_mo2 = await client.get(f"/pharmacies?mo_id={mo2.id}", headers=fund(tokens))
    assert [p["code"] for p in of_mo2.json()["items"]] == ["770102", "770103"]
    named = await client.get("/pharmacies", params={"q": "Аптека № 3"}, headers=fund(tokens))
    assert [p["code"] for p in named.json()["items"]] == ["770103"]
    bad_sort = await client.get("/pharmacies?sort=inn", headers=fund(tokens))
    assert bad_sort.status_code == 422

    nobody = tokens.auth(roles=["mo_economist"], perms=["pharmacy.requisition:read"], org_type="mo")
    assert (await client.get("/pharmacies", headers=nobody)).status_code == 403


async def test_stock_summary_counts_unexpired_free_and_expiring(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    (mo1, _), (ph1, ph2, _) = await _region(session)
    drugs = [
        Drug(
            id=uuid.uuid4(),
            inn=inn,
            trade_name=inn,
            dosage_form="таблетки",
            dosage="10 мг",
            package_quantity=30,
            vital=True,
            marked=True,
            valid_from=date(2026, 1, 1),
        )
        for inn in ("Эналаприл", "Бисопролол", "Аторвастатин")
    ]
    session.add_all(drugs)
    await session.flush()
    today = date(2026, 11, 24)

    def batch(drug: Drug, series: str, expiry: date, quantity: int, reserved: int = 0) -> StockBatch:
        return StockBatch(
            pharmacy_id=ph1.id,
            drug_id=drug.id,
            series=series,
            expiry_date=expiry,
            funding_source="federal",
            unit_price=Decimal("120.50"),
            quantity=quantity,
            reserved=reserved,
        )

    session.add_all(
        [
            batch(drugs[0], "A1", today + timedelta(days=400), 10, 2),
            batch(drugs[0], "A2", today + timedelta(days=10), 3),  # expiring within 30 days
            batch(drugs[1], "B1", today + timedelta(days=200), 4, 4),  # all reserved: not free
            batch(drugs[2], "C1", today - timedelta(days=1), 5),  # expired, not written off
        ]
    )
    await session.flush()
    await client.put(
        f"/mos/{mo1.id}/pharmacies", json={"pharmacy_ids": [str(ph1.id), str(ph2.id)]}, headers=fund(tokens)
    )

    r = await client.get(f"/mos/{mo1.id}/pharmacies?with_stock=true&on={today}", headers=doctor(tokens, mo1))
    assert r.status_code == 200, r.text
    by_code = {p["code"]: p["stock"] for p in r.json()["pharmacies"]}
    assert by_code["770101"] == {
        "on": str(today),
        "drugs": 1,
        "packages": 17,
        "reserved": 6,
        "expiring_30_days": 3,
        "expired": 5,
    }
    assert by_code["770102"]["packages"] == 0 and by_code["770102"]["drugs"] == 0
    plain = await client.get(f"/mos/{mo1.id}/pharmacies", headers=doctor(tokens, mo1))
    assert all(p["stock"] is None for p in plain.json()["pharmacies"])
