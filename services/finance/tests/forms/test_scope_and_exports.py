"""Who sees which reports (own MO, founded MOs, the region, FOMS consolidated only), the
consolidated forms, the overdue list and the exports (XLSX read back, PDF, JSON shape)."""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal
from typing import Any

import httpx
from openpyxl import load_workbook
from tests.forms.conftest import Headers, Region
from tests.forms.support import cells

D = Decimal


async def create(client: httpx.AsyncClient, as_: Headers, mo: Any, **body: Any) -> dict[str, Any]:
    payload = {"form": "14F", "mo_id": str(mo), "year": 2025, "quarter": 1, **body}
    r = await client.post("/reports", json=payload, headers=as_("economist", mo))
    assert r.status_code == 201, r.text
    result: dict[str, Any] = r.json()
    return result


async def test_each_role_sees_its_own_reports(
    client: httpx.AsyncClient, as_: Headers, region: Region
) -> None:
    a = await create(client, as_, region.mo_a)
    b = await create(client, as_, region.mo_b)
    c = await create(client, as_, region.mo_c)
    # an economist: their MO only; another MO's report does not exist for them
    r = await client.get("/reports", headers=as_("economist", region.mo_a))
    assert [i["id"] for i in r.json()["items"]] == [a["id"]]
    assert (await client.get(f"/reports/{b['id']}", headers=as_("economist", region.mo_a))).status_code == 404
    r = await client.patch(
        f"/reports/{b['id']}/values",
        json={"values": [{"row": "01", "column": "4", "value": "1"}]},
        headers=as_("economist", region.mo_a),
    )
    assert r.status_code == 404
    # the health authority: the MOs it founds
    r = await client.get("/reports", headers=as_("health"))
    assert {i["id"] for i in r.json()["items"]} == {a["id"], b["id"]}
    assert (await client.get(f"/reports/{c['id']}", headers=as_("health"))).status_code == 404
    # the fund: every MO, filters
    r = await client.get("/reports", params={"form": "14F", "status": "draft"}, headers=as_("tfoms"))
    assert r.json()["total"] == 3
    r = await client.get("/reports", params={"mo_id": str(region.mo_c)}, headers=as_("tfoms"))
    assert [i["mo_name"] for i in r.json()["items"]] == ["ГАУЗ «Стоматологическая поликлиника»"]
    assert (await client.get("/reports", params={"status": "accepted"}, headers=as_("tfoms"))).json()[
        "total"
    ] == 0
    # FOMS: consolidated only
    assert (await client.get("/reports", headers=as_("foms"))).status_code == 403
    assert (await client.get(f"/reports/{a['id']}", headers=as_("foms"))).status_code == 404
    assert (
        await client.get(f"/reports/{a['id']}/export.json", headers=as_("foms_exchange"))
    ).status_code == 404
    assert (await client.get("/reports/overdue", headers=as_("foms"))).status_code == 403


async def test_the_consolidated_form_sums_the_mos_in_scope(
    client: httpx.AsyncClient, as_: Headers, region: Region
) -> None:
    a = await create(client, as_, region.mo_a)
    b = await create(client, as_, region.mo_b)
    for report, opening in ((a, "100"), (b, "40")):
        r = await client.patch(
            f"/reports/{report['id']}/values",
            json={"values": [{"row": "01", "column": "4", "value": opening}]},
            headers=as_("economist", report["mo_id"]),
        )
        assert r.status_code == 200
    params = {"year": 2025, "quarter": 1}
    r = await client.get("/forms/14F/consolidated", params=params, headers=as_("foms"))
    assert r.status_code == 200
    region_form = r.json()
    v = cells(region_form)
    # A: receipts 1930, spending 1680, payables 85; B: 500, 300, 20
    assert (v[("02", "4")], v[("10", "4")], v[("10", "6")]) == (D("2430"), D("1980"), D("105"))
    assert v[("01", "4")] == D("140") and v[("30", "4")] == D("590")
    assert region_form["mos"] is None and region_form["reports"] == {"draft": 2}
    # the health authority's consolidation: the two MOs it founds (C has no data anyway)
    r = await client.get(
        "/forms/14F/consolidated", params=params, headers=as_("health", region.other_founder)
    )
    assert cells(r.json())[("10", "4")] == D("0") and r.json()["mos"] == 1
    # the economist's «consolidated» is their own MO
    r = await client.get("/forms/14F/consolidated", params=params, headers=as_("economist", region.mo_b))
    assert cells(r.json())[("10", "4")] == D("300")
    r = await client.get("/forms/62/consolidated", params={"year": 2025}, headers=as_("foms"))
    assert cells(r.json())[("02", "3")] == D("3319")  # 3019 + 300
    assert (
        await client.get("/forms/14F/consolidated", params={"year": 2025}, headers=as_("foms"))
    ).status_code == 422
    assert (
        await client.get("/forms/99/consolidated", params={"year": 2025}, headers=as_("foms"))
    ).status_code == 422


