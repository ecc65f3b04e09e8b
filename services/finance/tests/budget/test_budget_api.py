"""The collected data over HTTP: a month's cells written and read back (amounts as people write
them), every bad cell named in one 422, locked months refused with nothing written, role scoping
(own MO, founded MOs, the whole region, FOMS consolidated only), the accounting system's API key
writing with source 'api', audit rows, payment orders beside the expense cells, the year grid,
the consolidated figures and the XLSX exports."""

from __future__ import annotations

import io
import uuid
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from finance.models import MoProfile, Organization, PaymentOrder, PeriodLock
from oms_kit.testing.tokens import TokenFactory

READ = ["finance.budget:read"]
WRITE = ["finance.budget:read", "finance.budget:write"]


@dataclass
class Region:
    client: httpx.AsyncClient
    session: AsyncSession
    tokens: TokenFactory
    mo_a: uuid.UUID
    mo_b: uuid.UUID
    mo_c: uuid.UUID  # founded by someone else
    founder: uuid.UUID

    def economist(self, mo: uuid.UUID | None = None, *, write: bool = True) -> dict[str, str]:
        return self.tokens.auth(
            org_id=mo or self.mo_a,
            roles=["mo_economist"],
            perms=WRITE if write else READ,
            subject="economist",
        )

    def accounting(self, mo: uuid.UUID | None = None) -> dict[str, str]:
        return self.tokens.auth(
            org_id=mo or self.mo_a, roles=["accounting"], perms=WRITE, subject="key-1c", kind="api_key"
        )

    def health(self) -> dict[str, str]:
        return self.tokens.auth(
            org_id=self.founder, roles=["health_authority"], perms=READ, subject="minzdrav"
        )

    def tfoms(self) -> dict[str, str]:
        return self.tokens.auth(org_id=uuid.uuid4(), roles=["tfoms_analyst"], perms=READ, subject="tfoms")

    def foms(self) -> dict[str, str]:
        return self.tokens.auth(org_id=uuid.uuid4(), roles=["foms_viewer"], perms=READ, subject="foms")


@pytest.fixture
async def region(client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory) -> Region:
    founder, other = uuid.uuid4(), uuid.uuid4()
    mos = [uuid.uuid4() for _ in range(3)]
    session.add(Organization(id=founder, name="Минздрав", kind="health_authority", code="T-MZ"))
    for i, mo in enumerate(mos):
        session.add(Organization(id=mo, name=f"ГБУЗ «Тестовая больница № {i + 1}»", kind="mo", code=f"T{i}"))
    session.add(
        MoProfile(mo_id=mos[0], founder_id=founder, legal_form="budget", beds=120, attached_persons=0)
    )
    session.add(MoProfile(mo_id=mos[1], founder_id=founder, legal_form="autonomous"))
    session.add(MoProfile(mo_id=mos[2], founder_id=other, legal_form="budget"))
    await session.flush()
    return Region(client, session, tokens, mos[0], mos[1], mos[2], founder)


CELLS: list[dict[str, Any]] = [
    {"flow": "income", "kvfo": 7, "kosgu": "132", "planned": "1 200 000,00", "actual": "1 180 450,5"},
    {"flow": "expense", "kvfo": 7, "kosgu": "211", "planned": 700000, "actual": "695\u00a0120,40"},
    {"flow": "expense", "kvfo": 7, "kosgu": "213", "planned": None, "actual": 209926.36},
    {"flow": "payable", "kvfo": 7, "kosgu": "223", "actual": "31 000"},
]


async def _put(r: Region, cells: list[dict[str, Any]], *, mo: uuid.UUID | None = None, month: str = "2026-03",
               headers: dict[str, str] | None = None) -> httpx.Response:  # fmt: skip
    return await r.client.put(
        f"/budget/{mo or r.mo_a}/months/{month}", json=cells, headers=headers or r.economist()
    )


