"""The dispense through the API: the happy path with every effect (stock, packages, dispense,
prescription, movement, МДЛП report, the event finance reads), and each refusal naming its check
with nothing changed."""

from __future__ import annotations

import importlib.util
import sys
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.testing.tokens import TokenFactory
from pharmacy.models import (
    Dispense,
    DispenseItem,
    MarkedPackage,
    PersonDeath,
    Prescription,
    Reservation,
    StockBatch,
    StockMovement,
    TraceReport,
)
from pharmacy.stock.reservations import reserve

from . import support
from .support import pharmacist

FINANCE_CONSUMED = Path(__file__).resolve().parents[3] / "finance" / "finance" / "events" / "consumed.py"


def _finance_model() -> Any:
    """Finance's tolerant reader of the event, loaded from its file (services do not import
    each other; the test compares the two ends of the contract)."""
    spec = importlib.util.spec_from_file_location("finance_consumed_for_test", FINANCE_CONSUMED)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module.PharmacyPrescriptionDispensed


async def _stock(session: AsyncSession, batch_id: uuid.UUID) -> tuple[int, int]:
    row = (
        await session.execute(
            select(StockBatch.quantity, StockBatch.reserved).where(StockBatch.id == batch_id)
        )
    ).one()
    return int(row[0]), int(row[1])


async def _movements(session: AsyncSession, batch_id: uuid.UUID) -> int:
    return int(await session.scalar(select(func.count()).where(StockMovement.batch_id == batch_id)) or 0)


def _codes(answer: httpx.Response) -> set[str]:
    return {e["type"] for e in answer.json().get("errors") or []}


