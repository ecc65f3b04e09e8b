"""Reports of a finished run over HTTP: savings without a tariff (counted, not priced, with the
Russian note) and with one (by reason and district adding up to the total, the forecast), an
operator's decision changing the savings, statistics matching the run's counts, trends across
two runs, the XLSX and PDF report (read back), 403/404/409 problems."""

from __future__ import annotations

import io
import uuid
from decimal import Decimal
from typing import Any

from openpyxl import load_workbook
from pypdf import PdfReader
from tests.verification_support import Verified, put_tariff, sql, start_run, verified  # noqa: F401  (fixture)

from verification.register.writer import register_csv

READ = frozenset({"verification.run:read"})
PERIOD = "Проверяемый период: 01.01.2025 – 31.12.2025"


async def _get(v: Verified, path: str, auth: dict[str, str] | None = None) -> dict[str, Any]:
    r = await v.client.get(path, headers=auth or v.auth())
    assert r.status_code == 200, r.text
    body: dict[str, Any] = r.json()
    return body


async def test_statistics_match_the_run_counts(verified: Verified) -> None:  # noqa: F811
    v = verified
    stats = await _get(v, f"/runs/{v.run_id}/statistics")
    counts = v.run["counts"]
    assert stats["entries"] == counts["entries"] == 400
    assert stats["outcomes"] == counts["outcomes"]
    assert {r["reason"]: r["persons"] for r in stats["by_reason"]} == counts["excluded_by_reason"]
    assert stats["review_by_reason"] == counts["review_by_reason"]
    assert stats["matching"]["pairs_by_status"] == counts["pairs_by_status"]
    assert stats["matching"]["operator_decisions"] == 0
    assert stats["matching"]["pairs_by_source"]["register"] == counts["duplicate_pairs"]
    assert sum(d["entries"] for d in stats["by_district"]) == 400
    assert sum(d["excluded"] for d in stats["by_district"]) == counts["outcomes"]["exclude"]
    assert sum(a["total"] for a in stats["by_age_sex"]) == counts["outcomes"]["exclude"]
    assert [a["age_group"] for a in stats["by_age_sex"]] == [
        "0–17",
        "18–29",
        "30–39",
        "40–49",
        "50–59",
        "60–69",
        "70 и старше",
    ]
    assert stats["months_excluded"] == sum(r["months"] for r in stats["by_reason"]) > 0
    assert {r["title"] for r in stats["by_reason"]} >= {"Умер", "Работающий"}


async def test_savings_without_and_with_a_tariff(verified: Verified) -> None:  # noqa: F811
    v = verified
    stats = await _get(v, f"/runs/{v.run_id}/statistics")
    unpriced = await _get(v, f"/runs/{v.run_id}/savings")
    assert unpriced["years_without_tariff"] == [2025] and Decimal(unpriced["total"]["amount"]) == 0
    assert unpriced["months_without_tariff"] == stats["months_excluded"] == unpriced["total"]["months"]
    assert "2025" in unpriced["note"] and "не вошли" in unpriced["note"]
    assert unpriced["forecast"]["amount"] is None and "2026" in unpriced["forecast"]["note"]

    monthly = await put_tariff(v, 2025)
    await put_tariff(v, 2026)
    savings = await _get(v, f"/runs/{v.run_id}/savings")
    total = Decimal(savings["total"]["amount"])
    assert total == monthly * stats["months_excluded"] and savings["note"] is None
    assert (
        savings["years_without_tariff"] == [] and savings["total"]["persons"] == stats["outcomes"]["exclude"]
    )
    assert sum(Decimal(x["amount"]) for x in savings["by_reason"]) == total
    assert sum(Decimal(x["amount"]) for x in savings["by_district"]) == total
    assert {x["title"] for x in savings["by_reason"]} >= {"Умер"}
    [(through_december,)] = await sql(
        v,
        "SELECT count(*) FROM outcome o WHERE o.run_id = :r AND o.outcome = 'exclude' AND EXISTS "
        '(SELECT 1 FROM jsonb_to_recordset(o.periods) p("to" date) WHERE p."to" = \'2025-12-31\')',
        r=uuid.UUID(v.run_id),
    )
    forecast = savings["forecast"]
    assert forecast["year"] == 2026 and forecast["actual_register"] == 400 - through_december
    assert Decimal(forecast["amount"]) == Decimal(forecast["per_capita"]) * forecast["actual_register"]