async def _rows(r: Region, mo: uuid.UUID | None = None) -> list[Any]:
    result = await r.session.execute(
        text(
            "SELECT flow, kvfo, kosgu, planned, actual, source, updated_by FROM budget_entry WHERE mo_id = :m"
        ),
        {"m": mo or r.mo_a},
    )
    return list(result)


async def test_a_month_written_and_read_back_with_amounts_as_people_write_them(region: Region) -> None:
    r = region
    put = await _put(r, CELLS)
    assert put.status_code == 200, put.text
    got = await r.client.get(f"/budget/{r.mo_a}/months/2026-03", headers=r.economist(write=False))
    assert got.status_code == 200
    body = got.json()
    assert body["month"] == "2026-03" and body["locked"] is False
    cells = {(c["flow"], c["kvfo"], c["kosgu"]): c for c in body["cells"]}
    assert Decimal(cells[("income", 7, "132")]["actual"]) == Decimal("1180450.50")
    assert Decimal(cells[("income", 7, "132")]["planned"]) == Decimal("1200000.00")
    assert Decimal(cells[("expense", 7, "211")]["actual"]) == Decimal("695120.40")
    assert cells[("expense", 7, "213")]["planned"] is None
    assert Decimal(cells[("payable", 7, "223")]["actual"]) == Decimal("31000.00")
    assert [c["flow"] for c in body["cells"]] == ["income", "expense", "expense", "payable"]
    assert body["last_change"]["by"] == "economist" and body["last_change"]["source"] == "manual"
    rows = await _rows(r)
    assert len(rows) == 4 and {row.source for row in rows} == {"manual"}

    # the month is replaced: a cell left out goes, the others stay
    again = await _put(r, CELLS[:2])
    assert again.status_code == 200
    assert {(row.flow, row.kosgu) for row in await _rows(r)} == {("income", "132"), ("expense", "211")}
    # a month of another MO untouched, another month of the same MO empty
    empty = await r.client.get(f"/budget/{r.mo_a}/months/2026-04", headers=r.economist())
    assert empty.json()["cells"] == [] and empty.json()["last_change"] is None


async def test_every_bad_cell_is_named_in_one_problem_and_nothing_is_written(region: Region) -> None:
    r = region
    await _put(r, CELLS)
    before = await _rows(r)
    bad = [
        {"flow": "expense", "kvfo": 7, "kosgu": "999", "actual": "10"},  # unknown КОСГУ
        {"flow": "expense", "kvfo": 7, "kosgu": "132", "actual": "10"},  # income code as an expense
        {"flow": "income", "kvfo": 3, "kosgu": "132", "actual": "10"},  # unknown КВФО
        {"flow": "expense", "kvfo": 7, "kosgu": "211", "actual": "12,345"},  # three decimals
        {"flow": "expense", "kvfo": 7, "kosgu": "226", "actual": "1 000", "planned": "сто"},
        {"flow": "payable", "kvfo": 7, "kosgu": "226", "actual": "-5"},
        {"flow": "income", "kvfo": 7, "kosgu": "132", "actual": "1,5"},  # a good one among them
        {"flow": "income", "kvfo": 7, "kosgu": "132", "actual": "2"},  # the same cell twice
    ]
    resp = await _put(r, bad)
    assert resp.status_code == 422
    assert resp.headers["content-type"].startswith("application/problem+json")
    problem = resp.json()
    errors = problem["errors"]
    by_index = {e["index"]: e for e in errors}
    assert set(by_index) == {0, 1, 2, 3, 4, 5, 7}
    assert "неизвестный код КОСГУ «999»" in by_index[0]["message"] and by_index[0]["column"] == "kosgu"
    assert "код доходов" in by_index[1]["message"]
    assert "неизвестный КВФО 3" in by_index[2]["message"] and by_index[2]["column"] == "kvfo"
    assert by_index[3]["column"] == "actual" and "знаками после запятой" in by_index[3]["message"]
    assert by_index[4]["column"] == "planned" and by_index[4]["field"] == "body.4.planned"
    assert "отрицательной" in by_index[5]["message"]
    assert "повторяется" in by_index[7]["message"]
    assert by_index[0]["cell"] == "Выплаты (расходы) · КВФО 7 · КОСГУ 999"
    assert "КОСГУ 999" in problem["detail"] and "и ещё 6" in problem["detail"]
    assert await _rows(r) == before


