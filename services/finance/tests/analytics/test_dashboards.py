"""The dashboards on known figures: structure by КВФО and КОСГУ group, months, plan vs actual,
CMI shares of wages (211 + 213) and medicines (341), payables and their growth, drug spending,
the comparison per bed and per attached person; and who sees what (economist: own MO;
health authority: the MOs it founds; territorial fund: all; FOMS: consolidated only, 403 per MO)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from decimal import Decimal

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession
from tests.analytics.support import Region, month

from finance.models import DrugSpending, VerificationSavings
from oms_kit.testing.tokens import TokenFactory

PERIOD = {"date_from": "2031-01", "date_to": "2031-03"}


@pytest.fixture
async def region(client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory) -> Region:
    r = Region(client, session, tokens)
    await r.add_mos()
    for n in (1, 2, 3):
        m = month(n)
        await r.cell(r.mo_a, m, "income", 7, "132", 1000, 1100)
        await r.cell(r.mo_a, m, "income", 4, "131", 200, 200)
        await r.cell(r.mo_a, m, "expense", 7, "211", 500, 500)
        await r.cell(r.mo_a, m, "expense", 7, "213", 151, 150)
        await r.cell(r.mo_a, m, "expense", 7, "341", 100, 120)
        await r.cell(r.mo_a, m, "expense", 7, "223", 49, 50)
        await r.cell(r.mo_a, m, "expense", 4, "211", 100, 100)
        await r.cell(r.mo_a, m, "payable", 7, "223", 10 * 2 ** (n - 1))  # 10, 20, 40
        await r.cell(r.mo_b, m, "expense", 7, "211", 300, 300)
        await r.cell(r.mo_b, m, "expense", 7, "341", 100, 100)
        await r.cell(r.mo_c, m, "expense", 7, "211", 900, 900)
    session.add(
        DrugSpending(
            mo_id=r.mo_a, month=month(2), funding_source="federal", amount=Decimal("700.00"), prescriptions=3
        )
    )
    session.add(
        DrugSpending(
            mo_id=r.mo_b, month=month(2), funding_source="regional", amount=Decimal("50.00"), prescriptions=1
        )
    )
    await session.flush()
    return r


async def overview(region: Region, headers: dict[str, str], **params: str) -> dict:
    response = await region.client.get("/analytics/overview", params=PERIOD | params, headers=headers)
    assert response.status_code == 200, response.text
    return response.json()


async def test_one_mo_figures(region: Region) -> None:
    body = await overview(region, region.tfoms(), mo_id=str(region.mo_a))
    assert body["period"] == {
        "date_from": "2031-01",
        "date_to": "2031-03",
        "mo_id": str(region.mo_a),
        "mos": 1,
    }
    kpi = body["kpi"]
    assert Decimal(kpi["cmi_expense"]) == 2400  # (500 + 151 + 100 + 49) × 3
    assert kpi["wages_share"] == round(651 / 800, 4)
    assert kpi["medicines_share"] == 0.125
    assert (Decimal(kpi["payables_start"]), Decimal(kpi["payables_end"])) == (10, 40)
    assert (Decimal(kpi["income"]), Decimal(kpi["expense"])) == (3600, 2700)
    assert kpi["execution"] == round(2700 / 2760, 4)

    structure = {
        (s["flow"], s["kvfo"], s["group"]): (Decimal(s["planned"]), Decimal(s["actual"]))
        for s in body["structure"]
    }
    assert structure == {
        ("expense", 4, "Оплата труда и начисления"): (300, 300),
        ("expense", 7, "Оплата труда и начисления"): (1950, 1953),
        ("expense", 7, "Материальные запасы"): (360, 300),
        ("expense", 7, "Работы, услуги"): (150, 147),
        ("income", 4, "Доходы от оказания услуг"): (600, 600),
        ("income", 7, "Доходы от оказания услуг"): (3300, 3000),
    }
    expense = [
        (d["month"], Decimal(d["actual"]), Decimal(d["cmi_actual"]))
        for d in body["dynamics"]
        if d["flow"] == "expense"
    ]
    assert expense == [("2031-01", 900, 800), ("2031-02", 900, 800), ("2031-03", 900, 800)]
    assert [m["payables_growth"] for m in body["kpi_by_month"]] == [None, 1.0, 1.0]
    assert [(p["month"], p["group"], Decimal(p["amount"])) for p in body["payables"]] == [
        ("2031-01", "Работы, услуги", 10),
        ("2031-02", "Работы, услуги", 20),
        ("2031-03", "Работы, услуги", 40),
    ]
    assert [(d["funding_source"], Decimal(d["amount"]), d["prescriptions"]) for d in body["drugs"]] == [
        ("federal", 700, 3)
    ]


async def test_who_sees_what(region: Region) -> None:
    # The health authority: consolidated over A and B (it founds them), not C.
    ha = await overview(region, region.health())
    assert ha["period"]["mos"] == 2 and Decimal(ha["kpi"]["cmi_expense"]) == 2400 + 1200
    assert {d["funding_source"] for d in ha["drugs"]} == {"federal", "regional"}
    hidden = await region.client.get(
        "/analytics/overview", params=PERIOD | {"mo_id": str(region.mo_c)}, headers=region.health()
    )
    assert hidden.status_code == 404
    # The economist: their own MO only, the default being that MO.
    own = await overview(region, region.economist(region.mo_b))
    assert own["period"]["mos"] == 1 and Decimal(own["kpi"]["cmi_expense"]) == 1200
    other = await region.client.get(
        "/analytics/overview",
        params=PERIOD | {"mo_id": str(region.mo_a)},
        headers=region.economist(region.mo_b),
    )
    assert other.status_code == 404
    # An MO that does not exist is not an empty dashboard (the region sees every MO that does).
    unknown = await region.client.get(
        "/analytics/overview", params=PERIOD | {"mo_id": str(uuid.uuid4())}, headers=region.tfoms()
    )
    assert unknown.status_code == 404 and unknown.json()["detail"] == "Медицинская организация не найдена"
    # FOMS: the consolidated figures, 403 for one MO and for the comparison.
    foms = await overview(region, region.foms())
    assert foms["period"]["mo_id"] is None and Decimal(foms["kpi"]["cmi_expense"]) >= 2400 + 1200 + 2700
    for url, params in (("/analytics/overview", {"mo_id": str(region.mo_a)}), ("/analytics/comparison", {})):
        refused = await region.client.get(url, params=PERIOD | params, headers=region.foms())
        assert refused.status_code == 403, refused.text
        assert refused.headers["content-type"].startswith("application/problem+json")


async def test_comparison_per_bed_and_attached(region: Region) -> None:
    response = await region.client.get("/analytics/comparison", params=PERIOD, headers=region.health())
    assert response.status_code == 200, response.text
    items = {i["mo_id"]: i for i in response.json()["items"]}
    assert set(items) == {str(region.mo_a), str(region.mo_b)}
    a, b = items[str(region.mo_a)], items[str(region.mo_b)]
    assert Decimal(a["expense_per_bed"]) == 27 and Decimal(a["expense_per_attached"]) == Decimal("0.27")
    assert Decimal(b["expense_per_bed"]) == 24 and b["wages_share"] == 0.75 and b["medicines_share"] == 0.25
    assert Decimal(a["payables_end"]) == 40 and Decimal(a["drugs"]) == 700 and a["legal_form"] == "budget"
    tf = (await region.client.get("/analytics/comparison", params=PERIOD, headers=region.tfoms())).json()
    c = next(i for i in tf["items"] if i["mo_id"] == str(region.mo_c))
    assert c["expense_per_bed"] is None and Decimal(c["expense_per_attached"]) == Decimal("1.35")


async def test_bad_period_is_named(region: Region) -> None:
    for params, field in (
        ({"date_from": "2031-13"}, "date_from"),
        ({"date_from": "2031-05", "date_to": "2031-02"}, "date_from"),
    ):
        response = await region.client.get("/analytics/overview", params=params, headers=region.tfoms())
        assert response.status_code == 422, response.text
        assert field in response.text


async def test_savings_of_verification_runs(region: Region) -> None:
    run = uuid.uuid4()
    region.session.add(
        VerificationSavings(
            run_id=run,
            organization_id=uuid.uuid4(),
            period_from=month(1, 2040),
            period_to=month(12, 2040),
            as_of=month(12, 2040),
            excluded=42,
            months_excluded=250,
            monthly_tariff=Decimal("1179.04"),
            savings_amount=Decimal("294760.00"),
            actual_register=958,
            forecast_year=2041,
            appropriation_forecast=Decimal("14458024.56"),
            completed_at=datetime.now(UTC),
        )
    )
    await region.session.flush()
    body = (await region.client.get("/analytics/savings", headers=region.foms())).json()
    assert body["runs"][0]["run_id"] == str(run)
    assert Decimal(body["latest_savings"]) == Decimal("294760.00") and body["latest_forecast_year"] == 2041
