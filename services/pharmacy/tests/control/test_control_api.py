"""The control over HTTP: a run started as a job, the summary and violations, the registry and
its files, acts with PDF/XLSX and the fund's CSV, scope (another pharmacy's act is 404)."""

from __future__ import annotations

import io

from httpx import AsyncClient
from openpyxl import load_workbook
from sqlalchemy.ext.asyncio import AsyncSession
from tests.control import support
from tests.control.test_control import FROM, TO, planted, run

from oms_kit.testing.tokens import TokenFactory
from pharmacy.models import ControlRun

PERIOD = {"period_from": FROM.isoformat(), "period_to": TO.isoformat()}


async def test_start_run_queues_a_job(
    client: AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    started = await client.post("/control/runs", headers=support.analyst_headers(tokens), json=PERIOD)
    assert started.status_code == 202, started.text
    body = started.json()
    assert body["status"] == "running" and body["job_id"]
    stored = await session.get(ControlRun, body["id"])
    assert stored is not None and stored.job_id is not None
    bad = await client.post(
        "/control/runs",
        headers=support.analyst_headers(tokens),
        json={"period_from": "2026-10-31", "period_to": "2026-10-01"},
    )
    assert bad.status_code == 422
    reader = tokens.auth(org_type="tfoms", perms=["pharmacy.control:read"])
    assert (await client.post("/control/runs", headers=reader, json=PERIOD)).status_code == 403


async def test_results_registry_and_acts_over_http(
    client: AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    x = await planted(session)
    c = x["counter"]
    await run(session)
    fund = support.analyst_headers(tokens)
    params = {**PERIOD, "pharmacy_id": str(c.pharmacy_id)}

    summary = (await client.get("/control/summary", headers=fund, params=params)).json()
    assert summary["checked"] == 9 and summary["unchecked"] == 0
    assert {b["code"] for b in summary["by_code"]} >= {"amount_mismatch", "trace_rejected"}

    page = (
        await client.get("/control/violations", headers=fund, params={**params, "code": "trace_rejected"})
    ).json()
    assert page["total"] == 1 and page["items"][0]["dispense_id"] == str(x["rejected"].id)
    assert page["items"][0]["title"] == "Выбытие отклонено МДЛП"

    registry = (await client.get("/control/registry", headers=fund, params=params)).json()
    assert registry["total"] == 9
    row = next(i for i in registry["items"] if i["dispense_id"] == str(x["overcharged"].id))
    assert row["violation_codes"] == ["amount_mismatch"] and row["snils_masked"].startswith("***")

    csv = await client.get("/control/registry.csv", headers=fund, params=params)
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    lines = text.strip().split("\r\n")
    assert lines[0].startswith("N п/п;Серия рецепта;Номер рецепта") and len(lines) == 10
    assert "11223344595" not in text and "Орлова А. П." in text
    xlsx = await client.get("/control/registry.xlsx", headers=fund, params=params)
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert sheet is not None and sheet.cell(row=2, column=2).value == "Серия рецепта"

    act = await client.post("/control/acts", headers=fund, json={**PERIOD, "pharmacy_id": str(c.pharmacy_id)})
    assert act.status_code == 201, act.text
    card = act.json()
    assert len(card["lines"]) == 7
    pdf = await client.get(f"/control/acts/{card['id']}.pdf", headers=fund)
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")  # DejaVu from «make fonts»
    book = await client.get(f"/control/acts/{card['id']}.xlsx", headers=fund)
    assert book.status_code == 200
    assert (
        load_workbook(io.BytesIO(book.content))
        .active["A1"]
        .value.startswith("Акт медико-экономического контроля")
    )
    listed = (await client.get("/control/acts", headers=fund, params=PERIOD)).json()
    assert [a["id"] for a in listed["items"]] == [card["id"]]
    export = await client.get("/control/acts.csv", headers=fund, params=PERIOD)
    assert export.status_code == 200 and len(export.content.decode("utf-8-sig").strip().split("\r\n")) == 8

    other = support.pharmacy_headers(tokens, x["other_pharmacy"])
    assert (await client.get(f"/control/acts/{card['id']}", headers=other)).status_code == 404
    assert (await client.get(f"/control/acts/{card['id']}.xlsx", headers=other)).status_code == 404
    own = support.pharmacy_headers(tokens, c.pharmacy_id)
    assert (await client.get(f"/control/acts/{card['id']}", headers=own)).status_code == 200
    assert (await client.get("/control/registry", headers=other, params=params)).status_code == 404