async def test_a_locked_month_is_refused_and_nothing_is_written(region: Region) -> None:
    r = region
    await _put(r, CELLS)
    before = await _rows(r)
    r.session.add(
        PeriodLock(mo_id=r.mo_a, month=date(2026, 3, 1), reason="Отчёт 14-Ф принят", locked_by="tfoms")
    )
    await r.session.flush()
    resp = await _put(r, CELLS[:1])
    assert resp.status_code == 409
    assert "март 2026" in resp.json()["detail"] and "Отчёт 14-Ф принят" in resp.json()["detail"]
    assert await _rows(r) == before
    month = (await r.client.get(f"/budget/{r.mo_a}/months/2026-03", headers=r.economist())).json()
    assert month["locked"] is True and month["lock_reason"] == "Отчёт 14-Ф принят"
    other = await _put(r, CELLS[:1], month="2026-04")
    assert other.status_code == 200


async def test_an_mo_economist_sees_only_their_mo(region: Region) -> None:
    r = region
    assert (await _put(r, CELLS, mo=r.mo_b, headers=r.economist(r.mo_b))).status_code == 200
    for path in (
        f"/budget/{r.mo_b}/months/2026-03",
        f"/budget/{r.mo_b}/year/2026",
        f"/budget/{r.mo_b}/uploads",
    ):
        resp = await r.client.get(path, headers=r.economist())
        assert resp.status_code == 404, path
    assert (await _put(r, CELLS, mo=r.mo_b)).status_code == 404
    assert await _rows(r, r.mo_b) and all(row.updated_by == "economist" for row in await _rows(r, r.mo_b))
    mos = (await r.client.get("/mos", headers=r.economist())).json()
    assert [m["id"] for m in mos] == [str(r.mo_a)]
    unknown = await r.client.get(f"/budget/{uuid.uuid4()}/months/2026-03", headers=r.tfoms())
    assert unknown.status_code == 404
    # reading does not let them write
    assert (await _put(r, CELLS, headers=r.economist(write=False))).status_code == 403


async def test_the_health_authority_sees_the_mos_it_founds(region: Region) -> None:
    r = region
    for mo in (r.mo_a, r.mo_b, r.mo_c):
        assert (await _put(r, CELLS, mo=mo, headers=r.economist(mo))).status_code == 200
    mos = (await r.client.get("/mos", headers=r.health())).json()
    assert {m["id"] for m in mos} == {str(r.mo_a), str(r.mo_b)}
    first = next(m for m in mos if m["id"] == str(r.mo_a))
    assert first["founder_name"] == "Минздрав" and first["beds"] == 120 and first["last_month"] == "2026-03"
    assert (await r.client.get(f"/budget/{r.mo_b}/months/2026-03", headers=r.health())).status_code == 200
    assert (await r.client.get(f"/budget/{r.mo_c}/months/2026-03", headers=r.health())).status_code == 404
    consolidated = (await r.client.get("/budget/consolidated?year=2026", headers=r.health())).json()
    assert consolidated["scope"] == "founded" and consolidated["mos"] == 2
    income = next(row for row in consolidated["rows"] if row["kosgu"] == "132")
    assert Decimal(income["actual"][2]) == 2 * Decimal("1180450.50")
    # the territorial fund sees all three
    region_wide = (await r.client.get("/budget/consolidated?year=2026", headers=r.tfoms())).json()
    assert region_wide["scope"] == "region" and region_wide["mos"] >= 3
    tfoms_mos = {m["id"] for m in (await r.client.get("/mos", headers=r.tfoms())).json()}
    assert {str(r.mo_a), str(r.mo_b), str(r.mo_c)} <= tfoms_mos


