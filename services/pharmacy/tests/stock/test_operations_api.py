"""Receipts, write-offs, transfers, returns through the API: marked packages by scanned code,
every refusal a problem+json naming the check and the field, nothing half-written; disposals
queued for МДЛП; scope — another pharmacy's stock is 404."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.testing.tokens import TokenFactory
from pharmacy.marking.gs1 import parse_marking_code
from pharmacy.models import MarkedPackage, Organization, StockBatch, StockMovement, TraceReport
from pharmacy.stock.movements import book

from .support import make_drug, make_pharmacy, marking_code, pharmacist

EXPIRY = date.today() + timedelta(days=400)


def receipt(drug_id: uuid.UUID, codes: list[str], **extra: Any) -> dict[str, Any]:
    line = {
        "drug_id": str(drug_id),
        "series": "AB1234",
        "expiry_date": EXPIRY.isoformat(),
        "funding_source": "federal",
        "unit_price": "152.40",
        "quantity": len(codes),
        "codes": codes,
    }
    line.update(extra.pop("line", {}))
    return {
        "supplier": "ООО «Фармкомплект»",
        "invoice_number": extra.pop("invoice_number", f"Н-{uuid.uuid4().hex[:6]}"),
        "invoice_date": date.today().isoformat(),
        "lines": [line],
        **extra,
    }


async def _receive(
    client: httpx.AsyncClient, tokens: TokenFactory, pharmacy: uuid.UUID, body: dict[str, Any]
) -> httpx.Response:
    return await client.post("/stock/receipts", json=body, headers=pharmacist(tokens, pharmacy))


def _problem(answer: httpx.Response, status: int, code: str) -> dict[str, Any]:
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    body: dict[str, Any] = answer.json()
    assert body["type"] == f"urn:oms:problem:{code}", body
    return body


async def _counts(session: AsyncSession, pharmacy: uuid.UUID) -> tuple[int, int, int]:
    batches = await session.scalar(
        select(func.count()).select_from(StockBatch).where(StockBatch.pharmacy_id == pharmacy)
    )
    packages = await session.scalar(
        select(func.count()).select_from(MarkedPackage).where(MarkedPackage.pharmacy_id == pharmacy)
    )
    movements = await session.scalar(
        select(func.count()).select_from(StockMovement).where(StockMovement.pharmacy_id == pharmacy)
    )
    return batches or 0, packages or 0, movements or 0


async def test_receipt_of_marked_packages_and_the_repeat(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    pharmacy = await make_pharmacy(session)
    drug, gtin = await make_drug(session)
    codes = [marking_code(gtin, expiry=EXPIRY, batch="AB1234") for _ in range(3)]
    body = receipt(drug.id, codes, invoice_number="Н-001")
    answer = await _receive(client, tokens, pharmacy, body)
    assert answer.status_code == 201, answer.text
    document = answer.json()
    assert document["kind"] == "receipt" and document["counterparty_name"] == "ООО «Фармкомплект»"
    [movement] = document["movements"]
    assert (movement["kind"], movement["quantity"], movement["balance_after"]) == ("receipt", 3, 3)
    sgtins = sorted(parse_marking_code(c).sgtin for c in codes)
    assert sorted(movement["sgtins"]) == sgtins
    stored = (await session.scalars(select(MarkedPackage).where(MarkedPackage.sgtin.in_(sgtins)))).all()
    assert {p.status for p in stored} == {"in_stock"}
    assert {p.crypto_key for p in stored} == {"EE10"} and all(p.crypto_code for p in stored)

    before = await _counts(session, pharmacy)
    repeat = _problem(await _receive(client, tokens, pharmacy, body), 409, "duplicate-document")
    assert "Н-001" in repeat["detail"] and "уже принята" in repeat["detail"]
    assert await _counts(session, pharmacy) == before


async def test_receipt_refusals_name_the_check(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    pharmacy = await make_pharmacy(session)
    drug, gtin = await make_drug(session)
    _other, other_gtin = await make_drug(session, trade_name="Другой")
    plain, _ = await make_drug(session, trade_name="Без маркировки", marked=False)
    good = marking_code(gtin)

    unknown = _problem(
        await _receive(client, tokens, pharmacy, receipt(drug.id, [good, "это не код"])),
        422,
        "marking-code-refused",
    )
    assert unknown["errors"][0]["field"] == "lines[0].codes[1]"
    assert "не распознан" in unknown["detail"]

    foreign = _problem(
        await _receive(client, tokens, pharmacy, receipt(drug.id, [good, marking_code(other_gtin)])),
        422,
        "marking-code-refused",
    )
    assert other_gtin in foreign["detail"] and "не относится" in foreign["detail"]

    twice = _problem(
        await _receive(client, tokens, pharmacy, receipt(drug.id, [good, good])), 422, "marking-code-refused"
    )
    assert "повторяется" in twice["detail"]

    short = _problem(
        await _receive(client, tokens, pharmacy, receipt(drug.id, [good], line={"quantity": 2})),
        422,
        "marking-code-refused",
    )
    assert "отсканировано кодов 1" in short["detail"]

    expired = _problem(
        await _receive(
            client,
            tokens,
            pharmacy,
            receipt(drug.id, [good], line={"expiry_date": (date.today() - timedelta(days=1)).isoformat()}),
        ),
        422,
        "batch-expired",
    )
    assert "истёк" in expired["detail"]

    no_drug = _problem(
        await _receive(client, tokens, pharmacy, receipt(uuid.uuid4(), [good])), 422, "drug-unknown"
    )
    assert no_drug["errors"][0]["field"] == "lines[0].drug_id"
    by_gtin = receipt(drug.id, [good])
    del by_gtin["lines"][0]["drug_id"]
    by_gtin["lines"][0]["gtin"] = "4600000000000"
    _problem(await _receive(client, tokens, pharmacy, by_gtin), 422, "drug-unknown")

    two_lines = receipt(plain.id, [], line={"quantity": 1})
    two_lines["lines"].append({**two_lines["lines"][0], "unit_price": "99.00"})
    price = _problem(await _receive(client, tokens, pharmacy, two_lines), 422, "invalid-input")
    assert price["errors"][0]["field"] == "lines[1].unit_price" and "в строке 1" in price["detail"]

    codes_for_plain = _problem(
        await _receive(client, tokens, pharmacy, receipt(plain.id, [good])), 422, "marking-code-refused"
    )
    assert "не подлежит маркировке" in codes_for_plain["detail"]
    assert await _counts(session, pharmacy) == (0, 0, 0)

    # a code received once is refused in the next invoice, naming it
    assert (await _receive(client, tokens, pharmacy, receipt(drug.id, [good]))).status_code == 201
    known = _problem(
        await _receive(client, tokens, pharmacy, receipt(drug.id, [good])), 422, "marking-code-refused"
    )
    assert parse_marking_code(good).sgtin in known["detail"] and "уже известен" in known["detail"]

    # the GTIN identifies the drug too
    by_gtin = receipt(drug.id, [marking_code(gtin)])
    del by_gtin["lines"][0]["drug_id"]
    by_gtin["lines"][0]["gtin"] = gtin
    assert (await _receive(client, tokens, pharmacy, by_gtin)).status_code == 201


async def _stocked(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession, pharmacy: uuid.UUID, n: int = 4
) -> tuple[str, list[str], str]:
    drug, gtin = await make_drug(session)
    codes = [marking_code(gtin) for _ in range(n)]
    answer = await _receive(client, tokens, pharmacy, receipt(drug.id, codes))
    assert answer.status_code == 201, answer.text
    return answer.json()["movements"][0]["batch_id"], codes, str(drug.id)


async def test_write_off_by_code_queues_the_disposal_and_refuses_a_gone_package(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    pharmacy = await make_pharmacy(session)
    batch, codes, _ = await _stocked(client, tokens, session, pharmacy)
    body = {
        "reason": "damage",
        "number": "АС-7",
        "doc_date": date.today().isoformat(),
        "lines": [{"batch_id": batch, "quantity": 1, "codes": [codes[0]]}],
    }
    answer = await client.post("/stock/write-offs", json=body, headers=pharmacist(tokens, pharmacy))
    assert answer.status_code == 201, answer.text
    moved = answer.json()["movements"][0]
    assert (moved["kind"], moved["quantity"], moved["balance_after"], moved["reason"]) == (
        "write_off",
        -1,
        3,
        "damage",
    )
    sgtin = parse_marking_code(codes[0]).sgtin
    assert (
        await session.scalar(select(MarkedPackage.status).where(MarkedPackage.sgtin == sgtin))
        == "written_off"
    )
    report = (await session.scalars(select(TraceReport).where(TraceReport.pharmacy_id == pharmacy))).one()
    assert (report.operation, report.status, report.sgtins) == ("write_off", "queued", [sgtin])

    again = _problem(
        await client.post("/stock/write-offs", json=body, headers=pharmacist(tokens, pharmacy)),
        409,
        "marked-package-state",
    )
    assert "уже выбыт" in again["detail"] and "списан" in again["detail"] and "АС-7" in again["detail"]

    # a dispensed package: the date and the paper named
    dispensed = parse_marking_code(codes[1]).sgtin
    await book(
        session,
        batch_id=uuid.UUID(batch),
        kind="dispense",
        quantity=1,
        booked_by="counter",
        document="Рецепт 7801234 № 15",
        sgtins=[dispensed],
    )
    await session.execute(
        MarkedPackage.__table__.update().where(MarkedPackage.sgtin == dispensed).values(status="dispensed")
    )
    body["lines"] = [{"batch_id": batch, "quantity": 1, "codes": [dispensed]}]
    gone = _problem(
        await client.post("/stock/write-offs", json=body, headers=pharmacist(tokens, pharmacy)),
        409,
        "marked-package-state",
    )
    assert "отпущен" in gone["detail"] and "Рецепт 7801234 № 15" in gone["detail"]
    assert f"{date.today():%d.%m.%Y}" in gone["detail"]

    never_received = marking_code(parse_marking_code(codes[2]).gtin)
    body["lines"] = [{"batch_id": batch, "quantity": 1, "codes": [never_received]}]
    absent = _problem(
        await client.post("/stock/write-offs", json=body, headers=pharmacist(tokens, pharmacy)),
        409,
        "marked-package-state",
    )
    assert "не найден" in absent["detail"]

    more = _problem(
        await client.post(
            "/stock/write-offs",
            json={**body, "lines": [{"batch_id": batch, "quantity": 3, "codes": []}]},
            headers=pharmacist(tokens, pharmacy),
        ),
        422,
        "marking-code-refused",
    )
    assert "нужно 3" in more["detail"]


async def test_negative_stock_of_an_unmarked_drug_is_refused(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    pharmacy = await make_pharmacy(session)
    plain, _ = await make_drug(session, trade_name="Бинт", marked=False)
    answer = await _receive(client, tokens, pharmacy, receipt(plain.id, [], line={"quantity": 2}))
    assert answer.status_code == 201, answer.text
    batch = answer.json()["movements"][0]["batch_id"]
    before = await _counts(session, pharmacy)
    refused = _problem(
        await client.post(
            "/stock/write-offs",
            json={
                "reason": "expired",
                "number": "1",
                "doc_date": date.today().isoformat(),
                "lines": [{"batch_id": batch, "quantity": 3}],
            },
            headers=pharmacist(tokens, pharmacy),
        ),
        409,
        "stock-insufficient",
    )
    assert "Недостаточно остатка" in refused["detail"] and "свободно 2" in refused["detail"]
    assert await _counts(session, pharmacy) == before


async def test_transfer_moves_packages_and_refuses_an_unknown_pharmacy(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    here = await make_pharmacy(session, "Аптека-отправитель")
    there = await make_pharmacy(session, "Аптека-получатель")
    batch, codes, drug_id = await _stocked(client, tokens, session, here, n=3)
    body = {
        "to_pharmacy_id": str(uuid.uuid4()),
        "number": "П-1",
        "doc_date": date.today().isoformat(),
        "lines": [{"batch_id": batch, "quantity": 2, "codes": codes[:2]}],
    }
    before = await _counts(session, here)
    unknown = _problem(
        await client.post("/stock/transfers", json=body, headers=pharmacist(tokens, here)),
        422,
        "pharmacy-unknown",
    )
    assert unknown["errors"][0]["field"] == "to_pharmacy_id"
    assert await _counts(session, here) == before

    body["to_pharmacy_id"] = str(there)
    answer = await client.post("/stock/transfers", json=body, headers=pharmacist(tokens, here))
    assert answer.status_code == 201, answer.text
    kinds = sorted((m["kind"], m["quantity"], m["balance_after"]) for m in answer.json()["movements"])
    assert kinds == [("transfer_in", 2, 2), ("transfer_out", -2, 1)]
    moved = [parse_marking_code(c).sgtin for c in codes[:2]]
    rows = (await session.scalars(select(MarkedPackage).where(MarkedPackage.sgtin.in_(moved)))).all()
    assert {(p.pharmacy_id, p.status) for p in rows} == {(there, "in_stock")}
    target = (
        await session.scalars(
            select(StockBatch).where(
                StockBatch.pharmacy_id == there, StockBatch.drug_id == uuid.UUID(drug_id)
            )
        )
    ).one()
    assert (target.quantity, target.series) == (2, "AB1234")

    # the receiving pharmacist's packages; the sender can no longer move them
    again = _problem(
        await client.post("/stock/transfers", json=body, headers=pharmacist(tokens, here)),
        409,
        "marked-package-state",
    )
    assert "другой аптеке" in again["detail"]


async def test_return_to_supplier_needs_the_supplier_for_marked_packages(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    pharmacy = await make_pharmacy(session)
    supplier = await make_pharmacy(session, "Склад ГУП «Фармация»")
    batch, codes, _ = await _stocked(client, tokens, session, pharmacy, n=2)
    body = {
        "supplier": "ГУП «Фармация»",
        "number": "В-3",
        "doc_date": date.today().isoformat(),
        "lines": [{"batch_id": batch, "quantity": 1, "codes": [codes[0]]}],
    }
    missing = await client.post("/stock/returns", json=body, headers=pharmacist(tokens, pharmacy))
    assert missing.status_code == 422 and "supplier_id" in missing.text
    body["supplier_id"] = str(uuid.uuid4())  # not an organization of the register
    unknown = await client.post("/stock/returns", json=body, headers=pharmacist(tokens, pharmacy))
    assert unknown.status_code == 422, unknown.text
    assert unknown.json()["errors"][0]["field"] == "supplier_id" and "не найден" in unknown.json()["detail"]
    body["supplier_id"] = str(supplier)
    answer = await client.post("/stock/returns", json=body, headers=pharmacist(tokens, pharmacy))
    assert answer.status_code == 201, answer.text
    assert answer.json()["movements"][0]["kind"] == "return"
    sgtin = parse_marking_code(codes[0]).sgtin
    assert (
        await session.scalar(select(MarkedPackage.status).where(MarkedPackage.sgtin == sgtin)) == "returned"
    )
    report = (await session.scalars(select(TraceReport).where(TraceReport.pharmacy_id == pharmacy))).one()
    assert report.operation == "return"


async def test_scope_another_pharmacys_stock_is_not_found(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    mine = await make_pharmacy(session)
    theirs = await make_pharmacy(session)
    batch, codes, drug_id = await _stocked(client, tokens, session, theirs, n=1)
    write = await client.post(
        "/stock/write-offs",
        json={
            "reason": "defect",
            "number": "1",
            "doc_date": date.today().isoformat(),
            "lines": [{"batch_id": batch, "quantity": 1, "codes": codes}],
        },
        headers=pharmacist(tokens, mine),
    )
    assert write.status_code == 404, write.text
    into_theirs = await _receive(
        client, tokens, mine, receipt(uuid.UUID(drug_id), [], pharmacy_id=str(theirs), line={"quantity": 1})
    )
    assert into_theirs.status_code == 404
    card = await client.get(f"/stock/cards/{theirs}/{drug_id}", headers=pharmacist(tokens, mine))
    assert card.status_code == 404
    listed = await client.get("/stock", params={"pharmacy_id": str(theirs)}, headers=pharmacist(tokens, mine))
    assert listed.status_code == 404
    package = await client.get(
        f"/stock/packages/{parse_marking_code(codes[0]).sgtin}", headers=pharmacist(tokens, mine)
    )
    assert package.status_code == 404
    no_write = await client.post(
        "/stock/receipts",
        json=receipt(uuid.UUID(drug_id), []),
        headers=tokens.auth(org_id=mine, org_type="pharmacy", perms=["pharmacy.stock:read"]),
    )
    assert no_write.status_code == 403


async def test_counterparties_list_the_regions_pharmacies_and_warehouses_but_not_their_stock(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    """GET /pharmacies is scoped to the pharmacist's own; a transfer needs the others: this list
    gives every pharmacy and warehouse but the caller's own — code, name and kind only."""
    mine = await make_pharmacy(session, "Своя аптека")
    other = await make_pharmacy(session, "Аптека на Садовой")
    warehouse = Organization(id=uuid.uuid4(), kind="warehouse", code="9902XX", name="Аптечный склад")
    clinic = Organization(id=uuid.uuid4(), kind="mo", code="9900XX", name="Поликлиника")
    session.add_all([warehouse, clinic])
    await session.flush()
    answer = await client.get("/stock/counterparties", headers=pharmacist(tokens, mine))
    assert answer.status_code == 200, answer.text
    items = {i["id"]: i for i in answer.json()}
    assert str(mine) not in items and str(clinic.id) not in items
    assert items[str(other)] == {
        "id": str(other),
        "code": items[str(other)]["code"],
        "name": "Аптека на Садовой",
        "kind": "pharmacy",
    }
    assert items[str(warehouse.id)]["kind"] == "warehouse"
    reader = tokens.auth(org_id=mine, org_type="pharmacy", perms=["pharmacy.stock:read"])
    assert (await client.get("/stock/counterparties", headers=reader)).status_code == 403
