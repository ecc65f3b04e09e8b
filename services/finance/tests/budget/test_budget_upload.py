"""Budget template uploads over HTTP: an all-valid file written at once; a partly bad one
reported line by line with nothing written until the user imports its valid lines (or drops
it); locked months and the template's own mistakes; XLSX and windows-1251 CSV."""

from __future__ import annotations

import io
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from finance.models import Organization, PeriodLock
from oms_kit.jobs.disposition import attachment
from oms_kit.testing.tokens import TokenFactory

WRITE = ["finance.budget:read", "finance.budget:write"]
HEADER = "Месяц;Показатель;КВФО;КОСГУ;План;Факт"
GOOD = [
    "2026-01;Поступления;7;132;1 200 000,00;1 180 450,50",
    "2026-01;Выплаты;7;211;700000;695 120,40",
    "02.2026;расходы;7;341;;12 000",
    "2026-02;Кредиторская задолженность;7;223;;31 000",
]


@pytest.fixture
async def mo(session: AsyncSession) -> uuid.UUID:
    mo_id = uuid.uuid4()
    session.add(Organization(id=mo_id, name="ГБУЗ «Тестовая ЦРБ»", kind="mo", code="U1"))
    await session.flush()
    return mo_id


def _auth(tokens: TokenFactory, mo: uuid.UUID) -> dict[str, str]:
    return tokens.auth(org_id=mo, roles=["mo_economist"], perms=WRITE, subject="economist")


async def _upload(
    client: httpx.AsyncClient, tokens: TokenFactory, mo: uuid.UUID, content: bytes, name: str = "budget.csv"
) -> httpx.Response:
    return await client.post(
        f"/budget/{mo}/uploads",
        content=content,
        headers={
            **_auth(tokens, mo),
            "Content-Type": "text/csv",
            "Content-Disposition": attachment(name),
        },
    )


def _csv(*lines: str, encoding: str = "utf-8") -> bytes:
    return "\r\n".join([HEADER, *lines]).encode(encoding)


async def _entries(session: AsyncSession, mo: uuid.UUID) -> list[Any]:
    rows = await session.execute(
        text("SELECT month, flow, kvfo, kosgu, planned, actual, source FROM budget_entry WHERE mo_id = :m "
             "ORDER BY month, flow, kosgu"),
        {"m": mo},
    )  # fmt: skip
    return list(rows)


async def test_an_all_valid_file_is_written_at_once(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory, mo: uuid.UUID
) -> None:
    resp = await _upload(client, tokens, mo, _csv(*GOOD, encoding="cp1251"))
    assert resp.status_code == 201, resp.text
    report = resp.json()
    assert (report["status"], report["lines"], report["valid"], report["invalid"], report["imported"]) == (
        "imported",
        4,
        4,
        0,
        4,
    )
    assert report["months"] == ["2026-01", "2026-02"] and report["file_name"] == "budget.csv"
    rows = await _entries(session, mo)
    assert len(rows) == 4 and {r.source for r in rows} == {"file"}
    medicines = next(r for r in rows if r.kosgu == "341")
    assert (medicines.month, medicines.flow, medicines.planned, medicines.actual) == (
        date(2026, 2, 1),
        "expense",
        None,
        Decimal("12000.00"),
    )
    # a second file adds to and corrects cells, leaving the rest
    again = await _upload(client, tokens, mo, _csv("2026-01;Выплаты;7;211;700000;700 000"))
    assert again.json()["status"] == "imported"
    rows = await _entries(session, mo)
    assert len(rows) == 4 and next(r for r in rows if r.kosgu == "211").actual == Decimal("700000.00")


async def test_a_partly_bad_file_waits_and_then_imports_only_its_valid_lines(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory, mo: uuid.UUID
) -> None:
    content = _csv(
        *GOOD[:2],
        "2026-13;Выплаты;7;211;1;1",  # bad month
        "2026-01;Выплаты;7;999;1;1",  # unknown КОСГУ
        "2026-01;Выплаты;7;132;1;1",  # income code as an expense
        "2026-01;Поступления;3;132;1;1",  # unknown КВФО
        "2026-01;Выплаты;7;211;1;1",  # the same cell as line 3
        "2026-01;Выплаты;7;226;1,234;",  # three decimals
        "2026-01;Прочее;7;226;1;1",  # unknown flow
    )
    resp = await _upload(client, tokens, mo, content)
    assert resp.status_code == 201
    report = resp.json()
    assert (report["status"], report["lines"], report["valid"], report["invalid"], report["imported"]) == (
        "awaiting_decision",
        9,
        2,
        7,
        0,
    )
    problems = {p["line"]: p for p in report["problems"]}
    assert sorted(problems) == [4, 5, 6, 7, 8, 9, 10]
    assert problems[4]["field"] == "Месяц" and "2026-13" in problems[4]["message"]
    assert problems[5]["field"] == "КОСГУ" and "«999»" in problems[5]["message"]
    assert problems[5]["cell"] == "2026-01 · Выплаты (расходы) · КВФО 7 · КОСГУ 999"
    assert "код доходов" in problems[6]["message"]
    assert problems[7]["field"] == "КВФО"
    assert "строке 3" in problems[8]["message"]
    assert problems[9]["field"] == "План"
    assert problems[10]["field"] == "Показатель"
    assert await _entries(session, mo) == []  # nothing written yet

    upload_id = report["id"]
    got = await client.get(f"/budget/{mo}/uploads/{upload_id}", headers=_auth(tokens, mo))
    assert got.json()["status"] == "awaiting_decision"
    listed = (await client.get(f"/budget/{mo}/uploads", headers=_auth(tokens, mo))).json()
    assert [(u["id"], u["status"], u["valid"]) for u in listed] == [(upload_id, "awaiting_decision", 2)]
    other = uuid.uuid4()
    session.add(Organization(id=other, name="ГБУЗ «Другая»", kind="mo", code="U2"))
    await session.flush()
    foreign = await client.get(f"/budget/{mo}/uploads/{upload_id}", headers=_auth(tokens, other))
    assert foreign.status_code == 404
    assert (
        await client.post(f"/budget/{other}/uploads/{upload_id}/apply", headers=_auth(tokens, other))
    ).status_code == 404
    applied = await client.post(f"/budget/{mo}/uploads/{upload_id}/apply", headers=_auth(tokens, mo))
    assert applied.status_code == 200, applied.text
    assert applied.json()["status"] == "imported" and applied.json()["imported"] == 2
    rows = await _entries(session, mo)
    assert {(r.flow, r.kosgu) for r in rows} == {("income", "132"), ("expense", "211")}
    twice = await client.post(f"/budget/{mo}/uploads/{upload_id}/apply", headers=_auth(tokens, mo))
    assert twice.status_code == 409
    audit = await session.scalar(
        text("SELECT count(*) FROM audit_log WHERE action = 'import' AND resource = :r"),
        {"r": f"budget:{mo}:upload:{upload_id}"},
    )
    assert audit == 2  # the upload and the choice