async def test_a_founder_on_a_private_mos_passport_does_not_open_it(region: Region) -> None:
    """The health authority edits MO passports region-wide; naming itself founder of a private MO
    must not bring that MO's figures into its scope."""
    r = region
    private = uuid.uuid4()
    r.session.add(Organization(id=private, name="ООО «Частная клиника»", kind="mo", code="T-P"))
    r.session.add(MoProfile(mo_id=private, founder_id=r.founder, legal_form="private"))
    await r.session.flush()
    assert (await _put(r, CELLS, mo=private, headers=r.economist(private))).status_code == 200
    mos = {m["id"] for m in (await r.client.get("/mos", headers=r.health())).json()}
    assert mos == {str(r.mo_a), str(r.mo_b)}
    assert (await r.client.get(f"/budget/{private}/months/2026-03", headers=r.health())).status_code == 404
    consolidated = (await r.client.get("/budget/consolidated?year=2026", headers=r.health())).json()
    assert consolidated["mos"] == 0  # A and B have no figures in this test


async def test_foms_gets_consolidated_figures_only(region: Region) -> None:
    r = region
    await _put(r, CELLS)
    for path in ("/mos", f"/budget/{r.mo_a}/months/2026-03", f"/budget/{r.mo_a}/year/2026"):
        resp = await r.client.get(path, headers=r.foms())
        assert resp.status_code == 403, path
        assert "сводные" in resp.json()["detail"]
    consolidated = await r.client.get("/budget/consolidated?year=2026", headers=r.foms())
    assert consolidated.status_code == 200
    assert consolidated.json()["scope"] == "region" and consolidated.json()["mos"] >= 1
    book = await r.client.get("/budget/consolidated/export.xlsx?year=2026", headers=r.foms())
    assert book.status_code == 200
    fact = list(load_workbook(io.BytesIO(book.content))["Факт"].iter_rows(values_only=True))
    assert fact[0][0].startswith("Сводно по региону")
    income = next(row for row in fact if row[1] == "132")
    assert income[4 + 2] >= 1180450.5


async def test_an_accounting_api_key_writes_with_source_api_and_writes_are_audited(region: Region) -> None:
    r = region
    resp = await _put(r, CELLS, headers=r.accounting())
    assert resp.status_code == 200, resp.text
    assert {row.source for row in await _rows(r)} == {"api"}
    assert resp.json()["last_change"] == {**resp.json()["last_change"], "by": "key-1c", "source": "api"}
    await _put(r, CELLS[:1])
    audit = list(
        await r.session.execute(
            text(
                "SELECT actor, actor_kind, action, resource FROM audit_log WHERE resource LIKE :r ORDER BY at"
            ),
            {"r": f"budget:{r.mo_a}:2026-03%"},
        )
    )
    assert [(a.actor, a.actor_kind, a.action) for a in audit] == [
        ("key-1c", "api_key", "update"),
        ("economist", "user", "update"),
    ]
    # unchanged cells keep who wrote them; the changed ones name the new author
    rows = {row.kosgu: row for row in await _rows(r)}
    assert set(rows) == {"132"} and rows["132"].source == "api"


def _payment(mo: uuid.UUID, n: int, day: date, amount: str, kvfo: int | None, kosgu: str | None,
             direction: str = "out") -> PaymentOrder:  # fmt: skip
    return PaymentOrder(
        mo_id=mo,
        direction=direction,
        doc_kind="Платежное поручение",
        doc_number=str(n),
        doc_date=day,
        amount=Decimal(amount),
        account="03224643990000000001",
        payer_name="ГБУЗ",
        payee_name="ООО «Поставщик»",
        purpose="Оплата",
        kvfo=kvfo,
        kosgu=kosgu,
    )


