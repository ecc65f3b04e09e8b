"""Reading the stock through the API: the list's filters, sorting and low/expiry marks, the XLSX
export, the stock card's running balance, a package's history, inventory counts with their
differences booked, availability for a doctor of the attached pharmacies only."""

from __future__ import annotations

import io
import uuid
from datetime import date, timedelta

import httpx
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.testing.tokens import TokenFactory
from pharmacy.marking.gs1 import parse_marking_code
from pharmacy.models import MarkedPackage, PharmacyAttachment, TraceReport

from .support import doctor, make_batch, make_drug, make_pharmacy, marking_code, pharmacist, tfoms
from .test_operations_api import receipt


async def test_list_filters_sorting_marks_and_export(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    pharmacy = await make_pharmacy(session, "Аптека № 5")
    tag = uuid.uuid4().hex[:5]
    insulin, _ = await make_drug(session, inn=f"Инсулин {tag}", trade_name="Лантус")
    metformin, _ = await make_drug(session, inn=f"Метформин {tag}", trade_name="Сиофор")
    await make_batch(
        session, pharmacy, insulin, quantity=3, expiry=date.today() + timedelta(days=20)
    )  # low, expiring
    await make_batch(session, pharmacy, metformin, quantity=40, funding_source="regional")
    await make_batch(session, pharmacy, metformin, quantity=0)  # empty: hidden by default
    headers = pharmacist(tokens, pharmacy)

    everything = (await client.get("/stock", params={"q": tag}, headers=headers)).json()
    assert everything["total"] == 2
    assert [r["trade_name"] for r in everything["items"]] == ["Лантус", "Сиофор"]  # expiry first
    lantus = everything["items"][0]
    assert lantus["low"] is True and lantus["drug_free"] == 3 and lantus["threshold"] == 5
    assert lantus["days_to_expiry"] == 20
    assert everything["items"][1]["low"] is False

    def names(answer: httpx.Response) -> list[str]:
        assert answer.status_code == 200, answer.text
        return [r["trade_name"] for r in answer.json()["items"]]

    assert names(await client.get("/stock", params={"q": tag, "below_threshold": True}, headers=headers)) == [
        "Лантус"
    ]
    assert names(
        await client.get("/stock", params={"q": tag, "expiring_within_days": 30}, headers=headers)
    ) == ["Лантус"]
    assert names(
        await client.get("/stock", params={"q": tag, "funding_source": "regional"}, headers=headers)
    ) == ["Сиофор"]
    assert names(await client.get("/stock", params={"q": tag, "sort": "-quantity"}, headers=headers)) == [
        "Сиофор",
        "Лантус",
    ]
    assert (
        len(names(await client.get("/stock", params={"q": tag, "include_empty": True}, headers=headers))) == 3
    )
    bad_sort = await client.get("/stock", params={"sort": "secret"}, headers=headers)
    assert bad_sort.status_code == 422 and "secret" in bad_sort.json()["detail"]
    paged = (await client.get("/stock", params={"q": tag, "limit": 1, "offset": 1}, headers=headers)).json()
    assert (paged["total"], len(paged["items"])) == (2, 1)

    exported = await client.get("/stock/export.xlsx", params={"q": tag}, headers=headers)
    assert exported.status_code == 200
    sheet = load_workbook(io.BytesIO(exported.content)).active
    assert sheet is not None
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][:3] == ("Аптека", "МНН", "Торговое наименование")
    assert rows[2][2] == "Лантус" and "ниже порога" in str(rows[2][-1]) and "истекает" in str(rows[2][-1])
    assert len(rows) == 4