async def test_a_discarded_file_writes_nothing(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory, mo: uuid.UUID
) -> None:
    report = (await _upload(client, tokens, mo, _csv(GOOD[0], "2026-01;Выплаты;7;999;1;1"))).json()
    resp = await client.post(f"/budget/{mo}/uploads/{report['id']}/discard", headers=_auth(tokens, mo))
    assert resp.json()["status"] == "discarded"
    assert await _entries(session, mo) == []
    apply = await client.post(f"/budget/{mo}/uploads/{report['id']}/apply", headers=_auth(tokens, mo))
    assert apply.status_code == 409


async def test_lines_of_a_locked_month_are_refused(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory, mo: uuid.UUID
) -> None:
    session.add(PeriodLock(mo_id=mo, month=date(2026, 1, 1), reason="Отчёт принят", locked_by="tfoms"))
    await session.flush()
    report = (await _upload(client, tokens, mo, _csv(*GOOD))).json()
    assert report["status"] == "awaiting_decision" and report["valid"] == 2
    assert {p["line"] for p in report["problems"]} == {2, 3}
    assert all("период закрыт: январь 2026" in p["message"] for p in report["problems"])
    # a month locked after the upload refuses the import as a whole
    session.add(PeriodLock(mo_id=mo, month=date(2026, 2, 1), reason="Отчёт принят", locked_by="tfoms"))
    await session.flush()
    resp = await client.post(f"/budget/{mo}/uploads/{report['id']}/apply", headers=_auth(tokens, mo))
    assert resp.status_code == 409 and "февраль 2026" in resp.json()["detail"]
    assert await _entries(session, mo) == []


async def test_an_xlsx_file_and_files_that_are_not_the_template(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory, mo: uuid.UUID
) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Месяц", "Показатель", "КВФО", "КОСГУ", "План", "Факт", "Наименование"])
    sheet.append([date(2026, 3, 1), "Выплаты", 7, 211, 1000.5, 999.99, "Заработная плата"])
    sheet.append(["2026-03", "Поступления", "7", "132", None, "1 000,00", ""])
    out = io.BytesIO()
    book.save(out)
    resp = await _upload(client, tokens, mo, out.getvalue(), "бюджет.xlsx")
    assert resp.status_code == 201, resp.text
    assert resp.json()["status"] == "imported" and resp.json()["file_format"] == "xlsx"
    assert resp.json()["file_name"] == "бюджет.xlsx"
    rows = {r.kosgu: r for r in await _entries(session, mo)}
    assert rows["211"].actual == Decimal("999.99") and rows["211"].planned == Decimal("1000.50")

    not_template = await _upload(client, tokens, mo, "Дата;Сумма\r\n1;2".encode())
    assert not_template.status_code == 422 and "шаблона доходов и расходов" in not_template.json()["detail"]
    missing = await _upload(client, tokens, mo, "Месяц;КВФО;КОСГУ;Факт\r\n2026-01;7;211;1".encode())
    assert missing.status_code == 422 and "Показатель" in missing.json()["detail"]
    header_only = await _upload(client, tokens, mo, HEADER.encode())
    assert header_only.status_code == 422
    pdf = await _upload(client, tokens, mo, b"%PDF-1.4 ...")
    assert pdf.status_code == 422


async def test_the_template_downloads_and_reads_back(client: httpx.AsyncClient, tokens: TokenFactory) -> None:
    headers = tokens.auth(roles=["mo_economist"], perms=WRITE)
    csv_file = await client.get("/budget/template?format=csv", headers=headers)
    assert csv_file.status_code == 200 and csv_file.content.startswith("\ufeff".encode())
    assert csv_file.content.decode("utf-8-sig").splitlines()[0].startswith(HEADER)
    xlsx_file = await client.get("/budget/template?format=xlsx", headers=headers)
    sheet = load_workbook(io.BytesIO(xlsx_file.content)).active
    assert next(sheet.iter_rows(values_only=True))[:6] == tuple(HEADER.split(";"))
