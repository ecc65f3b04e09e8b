"""The report workflow through the API on PostgreSQL: create → edit → submit → accept | return,
refused transitions (409), a submit refused by the control ratios (422 listing them), the locks
an acceptance writes, the history, the audit and the events."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

import httpx
import pytest
from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncSession
from tests.forms.conftest import Headers, Region, entry
from tests.forms.support import cells

from finance.budget.locks import ensure_months_open
from finance.models import BudgetEntry
from oms_kit.errors import Conflict

D = Decimal


async def create(client: httpx.AsyncClient, as_: Headers, region: Region, **body: Any) -> dict[str, Any]:
    payload = {"form": "14F", "mo_id": str(region.mo_a), "year": 2025, "quarter": 1, **body}
    r = await client.post("/reports", json=payload, headers=as_("economist", payload["mo_id"]))
    assert r.status_code == 201, r.text
    result: dict[str, Any] = r.json()
    return result


async def test_a_draft_is_filled_from_the_data_and_takes_manual_cells(
    client: httpx.AsyncClient, as_: Headers, region: Region
) -> None:
    report = await create(client, as_, region)
    assert (report["status"], report["version"], report["due_date"]) == ("draft", "2024", "2025-04-10")
    assert report["period"]["label"] == "I квартал 2025 (январь–март)"
    values = cells(report)
    assert values[("10", "4")] == D("1680") and values[("30", "4")] == D("250")
    assert {c["kind"] for c in report["cells"] if (c["row"], c["column"]) == ("01", "4")} == {"manual"}
    assert set(report["actions"]) == {"edit", "recalculate", "submit", "comment"}

    r = await client.patch(
        f"/reports/{report['id']}/values",
        json={
            "values": [{"row": "01", "column": "4", "value": "100.00"}],
            "expected_revision": report["revision"],
        },
        headers=as_("economist"),
    )
    assert r.status_code == 200, r.text
    edited = r.json()
    assert cells(edited)[("30", "4")] == D("350") and edited["revision"] == report["revision"] + 1
    # a computed cell is not typed
    r = await client.patch(
        f"/reports/{report['id']}/values",
        json={"values": [{"row": "12", "column": "4", "value": "1"}]},
        headers=as_("economist"),
    )
    assert r.status_code == 422 and "вычисляется из данных" in r.json()["detail"]
    # a stale revision
    r = await client.patch(
        f"/reports/{report['id']}/values",
        json={
            "values": [{"row": "01", "column": "4", "value": "5"}],
            "expected_revision": report["revision"],
        },
        headers=as_("economist"),
    )
    assert r.status_code == 409


async def test_submit_is_refused_with_every_violation_but_the_draft_saves(
    client: httpx.AsyncClient, as_: Headers, region: Region, session: AsyncSession
) -> None:
    await session.execute(
        text(
            "INSERT INTO budget_entry (id, mo_id, month, flow, kvfo, kosgu, actual, source, updated_by) "
            "VALUES (gen_random_uuid(), :mo, '2025-02-01', 'expense', 7, '293', 12, 'manual', 't')"
        ),
        {"mo": region.mo_a},
    )
    report = await create(client, as_, region)
    r = await client.patch(
        f"/reports/{report['id']}/values",
        json={"values": [{"row": "10", "column": "7", "value": "1000"}]},
        headers=as_("economist"),
    )
    assert r.status_code == 200 and r.json()["errors"] == 2  # saved with its errors
    r = await client.post(f"/reports/{report['id']}/submit", headers=as_("economist"))
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")
    problem = r.json()
    assert problem["type"] == "urn:oms:problem:control-ratios"
    found = {v["code"]: v for v in problem["violations"]}
    assert set(found) == {"К07", "К09"}
    assert found["К07"]["rule"] == "стр. 23 гр. 4 = 0"
    assert (found["К07"]["left"], found["К07"]["right"]) == ("12.00", "0.00")
    assert found["К07"]["cells"] == [{"form": None, "row": "23", "column": "4", "value": "12.00"}]
    assert found["К09"]["cells"][0]["value"] == "1000.00" and found["К09"]["right"] == "85.00"
    r = await client.get(f"/reports/{report['id']}", headers=as_("economist"))
    assert r.json()["status"] == "draft"


async def test_the_whole_cycle_submit_return_edit_submit_accept_locks_the_months(
    client: httpx.AsyncClient, as_: Headers, region: Region, session: AsyncSession
) -> None:
    report = await create(client, as_, region)
    rid = report["id"]
    # the acceptor cannot accept a draft
    r = await client.post(f"/reports/{rid}/accept", headers=as_("tfoms"))
    assert r.status_code == 409 and "черновик" in r.json()["detail"]
    r = await client.post(f"/reports/{rid}/submit", headers=as_("economist"))
    assert r.status_code == 200, r.text
    assert r.json()["status"] == "submitted" and r.json()["submitted_late"] is True  # due 10 April 2025
    # submitted: frozen for the MO
    r = await client.patch(
        f"/reports/{rid}/values",
        json={"values": [{"row": "01", "column": "4", "value": "1"}]},
        headers=as_("economist"),
    )
    assert r.status_code == 409
    assert (await client.post(f"/reports/{rid}/submit", headers=as_("economist"))).status_code == 409
    # 14-Ф is the fund's to accept, not the health authority's
    r = await client.post(f"/reports/{rid}/return", json={"comment": "x"}, headers=as_("health"))
    assert r.status_code == 403
    r = await client.post(
        f"/reports/{rid}/return", json={"comment": "Укажите остаток на начало года"}, headers=as_("tfoms")
    )
    assert r.status_code == 200 and r.json()["status"] == "returned"
    assert r.json()["comment"] == "Укажите остаток на начало года"
    r = await client.patch(
        f"/reports/{rid}/values",
        json={"values": [{"row": "01", "column": "4", "value": "100"}]},
        headers=as_("economist"),
    )
    assert r.status_code == 200
    assert (await client.post(f"/reports/{rid}/submit", headers=as_("economist"))).status_code == 200
    r = await client.post(f"/reports/{rid}/accept", headers=as_("tfoms"))
    assert r.status_code == 200, r.text
    accepted = r.json()
    assert accepted["status"] == "accepted" and accepted["actions"] == []
    assert cells(accepted)[("30", "4")] == D("350")
    # accepted: immutable
    for path, body in (("values", {"values": []}), ("submit", None), ("return", {"comment": "x"})):
        method = client.patch if path == "values" else client.post
        who = "tfoms" if path == "return" else "economist"
        r = await method(f"/reports/{rid}/{path}", json=body, headers=as_(who))  # type: ignore[operator]
        assert r.status_code == 409, (path, r.text)
    # the months of the period are locked for every writer
    locks = (
        await session.execute(
            text("SELECT month, report_id FROM period_lock WHERE mo_id = :mo ORDER BY month"),
            {"mo": region.mo_a},
        )
    ).all()
    assert [(m, str(rep)) for m, rep in locks] == [(date(2025, m, 1), rid) for m in (1, 2, 3)]
    with pytest.raises(Conflict, match="февраль 2025"):
        await ensure_months_open(session, region.mo_a, [date(2025, 2, 1)])
    await ensure_months_open(session, region.mo_a, [date(2025, 4, 1)])
    # … the budget API refuses a write into an accepted month, and takes one after the period
    cell = [{"flow": "expense", "kvfo": 7, "kosgu": "211", "actual": "1"}]
    r = await client.put(f"/budget/{region.mo_a}/months/2025-02", json=cell, headers=as_("economist"))
    assert r.status_code == 409 and "февраль 2025" in r.json()["detail"]
    r = await client.put(f"/budget/{region.mo_a}/months/2025-05", json=cell, headers=as_("economist"))
    assert r.status_code == 200, r.text
    # data changed after acceptance (a writer skipping the check) does not change the report
    await session.execute(
        text("INSERT INTO budget_entry (id, mo_id, month, flow, kvfo, kosgu, actual, source, updated_by) "
             "VALUES (gen_random_uuid(), :mo, '2025-03-01', 'expense', 7, '222', 7, 'manual', 't')"),
        {"mo": region.mo_a},
    )  # fmt: skip
    r = await client.get(f"/reports/{rid}", headers=as_("economist"))
    assert cells(r.json())[("10", "4")] == D("1680") and r.json()["live"] is False

    # the history: who did what
    r = await client.get(f"/reports/{rid}/history", headers=as_("tfoms"))
    steps = [(h["action"], h["status_from"], h["status_to"], h["actor"]) for h in r.json()]
    assert steps == [
        ("create", None, "draft", "economist-user"),
        ("submit", "draft", "submitted", "economist-user"),
        ("return", "submitted", "returned", "tfoms-user"),
        ("edit", None, None, "economist-user"),
        ("submit", "returned", "submitted", "economist-user"),
        ("accept", "submitted", "accepted", "tfoms-user"),
    ]
    edit = r.json()[3]
    assert {"row": "01", "column": "4", "old": None, "new": "100.00"} in edit["changes"]
    assert r.json()[2]["comment"] == "Укажите остаток на начало года"
    audited = (
        await session.execute(
            text("SELECT actor, action FROM audit_log WHERE resource = :res ORDER BY at, id"),
            {"res": f"finance_report:{rid}"},
        )
    ).all()
    assert [a for _, a in audited].count("update") == 6
    assert {actor for actor, _ in audited} == {"economist-user", "tfoms-user"}
    # the events, through the outbox
    events = (
        await session.execute(
            text(
                "SELECT type, envelope->'data' FROM outbox_event WHERE envelope->'data'->>'report_id' = :rid"
            ),
            {"rid": rid},
        )
    ).all()
    assert sorted(t for t, _ in events) == [
        "finance.report.accepted",
        "finance.report.submitted",
        "finance.report.submitted",
    ]
    (accepted_event,) = [data for t, data in events if t == "finance.report.accepted"]
    submitted_events = [data for t, data in events if t == "finance.report.submitted"]
    assert accepted_event["months_locked"] == ["2025-01-01", "2025-02-01", "2025-03-01"]
    assert accepted_event["mo_id"] == str(region.mo_a) and accepted_event["totals"]["10:4"] == "1680.00"
    assert all(e["late"] is True for e in submitted_events)  # submitted long after 10 April 2025


async def test_a_later_quarter_locks_only_its_new_months(
    client: httpx.AsyncClient, as_: Headers, region: Region, session: AsyncSession
) -> None:
    for quarter in (1, 2):
        report = await create(client, as_, region, quarter=quarter)
        opening = {
            "values": [{"row": "01", "column": "4", "value": "1000"}]
        }  # else spending exceeds funds in Q2
        assert (
            await client.patch(f"/reports/{report['id']}/values", json=opening, headers=as_("economist"))
        ).is_success
        assert (
            await client.post(f"/reports/{report['id']}/submit", headers=as_("economist"))
        ).status_code == 200
        r = await client.post(f"/reports/{report['id']}/accept", headers=as_("tfoms"))
        assert r.status_code == 200
    count = await session.scalar(
        text("SELECT count(*) FROM period_lock WHERE mo_id = :mo"), {"mo": region.mo_a}
    )
    assert count == 6
    event = await session.scalar(
        text("SELECT envelope->'data' FROM outbox_event WHERE type = 'finance.report.accepted' "
             "AND envelope->'data'->>'period_end' = '2025-06-30'")
    )  # fmt: skip
    assert event["months_locked"] == ["2025-04-01", "2025-05-01", "2025-06-01"]


async def test_refusals_of_creation(client: httpx.AsyncClient, as_: Headers, region: Region) -> None:
    await create(client, as_, region)
    r = await client.post(
        "/reports",
        json={"form": "14F", "mo_id": str(region.mo_a), "year": 2025, "quarter": 1},
        headers=as_("economist"),
    )
    assert r.status_code == 409
    r = await client.post(
        "/reports", json={"form": "14F", "mo_id": str(region.mo_a), "year": 2025}, headers=as_("economist")
    )
    assert r.status_code == 422 and "квартал" in r.json()["detail"]
    r = await client.post(
        "/reports",
        json={"form": "62", "mo_id": str(region.mo_a), "year": 2025, "quarter": 2},
        headers=as_("economist"),
    )
    assert r.status_code == 422
    # another MO's report: not the economist's to start (its MO is not in scope)
    r = await client.post(
        "/reports", json={"form": "62", "mo_id": str(region.mo_b), "year": 2025}, headers=as_("economist")
    )
    assert r.status_code == 404
    # the acceptor does not fill reports
    r = await client.post(
        "/reports", json={"form": "62", "mo_id": str(region.mo_a), "year": 2025}, headers=as_("tfoms")
    )
    assert r.status_code == 403


async def test_an_old_period_gets_the_old_version_of_the_form(
    client: httpx.AsyncClient, as_: Headers, region: Region, session: AsyncSession
) -> None:
    await session.execute(
        insert(BudgetEntry), [entry(region.mo_a, 2, "expense", 7, "293", None, "9", year=2020)]
    )
    report = await create(client, as_, region, year=2020)
    assert report["version"] == "2014"
    values = cells(report)
    assert ("23", "4") not in values and ("10", "7") not in values
    assert values[("22", "4")] == D("9")
    # the old version has no fines ratio: the report can be submitted
    assert report["errors"] == 1 and report["violations"][0]["code"] == "К08"  # no opening balance
    r = await client.get("/forms/14F/template", params={"year": 2020, "quarter": 1}, headers=as_("economist"))
    assert r.json()["version"] == "2014" and "К07" not in {x["code"] for x in r.json()["rules"]}
    r = await client.get("/forms/14F/template", headers=as_("economist"))
    assert r.json()["version"] == "2024" and "К07" in {x["code"] for x in r.json()["rules"]}


async def test_62_is_accepted_by_the_founder_and_checked_against_14f(
    client: httpx.AsyncClient, as_: Headers, region: Region, session: AsyncSession
) -> None:
    # 14-Ф for the year submitted first, then the data changes before 62 is submitted
    f14 = await create(client, as_, region, quarter=4)
    opening = {"values": [{"row": "01", "column": "4", "value": "1000"}]}
    assert (
        await client.patch(f"/reports/{f14['id']}/values", json=opening, headers=as_("economist"))
    ).is_success
    assert (await client.post(f"/reports/{f14['id']}/submit", headers=as_("economist"))).status_code == 200
    await session.execute(
        text("INSERT INTO budget_entry (id, mo_id, month, flow, kvfo, kosgu, actual, source, updated_by) "
             "VALUES (gen_random_uuid(), :mo, '2025-11-01', 'expense', 7, '221', 10, 'manual', 't')"),
        {"mo": region.mo_a},
    )  # fmt: skip
    f62 = await create(client, as_, region, form="62", quarter=None)
    assert f62["due_date"] == "2026-02-20"
    r = await client.post(f"/reports/{f62['id']}/submit", headers=as_("economist"))
    assert r.status_code == 422
    (m02,) = [v for v in r.json()["violations"] if v["code"] == "М02"]
    assert m02["rule"] == "стр. 02 гр. 4 = ф. 14F стр. 10 гр. 4"
    assert (m02["left"], m02["right"]) == ("2689.00", "2679.00")
    # TFOMS returns 14-Ф, the MO submits it again with the new data, then 62 passes
    r = await client.post(
        f"/reports/{f14['id']}/return", json={"comment": "Обновите по данным"}, headers=as_("tfoms")
    )
    assert r.status_code == 200
    assert (await client.post(f"/reports/{f14['id']}/submit", headers=as_("economist"))).status_code == 200
    assert (await client.post(f"/reports/{f62['id']}/submit", headers=as_("economist"))).status_code == 200
    # 62 is the founder's to accept: not the fund's, nor another founder's
    assert (await client.post(f"/reports/{f62['id']}/accept", headers=as_("tfoms"))).status_code == 403
    r = await client.post(f"/reports/{f62['id']}/accept", headers=as_("health", region.other_founder))
    assert r.status_code == 404
    r = await client.post(f"/reports/{f62['id']}/accept", headers=as_("health"))
    assert r.status_code == 200 and r.json()["status"] == "accepted"