async def test_card_running_balance_and_package_history(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    pharmacy = await make_pharmacy(session)
    drug, gtin = await make_drug(session)
    headers = pharmacist(tokens, pharmacy)
    first = [marking_code(gtin) for _ in range(3)]
    second = [marking_code(gtin) for _ in range(2)]
    for codes, series in ((first, "S1"), (second, "S2")):
        answer = await client.post(
            "/stock/receipts", json=receipt(drug.id, codes, line={"series": series}), headers=headers
        )
        assert answer.status_code == 201, answer.text
    batch = (
        await client.get("/stock", params={"drug_id": str(drug.id), "sort": "series"}, headers=headers)
    ).json()["items"][0]["batch_id"]
    written = await client.post(
        "/stock/write-offs",
        json={
            "reason": "defect",
            "number": "АС-1",
            "doc_date": date.today().isoformat(),
            "lines": [{"batch_id": batch, "quantity": 1, "codes": [first[0]]}],
        },
        headers=headers,
    )
    assert written.status_code == 201, written.text

    card = (await client.get(f"/stock/cards/{pharmacy}/{drug.id}", headers=headers)).json()
    assert card["balance"] == 4 and card["total"] == 3
    assert [(m["kind"], m["quantity"], m["balance"]) for m in card["movements"]] == [
        ("receipt", 3, 3),
        ("receipt", 2, 5),
        ("write_off", -1, 4),
    ]
    assert card["movements"][2]["batch_balance"] == 2 and card["movements"][2]["booked_by"] == "pharmacist"
    assert card["movements"][2]["document"].startswith("Акт списания № АС-1")
    page = (
        await client.get(f"/stock/cards/{pharmacy}/{drug.id}", params={"offset": 2}, headers=headers)
    ).json()
    assert [m["balance"] for m in page["movements"]] == [4]  # the running balance is over the whole history
    last = (
        await client.get(
            f"/stock/cards/{pharmacy}/{drug.id}", params={"limit": 2, "last": True}, headers=headers
        )
    ).json()
    assert (last["offset"], [m["balance"] for m in last["movements"]]) == (1, [5, 4])
    missing = await client.get(f"/stock/cards/{pharmacy}/{uuid.uuid4()}", headers=headers)
    assert missing.status_code == 404

    sgtin = parse_marking_code(first[0]).sgtin
    package = (await client.get(f"/stock/packages/{sgtin}", headers=headers)).json()
    assert package["status"] == "written_off" and package["series"] == "S1"
    assert [h["kind"] for h in package["history"]] == ["receipt", "write_off"]
    by_scan = await client.get("/stock/packages/" + first[1].replace("\x1d", "<GS>"), headers=headers)
    assert by_scan.status_code == 200 and by_scan.json()["status"] == "in_stock"
    assert (await client.get(f"/stock/packages/{'0' * 27}", headers=headers)).status_code == 404


async def test_inventory_books_the_differences(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    pharmacy = await make_pharmacy(session)
    drug, gtin = await make_drug(session)
    plain, _ = await make_drug(session, trade_name="Вата", marked=False)
    headers = pharmacist(tokens, pharmacy)
    codes = [marking_code(gtin) for _ in range(3)]
    marked = await client.post("/stock/receipts", json=receipt(drug.id, codes), headers=headers)
    unmarked = await client.post(
        "/stock/receipts", json=receipt(plain.id, [], line={"quantity": 10}), headers=headers
    )
    marked_batch = marked.json()["movements"][0]["batch_id"]
    plain_batch = unmarked.json()["movements"][0]["batch_id"]

    created = await client.post(
        "/stock/inventories", json={"number": "ИНВ-1", "doc_date": date.today().isoformat()}, headers=headers
    )
    assert created.status_code == 201, created.text
    inventory_id = created.json()["document"]["id"]
    assert created.json()["document"]["status"] == "draft"
    surplus_code = marking_code(gtin)
    counted = await client.post(
        f"/stock/inventories/{inventory_id}/lines",
        json={
            "lines": [
                {"batch_id": plain_batch, "counted_quantity": 12},
                {"batch_id": marked_batch, "codes": [codes[0], codes[1], surplus_code]},
            ]
        },
        headers=headers,
    )
    assert counted.status_code == 200, counted.text
    lines = {line["batch_id"]: line for line in counted.json()["lines"]}
    assert lines[plain_batch]["difference"] == 2
    assert lines[marked_batch]["difference"] == 0
    assert lines[marked_batch]["missing_codes"] == [parse_marking_code(codes[2]).sgtin]
    assert lines[marked_batch]["surplus_codes"] == [parse_marking_code(surplus_code).sgtin]

    # counted again: the line is replaced (one missing package, nothing extra)
    await client.post(
        f"/stock/inventories/{inventory_id}/lines",
        json={"lines": [{"batch_id": marked_batch, "codes": [codes[0], codes[1]]}]},
        headers=headers,
    )
    posted = await client.post(f"/stock/inventories/{inventory_id}/post", headers=headers)
    assert posted.status_code == 200, posted.text
    result = posted.json()
    assert result["document"]["status"] == "posted"
    moves = sorted((m["quantity"], m["balance_after"]) for m in result["document"]["movements"])
    assert moves == [(-1, 2), (2, 12)]
    lost = parse_marking_code(codes[2]).sgtin
    assert (
        await session.scalar(select(MarkedPackage.status).where(MarkedPackage.sgtin == lost)) == "written_off"
    )
    report = (await session.scalars(select(TraceReport).where(TraceReport.pharmacy_id == pharmacy))).one()
    assert report.operation == "write_off" and report.sgtins == [lost]

    again = await client.post(f"/stock/inventories/{inventory_id}/post", headers=headers)
    assert again.status_code == 409 and again.json()["type"] == "urn:oms:problem:document-state"
    other = await make_pharmacy(session)
    assert (
        await client.get(f"/stock/inventories/{inventory_id}", headers=pharmacist(tokens, other))
    ).status_code == 404


async def test_availability_for_a_doctor_shows_attached_pharmacies_only(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    mo = uuid.uuid4()
    attached = await make_pharmacy(session, "Аптека при поликлинике")
    elsewhere = await make_pharmacy(session, "Аптека в другом районе")
    session.add(PharmacyAttachment(mo_id=mo, pharmacy_id=attached))
    await session.flush()
    drug, _ = await make_drug(session, inn=f"Аторвастатин {uuid.uuid4().hex[:4]}")
    await make_batch(session, attached, drug, quantity=7)
    await make_batch(session, elsewhere, drug, quantity=9)

    answer = await client.get(
        "/stock/availability", params={"inn": drug.inn.lower()}, headers=doctor(tokens, mo)
    )
    assert answer.status_code == 200, answer.text
    assert [(r["pharmacy_name"], r["free"]) for r in answer.json()] == [("Аптека при поликлинике", 7)]
    hidden = await client.get(
        "/stock/availability",
        params={"inn": drug.inn, "pharmacy_id": str(elsewhere)},
        headers=doctor(tokens, mo),
    )
    assert hidden.status_code == 404
    region = await client.get("/stock/availability", params={"inn": drug.inn}, headers=tfoms(tokens))
    assert sorted(r["free"] for r in region.json()) == [7, 9]
    # a doctor reads, never moves stock
    write = await client.post("/stock/receipts", json=receipt(drug.id, []), headers=doctor(tokens, mo))
    assert write.status_code == 403


async def test_documents_list_and_one_within_the_scope(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    pharmacy = await make_pharmacy(session)
    plain, _ = await make_drug(session, trade_name="Шприц", marked=False)
    headers = pharmacist(tokens, pharmacy)
    posted = await client.post(
        "/stock/receipts",
        json=receipt(plain.id, [], invoice_number="Н-55", line={"quantity": 4}),
        headers=headers,
    )
    assert posted.status_code == 201, posted.text
    listed = (await client.get("/stock/documents", params={"kind": "receipt"}, headers=headers)).json()
    assert [(d["number"], d["kind"]) for d in listed["items"]] == [("Н-55", "receipt")]
    one = (await client.get(f"/stock/documents/{posted.json()['id']}", headers=headers)).json()
    assert [(m["kind"], m["quantity"]) for m in one["movements"]] == [("receipt", 4)]
    assert one["counterparty_name"] == "ООО «Фармкомплект»" and one["created_by"] == "pharmacist"
    other = pharmacist(tokens, await make_pharmacy(session))
    assert (await client.get(f"/stock/documents/{posted.json()['id']}", headers=other)).status_code == 404
    assert (await client.get("/stock/documents", headers=other)).json()["total"] == 0


async def test_an_expired_batch_is_not_transferred(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    here = await make_pharmacy(session)
    there = await make_pharmacy(session)
    plain, _ = await make_drug(session, trade_name="Пластырь", marked=False)
    old = await make_batch(session, here, plain, quantity=3, expiry=date.today() - timedelta(days=2))
    answer = await client.post(
        "/stock/transfers",
        json={
            "to_pharmacy_id": str(there),
            "number": "П-9",
            "doc_date": date.today().isoformat(),
            "lines": [{"batch_id": str(old.id), "quantity": 1}],
        },
        headers=pharmacist(tokens, here),
    )
    assert answer.status_code == 422 and answer.json()["type"] == "urn:oms:problem:batch-expired"
    assert "только списать" in answer.json()["detail"]
    await session.refresh(old)
    assert old.quantity == 3