async def test_payment_orders_appear_beside_the_expense_cells(region: Region) -> None:
    r = region
    await _put(r, CELLS)
    r.session.add_all(
        [
            _payment(r.mo_a, 1, date(2026, 3, 5), "500000.00", 7, "211"),
            _payment(r.mo_a, 2, date(2026, 3, 31), "195120.40", 7, "211"),
            _payment(r.mo_a, 3, date(2026, 4, 1), "1000.00", 7, "211"),  # next month
            _payment(r.mo_a, 4, date(2026, 3, 10), "70.00", 7, None),  # not classified
            _payment(r.mo_a, 5, date(2026, 3, 10), "900.00", 7, "132", "in"),  # a receipt
            _payment(r.mo_a, 6, date(2026, 3, 12), "12000.00", 7, "341"),  # no figure entered
            _payment(r.mo_b, 7, date(2026, 3, 12), "5.00", 7, "213"),  # another MO
        ]
    )
    await r.session.flush()
    cells = {
        (c["flow"], c["kosgu"]): c
        for c in (await r.client.get(f"/budget/{r.mo_a}/months/2026-03", headers=r.economist())).json()[
            "cells"
        ]
    }
    wages = cells[("expense", "211")]
    assert Decimal(wages["payments"]) == Decimal("695120.40") and Decimal(wages["difference"]) == 0
    contributions = cells[("expense", "213")]
    assert Decimal(contributions["payments"]) == 0
    assert Decimal(contributions["difference"]) == Decimal("209926.36")
    assert cells[("income", "132")]["payments"] is None
    medicines = cells[("expense", "341")]
    assert medicines["entered"] is False and Decimal(medicines["payments"]) == Decimal("12000.00")
    assert Decimal(medicines["difference"]) == Decimal("-12000.00")


async def test_the_year_grid_classifiers_and_exports(region: Region) -> None:
    r = region
    await _put(r, CELLS)
    await _put(r, CELLS[:2], month="2026-11")
    year = (await r.client.get(f"/budget/{r.mo_a}/year/2026", headers=r.economist())).json()
    assert year["months"][0] == "2026-01" and len(year["months"]) == 12
    wages = next(row for row in year["rows"] if row["kosgu"] == "211")
    assert wages["actual"][2] is not None and wages["actual"][10] is not None and wages["actual"][0] is None
    assert Decimal(wages["planned"][10]) == Decimal("700000.00")

    classifiers = (await r.client.get("/classifiers", headers=r.economist())).json()
    assert {k["code"] for k in classifiers["kvfo"]} == {2, 4, 5, 6, 7}
    fine = next(k for k in classifiers["kosgu"] if k["code"] == "293")
    assert fine["cmi_allowed"] == "no" and fine["flow"] == "expense"

    month_file = await r.client.get(f"/budget/{r.mo_a}/months/2026-03/export.xlsx", headers=r.economist())
    assert month_file.status_code == 200
    sheet = load_workbook(io.BytesIO(month_file.content)).active
    values = [[c for c in row] for row in sheet.iter_rows(values_only=True)]
    assert values[0] == ["Медицинская организация", "ГБУЗ «Тестовая больница № 1»"] + [None] * 6
    header = values[4]
    assert header[:6] == ["Показатель", "КОСГУ", "Наименование КОСГУ", "КВФО", "План, руб.", "Факт, руб."]
    assert values[5][:2] == ["Поступления", "132"] and values[5][5] == pytest.approx(1180450.5)

    year_file = await r.client.get(f"/budget/{r.mo_a}/year/2026/export.xlsx", headers=r.economist())
    book = load_workbook(io.BytesIO(year_file.content))
    assert book.sheetnames == ["Факт", "План"]
    fact = [row for row in book["Факт"].iter_rows(values_only=True)]
    wages_line = next(row for row in fact if row[1] == "211")
    assert wages_line[4 + 2] == pytest.approx(695120.40) and wages_line[-1] == pytest.approx(2 * 695120.40)
    exports = await r.session.scalar(
        text("SELECT count(*) FROM audit_log WHERE action = 'export' AND resource LIKE :r"),
        {"r": f"budget:{r.mo_a}:%"},
    )
    assert exports == 2


async def test_a_bad_month_in_the_path_is_a_problem(region: Region) -> None:
    r = region
    for month in ("2026-13", "2026-3", "март"):
        resp = await r.client.get(f"/budget/{r.mo_a}/months/{month}", headers=r.economist())
        assert resp.status_code == 422, month