async def test_a_decision_changes_the_savings(verified: Verified) -> None:  # noqa: F811
    v = verified
    monthly = await put_tariff(v, 2025)
    before = await _get(v, f"/runs/{v.run_id}/savings")
    [death] = (await _get(v, f"/runs/{v.run_id}/reviews?reason=dead"))["items"]
    r = await v.client.post(
        f"/runs/{v.run_id}/reviews/{death['pair_id']}/decision",
        json={"decision": "confirm"},
        headers=v.auth(),
    )
    assert r.status_code == 200, r.text
    months = r.json()["outcomes"][0]["months_excluded"]
    assert months > 0
    after = await _get(v, f"/runs/{v.run_id}/savings")
    assert Decimal(after["total"]["amount"]) == Decimal(before["total"]["amount"]) + monthly * months
    assert after["total"]["persons"] == before["total"]["persons"] + 1
    stats = await _get(v, f"/runs/{v.run_id}/statistics")
    assert stats["matching"]["operator_decisions"] == 1
    run = await _get(v, f"/runs/{v.run_id}")
    assert stats["outcomes"] == run["counts"]["outcomes"]


async def test_the_report_in_xlsx_and_pdf(verified: Verified) -> None:  # noqa: F811
    v = verified
    r = await v.client.get(f"/runs/{v.run_id}/report.xlsx", headers=v.auth())
    assert r.status_code == 200 and "attachment" in r.headers["content-disposition"]
    book = load_workbook(io.BytesIO(r.content))
    assert book.sheetnames == ["Отчёт", "Итоги", "По основаниям", "По районам", "Возраст и пол", "Экономия"]
    summary = book["Отчёт"]
    assert str(summary["A1"].value).startswith("Статистический отчёт") and summary["A2"].value == PERIOD
    reasons = list(book["По основаниям"].iter_rows(min_row=3, values_only=True))
    stats = await _get(v, f"/runs/{v.run_id}/statistics")
    assert [(row[0], row[1]) for row in reasons] == [(x["title"], x["persons"]) for x in stats["by_reason"]]

    r = await v.client.get(f"/runs/{v.run_id}/report.pdf", headers=v.auth())
    assert r.status_code == 200 and r.headers["content-type"] == "application/pdf"
    assert r.content.startswith(b"%PDF")
    extracted = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(r.content)).pages)
    assert PERIOD in extracted and "Исключённые по основаниям" in extracted and "Умер" in extracted
    [(audited,)] = await sql(
        v, "SELECT count(*) FROM audit_log WHERE resource LIKE :r", r=f"verification_run:{v.run_id}:report.%"
    )
    assert audited == 2


async def test_trends_across_runs(verified: Verified) -> None:  # noqa: F811
    v = verified
    second = await start_run(v, register_csv(v.world.register.records), previous_run_id=v.run_id)
    trends = (await _get(v, "/statistics/trends"))["items"]
    assert [t["run_id"] for t in trends] == [v.run_id, second["id"]]
    for point in trends:
        savings = await _get(v, f"/runs/{point['run_id']}/savings")
        assert Decimal(point["savings"]) == Decimal(savings["total"]["amount"])
        assert point["register_size"] == 400 and point["excluded"] == savings["total"]["persons"]
    # The operator's confirmation carries into the incremental run: the same exclusions.
    assert trends[1]["excluded"] == trends[0]["excluded"]
    other = v.auth(org_id=uuid.uuid4())
    assert (await _get(v, "/statistics/trends", other))["items"] == []


async def test_problems(verified: Verified) -> None:  # noqa: F811
    v = verified
    reader = v.auth(READ)
    assert (await v.client.get(f"/runs/{v.run_id}/savings", headers=reader)).status_code == 403
    assert (await v.client.get(f"/runs/{v.run_id}/report.pdf", headers=reader)).status_code == 403
    assert (await v.client.get(f"/runs/{v.run_id}/statistics", headers=reader)).status_code == 200
    assert (await v.client.get("/statistics/trends")).status_code == 401
    other = v.auth(org_id=uuid.uuid4())
    for path in ("savings", "statistics", "report.xlsx", "report.pdf"):
        r = await v.client.get(f"/runs/{v.run_id}/{path}", headers=other)
        assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json"), path
    await sql(
        v, "UPDATE verification_run SET finished_stage = 'scoring' WHERE id = :id", id=uuid.UUID(v.run_id)
    )
    try:
        r = await v.client.get(f"/runs/{v.run_id}/statistics", headers=v.auth())
        assert r.status_code == 409 and "не завершена" in r.json()["detail"]
    finally:
        await sql(
            v,
            "UPDATE verification_run SET finished_stage = 'decisions' WHERE id = :id",
            id=uuid.UUID(v.run_id),
        )
