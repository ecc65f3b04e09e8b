"""The payment import over HTTP on the test's rolled-back session: all-valid files written at
once, partly bad files writing nothing until the user applies the valid lines, re-imports and
overlapping statements without duplicates, locked months (409), file-level problems as
problem+json, CSV/XLSX templates, the list with filters, exports and role scoping."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from tests.exchange.samples import MO_ACCOUNT, Doc, onec_bytes

from finance.exchange.tables import TITLES
from finance.models import Organization, PaymentImportRow, PaymentOrder, PeriodLock
from oms_kit.testing.tokens import TokenFactory

RW = ["finance.payment_order:read", "finance.payment_order:write"]
PLAIN = {"Content-Type": "text/plain"}


@dataclass
class World:
    client: httpx.AsyncClient
    session: AsyncSession
    tokens: TokenFactory
    mo: uuid.UUID
    other_mo: uuid.UUID

    def economist(self, mo: uuid.UUID | None = None) -> dict[str, str]:
        return self.tokens.auth(org_id=mo or self.mo, roles=["mo_economist"], perms=RW, subject="economist")

    def accounting(self) -> dict[str, str]:
        return self.tokens.auth(
            org_id=self.mo, roles=["accounting"], perms=RW, subject="key-1c", kind="api_key"
        )

    def tfoms(self) -> dict[str, str]:
        return self.tokens.auth(org_id=uuid.uuid4(), roles=["tfoms_analyst"], perms=RW, subject="tfoms")

    def foms(self) -> dict[str, str]:
        perms = ["finance.payment_order:read"]
        return self.tokens.auth(org_id=uuid.uuid4(), roles=["foms_viewer"], perms=perms, subject="foms")

    async def upload(
        self, data: bytes, auth: dict[str, str] | None = None, *, name: str = "kl_to_1c.txt", **params: Any
    ) -> httpx.Response:
        headers = {
            **PLAIN,
            **(auth or self.economist()),
            "Content-Disposition": f'attachment; filename="{name}"',
        }
        return await self.client.post("/payment-orders/imports", content=data, headers=headers, params=params)

    async def count(self, mo: uuid.UUID | None = None) -> int:
        stmt = select(func.count()).select_from(PaymentOrder).where(PaymentOrder.mo_id == (mo or self.mo))
        return int(await self.session.scalar(stmt) or 0)


@pytest.fixture
async def world(client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory) -> World:
    mo, other = uuid.uuid4(), uuid.uuid4()
    session.add(
        Organization(id=mo, name="ГБУЗ «Приозёрская городская больница № 1»", kind="mo", code="500001")
    )
    session.add(Organization(id=other, name="ГБУЗ «Озёрная ЦРБ»", kind="mo", code="500002"))
    await session.flush()
    return World(client, session, tokens, mo, other)


def statement(n: int = 3, *, start: int = 1, day: str = "03.03.2026") -> list[Doc]:
    return [Doc(number=str(start + i), day=day, amount=f"{1000 + start + i},50") for i in range(n)]


async def test_an_all_valid_statement_is_written_at_once(world: World) -> None:
    docs = [*statement(2), Doc(number="77", out=False, amount="2 500 000,00", counterparty="ТФОМС")]
    answer = await world.upload(onec_bytes(docs))
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["status"] == "imported"
    assert (body["documents"], body["valid"], body["invalid"], body["inserted"], body["duplicates"]) == (
        3,
        3,
        0,
        3,
        0,
    )
    assert body["file_format"] == "1c" and body["file_name"] == "kl_to_1c.txt"
    assert body["header"]["accounts"] == [MO_ACCOUNT]
    assert body["header"]["balances"][0]["opening"] == "1 500 000,00"
    assert await world.count() == 3
    orders = (await world.session.scalars(select(PaymentOrder).where(PaymentOrder.mo_id == world.mo))).all()
    assert {o.import_id for o in orders} == {uuid.UUID(body["id"])}
    incoming = next(o for o in orders if o.direction == "in")
    assert incoming.amount == Decimal("2500000.00") and incoming.payer_name == "ТФОМС"
    audit = await world.session.execute(
        text("SELECT actor, action, reason FROM audit_log WHERE resource = :r"),
        {"r": f"payment_import:{body['id']}"},
    )
    assert [tuple(r) for r in audit] == [
        (
            "economist",
            "import",
            "kl_to_1c.txt: документов 3, записано 3, уже были 0, с ошибками 0, состояние загружен",
        )
    ]


async def test_a_partly_bad_file_writes_nothing_until_the_valid_lines_are_applied(world: World) -> None:
    docs = [*statement(2), Doc(number="3", amount="12,345.50"), Doc(number="4", counterparty_inn="12")]
    answer = await world.upload(onec_bytes(docs))
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert body["status"] == "awaiting_decision"
    assert (body["valid"], body["invalid"], body["inserted"]) == (2, 2, 0)
    assert await world.count() == 0
    problems = body["problems"]
    assert [(p["field"], p["document"]) for p in problems] == [
        ("Сумма", "№ 3 от 03.03.2026"),
        ("ПолучательИНН", "№ 4 от 03.03.2026"),
    ]
    lines = onec_bytes(docs).decode("cp1251").split("\r\n")
    assert lines[problems[0]["line"] - 1] == "Сумма=12,345.50"
    assert "10 или 12 цифр" in problems[1]["message"]

    applied = await world.client.post(
        f"/payment-orders/imports/{body['id']}/apply", headers=world.economist()
    )
    assert applied.status_code == 200, applied.text
    assert applied.json()["status"] == "imported" and applied.json()["inserted"] == 2
    assert applied.json()["decided_by"] == "economist"
    assert await world.count() == 2
    staged = await world.session.scalar(select(func.count()).select_from(PaymentImportRow))
    assert staged == 0
    again = await world.client.post(f"/payment-orders/imports/{body['id']}/apply", headers=world.economist())
    assert again.status_code == 409
    assert again.json()["type"] == "urn:oms:problem:import-not-awaiting-decision"


async def test_a_discarded_import_writes_nothing(world: World) -> None:
    body = (await world.upload(onec_bytes([*statement(1), Doc(number="9", day="32.01.2026")]))).json()
    discarded = await world.client.post(
        f"/payment-orders/imports/{body['id']}/discard", headers=world.economist()
    )
    assert discarded.status_code == 200 and discarded.json()["status"] == "discarded"
    assert await world.count() == 0
    apply = await world.client.post(f"/payment-orders/imports/{body['id']}/apply", headers=world.economist())
    assert apply.status_code == 409


async def test_reimport_and_an_overlapping_statement_add_no_duplicates(world: World) -> None:
    first = await world.upload(onec_bytes(statement(3)))
    assert first.json()["inserted"] == 3
    again = (await world.upload(onec_bytes(statement(3)))).json()
    assert (again["status"], again["inserted"], again["duplicates"]) == ("imported", 0, 3)
    overlapping = (await world.upload(onec_bytes(statement(4, start=2)))).json()  # 2, 3 known; 4, 5 new
    assert (overlapping["inserted"], overlapping["duplicates"]) == (2, 2)
    assert await world.count() == 5


async def test_the_same_document_twice_in_one_file_is_written_once_with_a_warning(world: World) -> None:
    body = (await world.upload(onec_bytes([*statement(2), statement(1)[0]]))).json()
    assert (body["status"], body["inserted"], body["repeated_in_file"]) == ("imported", 2, 1)
    assert any("повторяет документ строки" in w for w in body["warnings"])
    assert await world.count() == 2


async def test_a_locked_month_is_a_409_and_nothing_is_written(world: World) -> None:
    world.session.add(
        PeriodLock(mo_id=world.mo, month=date(2026, 3, 1), reason="Отчёт 14-Ф принят", locked_by="tfoms")
    )
    await world.session.flush()
    answer = await world.upload(onec_bytes([Doc(number="1", day="27.02.2026"), Doc(number="2")]))
    assert answer.status_code == 409, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert "март 2026" in answer.json()["detail"]
    assert await world.count() == 0


async def test_a_locked_month_does_not_refuse_documents_already_there(world: World) -> None:
    assert (await world.upload(onec_bytes(statement(2)))).json()["inserted"] == 2
    world.session.add(PeriodLock(mo_id=world.mo, month=date(2026, 3, 1), reason="Принят", locked_by="tfoms"))
    await world.session.flush()
    again = await world.upload(onec_bytes([*statement(2), Doc(number="50", day="02.04.2026")]))
    assert again.status_code == 201, again.text
    assert (again.json()["inserted"], again.json()["duplicates"]) == (1, 2)


@pytest.mark.parametrize(
    ("data", "kind", "words"),
    [
        (onec_bytes([Doc()], end=False), "payment-file-truncated", "КонецФайла"),
        (onec_bytes([Doc()], encoding="cp866"), "payment-file-encoding", "Кодировка=Windows"),
        (
            onec_bytes([Doc()], encoding="utf-8").decode("cp1251", errors="replace").encode("utf-8"),
            "payment-file-encoding",
            "перекодирован дважды",
        ),
        (b"%PDF-1.7\n\x00\x01", "payment-file-format", "не CSV и не XLSX"),
        ("Номер;Сумма\n1;2\n".encode(), "payment-file-unreadable", "Нет обязательных колонок"),
    ],
)
async def test_an_unreadable_file_is_a_problem_naming_it_and_nothing_is_kept(
    world: World, data: bytes, kind: str, words: str
) -> None:
    answer = await world.upload(data)
    assert answer.status_code == 422, answer.text
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert answer.json()["type"] == f"urn:oms:problem:{kind}"
    assert words in answer.json()["detail"]
    listed = await world.client.get("/payment-orders/imports", headers=world.economist())
    assert listed.json()["total"] == 0


def template_rows() -> list[list[Any]]:
    return [
        ["Платежное поручение", "101", "05.03.2026", "1 234,56", "списание", "ГБУЗ ПГБ № 1", "5001012345",
         "500101001", MO_ACCOUNT, "045004001", "ООО «Водоканал»", "5009000001", "500901001",
         "40702810900000000001", "045004002", "Оплата за холодное водоснабжение за февраль", "", "7", "223",
         "05.03.2026", ""],
        ["", "102", "2026-03-06", "50000", "поступление", "АО «СМО «Приозёрье-Мед»", "5002000002", "", "",
         "", "ГБУЗ ПГБ № 1", "", "", MO_ACCOUNT, "", "Оплата медицинской помощи по ОМС за февраль", "", "",
         "", "", "06.03.2026"],
    ]  # fmt: skip


async def test_a_csv_in_windows_1251_by_the_template(world: World) -> None:
    text = ";".join(TITLES) + "\r\n" + "\r\n".join(";".join(r) for r in template_rows()) + "\r\n"
    body = (await world.upload(text.encode("cp1251"), name="orders.csv")).json()
    assert (body["status"], body["file_format"], body["inserted"]) == ("imported", "csv", 2)
    orders = (
        await world.session.scalars(
            select(PaymentOrder).where(PaymentOrder.mo_id == world.mo).order_by(PaymentOrder.doc_number)
        )
    ).all()
    assert [(o.direction, o.account, o.amount) for o in orders] == [
        ("out", MO_ACCOUNT, Decimal("1234.56")),
        ("in", MO_ACCOUNT, Decimal("50000.00")),
    ]
    assert (orders[0].kvfo, orders[0].kosgu, orders[0].classified_by) == (7, "223", "user")
    assert orders[1].received == date(2026, 3, 6) and orders[1].doc_kind == "Платежное поручение"


async def test_an_xlsx_by_the_template_reports_bad_cells_by_column_title(world: World) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(TITLES))
    good, bad = template_rows()
    bad[3] = "-5"
    bad[18] = "999"
    sheet.append(good)
    sheet.append(bad)
    out = io.BytesIO()
    book.save(out)
    body = (await world.upload(out.getvalue(), name="orders.xlsx")).json()
    assert body["status"] == "awaiting_decision" and body["file_format"] == "xlsx"
    assert {(p["line"], p["field"]) for p in body["problems"]} == {(3, "Сумма"), (3, "КОСГУ")}


async def test_the_template_downloads(world: World) -> None:
    answer = await world.client.get(
        "/payment-orders/template", params={"format": "xlsx"}, headers=world.economist()
    )
    assert answer.status_code == 200
    sheet = load_workbook(io.BytesIO(answer.content)).active
    assert sheet is not None
    assert [c.value for c in sheet[1]] == list(TITLES)


async def test_the_list_filters_sorts_and_the_detail(world: World) -> None:
    docs = [
        Doc(number="1", amount="100", purpose="Оплата за электроэнергию", counterparty="АО «Энергосбыт»"),
        Doc(
            number="2",
            amount="5000",
            purpose="Поставка лекарственных препаратов",
            counterparty_inn="5008999999",
        ),
        Doc(number="3", amount="900000", out=False, counterparty="АО «СМО «Приозёрье-Мед»", purpose="ОМС"),
    ]
    await world.upload(onec_bytes(docs))
    get = world.client.get
    auth = world.economist()
    page = (await get("/payment-orders", params={"sort": "amount"}, headers=auth)).json()
    assert [i["doc_number"] for i in page["items"]] == ["1", "2", "3"] and page["total"] == 3
    # classified by the rules in the import's transaction (electricity → 223)
    assert (page["items"][0]["kosgu"], page["items"][0]["classified_by"]) == ("223", "rule")
    assert page["items"][2]["counterparty_name"] == "АО «СМО «Приозёрье-Мед»"
    cases: list[tuple[dict[str, Any], list[str]]] = [
        ({"direction": "in"}, ["3"]),
        ({"q": "лекарствен"}, ["2"]),
        ({"counterparty": "энергосбыт"}, ["1"]),
        ({"counterparty": "5008999999"}, ["2"]),
        ({"amount_min": "1000", "amount_max": "10000"}, ["2"]),
        ({"date_from": "2026-03-04"}, []),
        ({"sort": "-amount"}, ["3", "2", "1"]),
    ]
    for params, numbers in cases:
        found = (await get("/payment-orders", params={"sort": "doc_number", **params}, headers=auth)).json()
        assert [i["doc_number"] for i in found["items"]] == numbers, params
    one = page["items"][0]["id"]
    detail = await get(f"/payment-orders/{one}", headers=auth)
    assert detail.status_code == 200 and detail.json()["amount"] == "100.00"
    bad_sort = await get("/payment-orders", params={"sort": "payer_inn"}, headers=auth)
    assert bad_sort.status_code == 422


async def test_export_in_1c_csv_and_xlsx_reimports_as_duplicates(world: World) -> None:
    await world.upload(onec_bytes([*statement(2), Doc(number="5", out=False, amount="700")]))
    auth = world.economist()
    exported = await world.client.get("/payment-orders/export", params={"format": "1c"}, headers=auth)
    assert exported.status_code == 200
    assert exported.headers["content-type"].startswith("text/plain; charset=windows-1251")
    text = exported.content.decode("cp1251")
    assert text.startswith("1CClientBankExchange\r\nВерсияФормата=1.03\r\nКодировка=Windows")
    assert text.count("СекцияДокумент=") == 3 and text.rstrip().endswith("КонецФайла")
    back = (await world.upload(exported.content)).json()
    assert (back["status"], back["inserted"], back["duplicates"]) == ("imported", 0, 3)
    as_csv = await world.client.get(
        "/payment-orders/export", params={"format": "csv", "direction": "in"}, headers=auth
    )
    lines = as_csv.content.decode("utf-8-sig").splitlines()
    assert lines[0].split(";")[:4] == ["Вид документа", "Номер", "Дата", "Сумма"]
    assert len(lines) == 2 and ";700,00;поступление;" in lines[1]
    as_xlsx = await world.client.get("/payment-orders/export", params={"format": "xlsx"}, headers=auth)
    sheet = load_workbook(io.BytesIO(as_xlsx.content)).active
    assert sheet is not None and sheet.max_row == 4
    reimported = (await world.upload(as_xlsx.content, name="back.xlsx")).json()
    assert (reimported["inserted"], reimported["duplicates"]) == (0, 3)


async def test_role_scoping(world: World) -> None:
    body = (await world.upload(onec_bytes(statement(1)), world.accounting())).json()
    assert body["status"] == "imported" and body["created_by"] == "key-1c"
    order_id = (await world.client.get("/payment-orders", headers=world.economist())).json()["items"][0]["id"]
    stranger = world.economist(world.other_mo)
    assert (await world.client.get(f"/payment-orders/{order_id}", headers=stranger)).status_code == 404
    assert (
        await world.client.get(f"/payment-orders/imports/{body['id']}", headers=stranger)
    ).status_code == 404
    assert (await world.client.get("/payment-orders", headers=stranger)).json()["total"] == 0
    denied = await world.client.get("/payment-orders", params={"mo_id": str(world.mo)}, headers=stranger)
    assert denied.status_code == 404
    imports = await world.client.get(
        "/payment-orders/imports", params={"mo_id": str(world.mo)}, headers=stranger
    )
    assert imports.status_code == 404 and imports.headers["content-type"].startswith(
        "application/problem+json"
    )
    foms = await world.client.get("/payment-orders", headers=world.foms())
    assert foms.status_code == 403 and "сводные" in foms.json()["detail"]
    # the territorial fund sees every MO and must say which MO it imports for
    tfoms = world.tfoms()
    assert (await world.client.get("/payment-orders", headers=tfoms)).json()["total"] == 1
    no_mo = await world.upload(onec_bytes(statement(1, start=9)), tfoms)
    assert no_mo.status_code == 422 and "mo_id" in no_mo.json()["detail"]
    for_other = await world.upload(onec_bytes(statement(1, start=9)), tfoms, mo_id=str(world.other_mo))
    assert for_other.status_code == 201 and for_other.json()["mo_id"] == str(world.other_mo)
    assert await world.count(world.other_mo) == 1
    unknown = await world.upload(onec_bytes(statement(1, start=9)), tfoms, mo_id=str(uuid.uuid4()))
    assert unknown.status_code == 404
    reader = world.tokens.auth(org_id=world.mo, roles=["mo_economist"], perms=["finance.payment_order:read"])
    assert (await world.upload(onec_bytes(statement(1)), reader)).status_code == 403