async def test_dispense_takes_the_packages_and_tells_finance(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    c = await support.counter(session, packages=3)
    p = await support.prescription(session, c, quantity=2)
    auth = pharmacist(tokens, c.pharmacy_id)

    scanned = await client.post(
        "/dispensing/scan", json={"code": c.codes[0], "prescription_id": str(p.id)}, headers=auth
    )
    assert scanned.status_code == 200, scanned.text
    body = scanned.json()
    assert body["usable"] is True and body["problems"] == []
    assert body["parsed"]["sgtin"] == c.sgtin(0) and len(body["parsed"]["crypto"]) == 44
    assert body["package"]["status"] == "in_stock" and body["package"]["series"] == c.batch.series
    assert body["drug"]["inn"] == "Метформин"

    answer = await client.post(
        "/dispensing/dispenses",
        json={"series": p.series, "number": p.number, "codes": c.codes[:2]},
        headers=auth,
    )
    assert answer.status_code == 201, answer.text
    d = answer.json()
    assert d["quantity"] == 2 and Decimal(d["amount"]) == Decimal("246.90")
    assert {i["sgtin"] for i in d["items"]} == {c.sgtin(0), c.sgtin(1)}
    assert d["trace_report_id"] is not None

    assert await _stock(session, c.batch.id) == (1, 0)
    statuses = dict(
        (
            await session.execute(
                select(MarkedPackage.sgtin, MarkedPackage.status).where(MarkedPackage.batch_id == c.batch.id)
            )
        ).all()
    )
    assert statuses == {c.sgtin(0): "dispensed", c.sgtin(1): "dispensed", c.sgtin(2): "in_stock"}
    assert (await session.get(Prescription, p.id, populate_existing=True)).status == "dispensed"  # type: ignore[union-attr]
    movement = await session.scalar(select(StockMovement).where(StockMovement.prescription_id == p.id))
    assert movement is not None and movement.kind == "dispense" and movement.quantity == -2
    assert movement.balance_after == 1 and sorted(movement.sgtins or []) == sorted([c.sgtin(0), c.sgtin(1)])
    report = await session.get(TraceReport, uuid.UUID(d["trace_report_id"]))
    assert report is not None and report.operation == "dispense_by_prescription" and report.status == "queued"
    assert sorted(report.sgtins) == sorted([c.sgtin(0), c.sgtin(1)])

    envelope = await session.scalar(
        text(
            "SELECT envelope FROM outbox_event WHERE type = 'pharmacy.prescription.dispensed' "
            "AND envelope->'data'->>'prescription_id' = :id"
        ),
        {"id": str(p.id)},
    )
    assert envelope is not None
    read = _finance_model().model_validate(envelope["data"])
    assert read.prescription_id == p.id and read.mo_id == c.mo_id and read.pharmacy_id == c.pharmacy_id
    assert (
        read.amount == Decimal("246.90") and read.funding_source == "federal" and read.drug_inn == "Метформин"
    )
    assert envelope["data"]["amount"] == "246.90"

    again = await client.get(f"/dispensing/dispenses/{d['id']}", headers=auth)
    assert again.status_code == 200 and again.json()["designation"] == d["designation"]


async def test_twice_against_one_prescription_or_one_code_is_409(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    c = await support.counter(session, packages=4)
    first = await support.prescription(session, c, quantity=1)
    second = await support.prescription(session, c, quantity=1)
    auth = pharmacist(tokens, c.pharmacy_id)
    ok = await client.post(
        "/dispensing/dispenses", json={"prescription_id": str(first.id), "codes": [c.codes[0]]}, headers=auth
    )
    assert ok.status_code == 201, ok.text

    twice = await client.post(
        "/dispensing/dispenses", json={"prescription_id": str(first.id), "codes": [c.codes[1]]}, headers=auth
    )
    assert twice.status_code == 409, twice.text
    assert _codes(twice) == {"already_dispensed"}
    assert "уже отпущено" in twice.json()["detail"]

    same_code = await client.post(
        "/dispensing/dispenses", json={"prescription_id": str(second.id), "codes": [c.codes[0]]}, headers=auth
    )
    assert same_code.status_code == 409, same_code.text
    assert _codes(same_code) == {"code_dispensed"}
    detail = same_code.json()["detail"]
    assert f"отпущена {date.today():%d.%m.%Y} по рецепту серия {first.series} № {first.number:07d}" in detail

    scan = await client.post("/dispensing/scan", json={"code": c.codes[0]}, headers=auth)
    assert scan.status_code == 200 and scan.json()["usable"] is False
    assert scan.json()["package"]["dispensed_by_prescription"] == f"серия {first.series} № {first.number:07d}"

    doubled = await client.post(
        "/dispensing/dispenses",
        json={"prescription_id": str(second.id), "codes": [c.codes[2], c.codes[2]]},
        headers=auth,
    )
    assert doubled.status_code == 422 and "code_duplicate" in _codes(doubled)
    assert await _stock(session, c.batch.id) == (3, 0)


async def test_every_failed_check_is_listed_and_nothing_changes(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    c = await support.counter(session, packages=3)
    other, other_gtin = await support.drug(session, inn="Эналаприл", trade_name="Энап", dosage="10 мг")
    _, other_codes = await support.batch(session, c.pharmacy_id, other, other_gtin, 1)
    long_ago = date.today() - timedelta(days=60)
    p = await support.prescription(session, c, quantity=3, issued_on=long_ago, doctor_name=None)
    auth = pharmacist(tokens, c.pharmacy_id)
    before = await _movements(session, c.batch.id)
    unknown = support.scan_of(support.new_gtin(), support.serial())
    not_here = support.scan_of(c.gtin, support.serial())
    answer = await client.post(
        "/dispensing/dispenses",
        json={
            "prescription_id": str(p.id),
            "codes": [c.codes[0], "hello world", unknown, not_here, other_codes[0]],
        },
        headers=auth,
    )
    assert answer.status_code == 422, answer.text
    problem = answer.json()
    assert problem["type"] == "urn:oms:problem:dispense-refused"
    assert _codes(answer) >= {
        "expired",
        "missing_fields",
        "not_marking_code",
        "unknown_gtin",
        "code_not_in_stock",
        "gtin_mismatch",
        "quantity_mismatch",
    }
    fields = {e["field"] for e in problem["errors"]}
    assert {"codes[1]", "codes[2]", "codes[3]", "codes[4]"} <= fields
    assert "Ф.И.О. лечащего врача" in problem["detail"]
    assert await _stock(session, c.batch.id) == (3, 0)
    assert await _movements(session, c.batch.id) == before
    assert (await session.get(Prescription, p.id, populate_existing=True)).status == "issued"  # type: ignore[union-attr]
    assert await session.scalar(select(func.count()).where(Dispense.prescription_id == p.id)) == 0


async def test_person_entitlement_and_nsi_on_the_day(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    auth_of = {}

    async def refused(c: support.Counter, p: Prescription, codes: list[str]) -> set[str]:
        auth = auth_of.setdefault(c.pharmacy_id, pharmacist(tokens, c.pharmacy_id))
        answer = await client.post(
            "/dispensing/dispenses", json={"prescription_id": str(p.id), "codes": codes}, headers=auth
        )
        assert answer.status_code == 422, answer.text
        return _codes(answer)

    dead = await support.counter(session)
    session.add(
        PersonDeath(
            person_id=dead.beneficiary.person_id,
            death_date=date.today() - timedelta(days=1),
            event_time=datetime.now(UTC),
        )
    )
    await session.flush()
    p = await support.prescription(session, dead, quantity=1, issued_on=date.today() - timedelta(days=3))
    assert await refused(dead, p, dead.codes[:1]) == {"person_dead"}

    ended = await support.counter(session)
    ended.beneficiary = await support.beneficiary(session, valid_to=date.today() - timedelta(days=1))
    p = await support.prescription(session, ended, quantity=1)
    assert await refused(ended, p, ended.codes[:1]) == {"not_entitled"}

    old = await support.counter(session, valid_to=date.today() - timedelta(days=1))
    p = await support.prescription(session, old, quantity=1)
    assert await refused(old, p, old.codes[:1]) == {"nsi_invalid"}

    off_list = await support.counter(session, lists=(), inn="Экспериментин")
    p = await support.prescription(session, off_list, quantity=1)
    assert await refused(off_list, p, off_list.codes[:1]) == {"not_on_drug_list"}


async def test_packages_in_the_wrong_state(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    c = await support.counter(session, packages=3)
    auth = pharmacist(tokens, c.pharmacy_id)
    expired_batch, expired_codes = await support.batch(
        session, c.pharmacy_id, c.drug, c.gtin, 1, expiry=date.today() - timedelta(days=1)
    )
    written_off = c.sgtin(1)
    await session.execute(
        text("UPDATE marked_package SET status = 'written_off' WHERE sgtin = :s"), {"s": written_off}
    )
    elsewhere = await support.pharmacy(session, "Аптека № 8")
    _, foreign = await support.batch(session, elsewhere, c.drug, c.gtin, 1)
    p = await support.prescription(session, c, quantity=3)
    answer = await client.post(
        "/dispensing/dispenses",
        json={"prescription_id": str(p.id), "codes": [expired_codes[0], c.codes[1], foreign[0]]},
        headers=auth,
    )
    assert answer.status_code == 422, answer.text
    assert _codes(answer) == {"code_expired", "code_written_off", "code_not_in_pharmacy"}
    assert await _stock(session, expired_batch.id) == (1, 0)

    # a package reserved for another prescription is not this counter's to give
    other = await support.prescription(session, c, quantity=1)
    held = await reserve(
        session,
        prescription_id=other.id,
        pharmacy_id=c.pharmacy_id,
        inn=c.drug.inn,
        dosage_form=c.drug.dosage_form,
        dosage=c.drug.dosage,
        quantity=1,
        days=3,
        created_by="test",
        drug_id=c.drug.id,
    )
    assert held is not None
    reserved_sgtin = await session.scalar(
        select(MarkedPackage.sgtin).where(MarkedPackage.reservation_id == held.id)
    )
    scan = next(code for i, code in enumerate(c.codes) if c.sgtin(i) == reserved_sgtin)
    mine = await support.prescription(session, c, quantity=1)
    taken = await client.post(
        "/dispensing/dispenses", json={"prescription_id": str(mine.id), "codes": [scan]}, headers=auth
    )
    assert taken.status_code == 409 and _codes(taken) == {"code_reserved"}

    # …but it is the other prescription's: its reservation is consumed, the reserve lowered
    own = await client.post(
        "/dispensing/dispenses", json={"prescription_id": str(other.id), "codes": [scan]}, headers=auth
    )
    assert own.status_code == 201, own.text
    assert await _stock(session, c.batch.id) == (2, 0)
    assert (await session.get(Reservation, held.id, populate_existing=True)).status == "consumed"  # type: ignore[union-attr]


async def test_a_prescription_is_served_from_its_own_budget_stock(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    """Regional stock is not given on a federal (ОНЛС) prescription: refused at the code,
    at the scan and for an unmarked batch, nothing changes."""
    c = await support.counter(session, packages=1)
    auth = pharmacist(tokens, c.pharmacy_id)
    regional, codes = await support.batch(
        session, c.pharmacy_id, c.drug, c.gtin, 1, funding_source="regional"
    )
    p = await support.prescription(session, c, quantity=1)
    answer = await client.post(
        "/dispensing/dispenses", json={"prescription_id": str(p.id), "codes": [codes[0]]}, headers=auth
    )
    assert answer.status_code == 422, answer.text
    assert _codes(answer) == {"funding_mismatch"}
    assert "регионального бюджета" in answer.text and "федерального бюджета" in answer.text
    assert await _stock(session, regional.id) == (1, 0)
    assert (await session.get(Prescription, p.id, populate_existing=True)).status == "issued"  # type: ignore[union-attr]
    scan = await client.post(
        "/dispensing/scan", json={"code": codes[0], "prescription_id": str(p.id)}, headers=auth
    )
    assert scan.status_code == 200, scan.text
    assert "funding_mismatch" in scan.text
    # the federal package of the same drug is the one to give
    given = await client.post(
        "/dispensing/dispenses", json={"prescription_id": str(p.id), "codes": [c.codes[0]]}, headers=auth
    )
    assert given.status_code == 201, given.text


async def test_reserved_prescription_dispensed_from_other_packages(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    """The pharmacist scans whatever package is at hand: the reservation is consumed, the
    reserved packages are back in stock and the batch's reserve is lowered by the dispense."""
    c = await support.counter(session, packages=4)
    p = await support.prescription(session, c, quantity=2)
    held = await reserve(
        session,
        prescription_id=p.id,
        pharmacy_id=c.pharmacy_id,
        inn=c.drug.inn,
        dosage_form=c.drug.dosage_form,
        dosage=c.drug.dosage,
        quantity=2,
        days=3,
        created_by="test",
    )
    assert held is not None
    assert await _stock(session, c.batch.id) == (4, 2)
    reserved = set(
        (
            await session.scalars(
                select(MarkedPackage.sgtin).where(
                    MarkedPackage.status == "reserved", MarkedPackage.batch_id == c.batch.id
                )
            )
        ).all()
    )
    free = [code for i, code in enumerate(c.codes) if c.sgtin(i) not in reserved]
    answer = await client.post(
        "/dispensing/dispenses",
        json={"prescription_id": str(p.id), "codes": free},
        headers=pharmacist(tokens, c.pharmacy_id),
    )
    assert answer.status_code == 201, answer.text
    assert await _stock(session, c.batch.id) == (2, 0)
    states = (
        await session.scalars(select(MarkedPackage.status).where(MarkedPackage.sgtin.in_(reserved)))
    ).all()
    assert list(states) == ["in_stock", "in_stock"]


async def test_only_the_own_pharmacy_and_unmarked_by_batch(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    c = await support.counter(session, packages=2)
    p = await support.prescription(session, c, quantity=1)
    stranger = pharmacist(tokens, uuid.uuid4())
    answer = await client.post(
        "/dispensing/dispenses",
        json={"prescription_id": str(p.id), "codes": c.codes[:1], "pharmacy_id": str(c.pharmacy_id)},
        headers=stranger,
    )
    assert answer.status_code == 404
    assert (
        await client.post(
            "/dispensing/dispenses",
            json={"prescription_id": str(p.id), "codes": c.codes[:1]},
            headers=support.fund(tokens),
        )
    ).status_code == 403

    marked_by_batch = await client.post(
        "/dispensing/dispenses",
        json={"prescription_id": str(p.id), "items": [{"batch_id": str(c.batch.id), "quantity": 1}]},
        headers=pharmacist(tokens, c.pharmacy_id),
    )
    assert marked_by_batch.status_code == 422 and _codes(marked_by_batch) == {"marked_needs_codes"}

    plain, gtin = await support.drug(
        session,
        inn="Бинт",
        trade_name="Бинт стерильный",
        dosage_form="бинт",
        dosage="7 м x 14 см",
        marked=False,
    )
    plain_batch, _ = await support.batch(
        session, c.pharmacy_id, plain, gtin, 5, marked=False, price=Decimal("40.10")
    )
    q = await support.prescription(
        session, c, quantity=3, inn="Бинт", dosage_form="бинт", dosage="7 м x 14 см"
    )
    given = await client.post(
        "/dispensing/dispenses",
        json={"prescription_id": str(q.id), "items": [{"batch_id": str(plain_batch.id), "quantity": 3}]},
        headers=pharmacist(tokens, c.pharmacy_id),
    )
    assert given.status_code == 201, given.text
    assert Decimal(given.json()["amount"]) == Decimal("120.30") and given.json()["trace_report_id"] is None
    assert await _stock(session, plain_batch.id) == (2, 0)
    assert await session.scalar(select(func.count()).where(DispenseItem.batch_id == plain_batch.id)) == 3


async def test_prescription_at_the_counter(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    c = await support.counter(session, packages=2)
    p = await support.prescription(session, c, quantity=2)
    auth = pharmacist(tokens, c.pharmacy_id)
    answer = await client.get(
        "/dispensing/prescription", params={"q": f"Серия {p.series} № {p.number:07d}"}, headers=auth
    )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["id"] == str(p.id) and body["patient"]["name"] == "О***** А. П."
    assert body["patient"]["snils"] != "11223344595" and body["patient"]["birth_year"] == 1950
    assert body["entitlement"]["entitled"] is True and body["free_here"] == 2 and body["marked"] is True
    assert body["valid_today"] is True and body["problems"] == []
    garbled = await client.post("/dispensing/scan", json={"code": "]Q1hello"}, headers=auth)
    assert garbled.status_code == 422 and garbled.json()["errors"][0]["type"] == "not_marking_code"
    stranger = await client.post(
        "/dispensing/scan", json={"code": support.scan_of(support.new_gtin(), support.serial())}, headers=auth
    )
    assert stranger.status_code == 422 and "нет в справочнике" in stranger.json()["detail"]
    elsewhere = await support.pharmacy(session, "Аптека № 9")
    _, foreign = await support.batch(session, elsewhere, c.drug, c.gtin, 1)
    other = await client.post("/dispensing/scan", json={"code": foreign[0]}, headers=auth)
    assert other.status_code == 200 and other.json()["package"] is None
    assert [x["code"] for x in other.json()["problems"]] == ["code_not_in_pharmacy"]
    missing = await client.get("/dispensing/prescription", params={"q": f"{p.series} 9999999"}, headers=auth)
    assert missing.status_code == 404
    garbage = await client.get("/dispensing/prescription", params={"q": "абв"}, headers=auth)
    assert garbage.status_code == 422