async def test_overdue_lists_missing_drafts_and_returned_reports(
    client: httpx.AsyncClient, as_: Headers, region: Region
) -> None:
    a = await create(client, as_, region.mo_a)
    r = await client.get(
        "/reports/overdue", params={"form": "14F", "since": "2025-01-01"}, headers=as_("health")
    )
    assert r.status_code == 200
    items = r.json()
    q1 = [i for i in items if i["period"]["end"] == "2025-03-31"]
    assert {(i["mo_name"], i["status"], i["report_id"]) for i in q1} == {
        ("ГБУЗ «Городская больница № 1»", "draft", a["id"]),
        ("ГБУЗ «Районная больница»", "missing", None),
    }
    assert all(i["due_date"] == "2025-04-10" for i in q1)
    assert q1[0]["days_overdue"] == (date.today() - date(2025, 4, 10)).days
    # sorted by days overdue, the oldest first
    assert [i["days_overdue"] for i in items] == sorted((i["days_overdue"] for i in items), reverse=True)
    # a submitted report is no longer overdue
    assert (await client.post(f"/reports/{a['id']}/submit", headers=as_("economist"))).status_code == 200
    r = await client.get(
        "/reports/overdue", params={"form": "14F", "since": "2025-01-01"}, headers=as_("health")
    )
    assert not [i for i in r.json() if i["report_id"] == a["id"]]
    r = await client.get("/reports", params={"overdue": "true"}, headers=as_("tfoms"))
    assert r.json()["total"] == 0
    listed = (await client.get("/reports", headers=as_("tfoms"))).json()["items"][0]
    assert listed["submitted_late"] is True and listed["days_overdue"] == 0


async def test_the_exports_carry_the_form(client: httpx.AsyncClient, as_: Headers, region: Region) -> None:
    a = await create(client, as_, region.mo_a)
    r = await client.get(f"/reports/{a['id']}/export.xlsx", headers=as_("tfoms"))
    assert r.status_code == 200 and "form-14F-2025-q1.xlsx" in r.headers["content-disposition"]
    book = load_workbook(io.BytesIO(r.content))
    sheet = book.worksheets[0]
    assert str(sheet["A1"].value).startswith("Форма 14-Ф (ОМС)")
    assert "A1:G1" in {str(m) for m in sheet.merged_cells.ranges}
    rows = {str(row[1]): row for row in sheet.iter_rows(values_only=True) if row[1] is not None}
    assert rows["Код строки"][2] == "Утверждено планом ФХД на период"
    assert rows["2"][2:] == ("3", "4", "5", "6", "7")
    assert rows["10"][2:6] == (1210, 1680, -470, 85)
    assert rows["01"][2] == "X"
    row_10 = next(r for r in sheet.iter_rows() if r[1].value == "10")
    assert row_10[3].number_format == "#,##0.00"
    assert [c.value for c in book["Контроль"]["A"]][1:] == ["К10"]

    r = await client.get(f"/reports/{a['id']}/export.pdf", headers=as_("economist"))
    assert (
        r.status_code == 200
        and r.content.startswith(b"%PDF")
        and r.headers["content-type"] == "application/pdf"
    )

    r = await client.get(f"/reports/{a['id']}/export.json", headers=as_("tfoms"))
    body = r.json()
    assert (
        body["format"] == "oms-region.finance.form/1" and body["form"] == "14F" and body["version"] == "2024"
    )
    assert body["scope"] == {
        "kind": "mo",
        "mo_id": str(region.mo_a),
        "mo_name": "ГБУЗ «Городская больница № 1»",
        "mos": 1,
    }
    assert body["report"]["status"] == "draft" and body["unit"] == "RUB"
    row10 = next(x for x in body["rows"] if x["code"] == "10")
    assert row10["cells"] == {"3": "1210.00", "4": "1680.00", "5": "-470.00", "6": "85.00", "7": None}
    assert next(x for x in body["rows"] if x["code"] == "01")["cells"] == {"4": None}
    assert body["columns"]["6"] == "Кредиторская задолженность на конец периода"

    # FOMS's exchange key: the consolidated form of the region
    r = await client.get("/forms/62/consolidated.json", params={"year": 2025}, headers=as_("foms_exchange"))
    assert r.status_code == 200
    region_json = r.json()
    assert region_json["scope"]["kind"] == "region" and region_json["report"] is None
    assert next(x for x in region_json["rows"] if x["code"] == "02")["cells"]["3"] == "3319.00"
    r = await client.get("/forms/62/consolidated.xlsx", params={"year": 2025}, headers=as_("foms"))
    assert load_workbook(io.BytesIO(r.content)).worksheets[0]["A2"].value == "Организация: Свод по региону"
    # the health authority's file is the sum of the MOs it founds, not the region's
    r = await client.get(
        "/forms/62/consolidated.xlsx", params={"year": 2025}, headers=as_("health", region.other_founder)
    )
    first = load_workbook(io.BytesIO(r.content)).worksheets[0]["A2"].value
    assert first == "Организация: Свод по подведомственным МО (1)"
    r = await client.get(
        "/forms/14F/consolidated.pdf", params={"year": 2025, "quarter": 1}, headers=as_("foms")
    )
    assert r.content.startswith(b"%PDF")


async def test_validate_answers_without_saving(
    client: httpx.AsyncClient, as_: Headers, region: Region
) -> None:
    a = await create(client, as_, region.mo_a)
    r = await client.post(
        f"/reports/{a['id']}/validate",
        json={"values": [{"row": "10", "column": "7", "value": "90"}]},
        headers=as_("economist"),
    )
    assert r.status_code == 200
    assert [v["code"] for v in r.json()["violations"] if v["severity"] == "error"] == ["К09"]
    assert r.json()["errors"] == 1
    again = await client.get(f"/reports/{a['id']}", headers=as_("economist"))
    assert cells(again.json())[("10", "7")] is None and again.json()["revision"] == a["revision"]
    history = (await client.get(f"/reports/{a['id']}/history", headers=as_("economist"))).json()
    assert [h["action"] for h in history] == ["create"]
    r = await client.post(
        f"/reports/{a['id']}/comments", json={"comment": "Проверю остаток"}, headers=as_("economist")
    )
    assert [h["action"] for h in r.json()] == ["create", "comment"]
