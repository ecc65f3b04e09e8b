"""The deviation search on the database: findings stored once per (MO, month, kind, metric)
with their explanation, new ones published as ``finance.deviation.detected`` through the
outbox; a re-run duplicates neither rows nor events and keeps acknowledgements; the list by
MO, month, kind and status within the caller's scope (FOMS 403); acknowledging once; the search
started as a job; and over the demo data every planted anomaly is found, clean MOs stay clean."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from tests.analytics.support import Region, month

from finance.demo import budget
from finance.demo import deviations as demo_deviations
from finance.demo.region import demo_region
from finance.deviations import service
from finance.models import Deviation, Organization
from oms_kit.testing.tokens import TokenFactory


@pytest.fixture
async def region(client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory) -> Region:
    r = Region(client, session, tokens)
    await r.add_mos()
    for n in range(1, 8):
        m = month(n)
        await r.cell(r.mo_a, m, "expense", 7, "211", 500_000)
        await r.cell(r.mo_a, m, "expense", 7, "341", 100_000)
        await r.cell(r.mo_b, m, "expense", 7, "211", 300_000)
        await r.cell(r.mo_b, m, "expense", 7, "341", 200_000)
        # B: wages 96 % of CMI spending in month 7
        await r.cell(r.mo_c, m, "expense", 7, "211", 900_000)
        await r.cell(r.mo_c, m, "expense", 7, "341", 300_000)
    await r.cell(r.mo_a, month(4), "expense", 7, "293", "187450.00")  # a fine from CMI funds
    await r.cell(r.mo_b, month(7), "expense", 7, "213", 4_000_000)  # wages share 0.96
    await session.flush()
    return r


async def events(session: AsyncSession) -> list[dict]:
    rows = await session.execute(
        text(
            "SELECT envelope->'data' FROM outbox_event WHERE type = 'finance.deviation.detected' "
            "ORDER BY envelope->'data'->>'metric'"
        )
    )
    return list(rows.scalars())


async def test_found_once_published_once(region: Region, session: AsyncSession) -> None:
    first = await service.search(session)
    rows = (
        await session.scalars(select(Deviation).where(Deviation.mo_id.in_([region.mo_a, region.mo_b])))
    ).all()
    found = {(d.mo_id, d.month, d.kind, d.metric) for d in rows}
    assert (region.mo_a, month(4), "rule", "cmi_not_allowed_293") in found
    assert (region.mo_b, month(7), "rule", "cmi_wages_share") in found
    fine = next(d for d in rows if d.metric == "cmi_not_allowed_293")
    assert fine.value == Decimal("187450.00") and fine.status == "new" and "КОСГУ 293" in fine.explanation
    published = await events(session)
    assert {(e["mo_id"], e["metric"]) for e in published} >= {
        (str(region.mo_a), "cmi_not_allowed_293"),
        (str(region.mo_b), "cmi_wages_share"),
    }
    assert next(e for e in published if e["metric"] == "cmi_not_allowed_293")["deviation_id"] == str(fine.id)
    assert first["new"] == len(published)

    # Acknowledged, then searched again: same rows, no new events, acknowledgement kept.
    fine.status, fine.acknowledged_by = "acknowledged", "tfoms"
    await session.flush()
    again = await service.search(session)
    assert again["new"] == 0 and len(await events(session)) == len(published)
    total = await session.scalar(
        select(func.count()).select_from(Deviation).where(Deviation.mo_id.in_([region.mo_a, region.mo_b]))
    )
    assert total == len(rows)
    await session.refresh(fine)
    assert fine.status == "acknowledged"

    # The figures corrected: the wages finding is gone, the acknowledged fine stays.
    await session.execute(
        text("UPDATE budget_entry SET actual = 100000 WHERE mo_id = :mo AND kosgu = '213'"),
        {"mo": region.mo_b},
    )
    await session.execute(text("UPDATE deviation SET updated_at = now() - interval '1 minute'"))
    await service.search(session)
    left = {
        d.metric
        for d in await session.scalars(
            select(Deviation).where(Deviation.mo_id.in_([region.mo_a, region.mo_b]))
        )
    }
    assert "cmi_wages_share" not in left and "cmi_not_allowed_293" in left


async def test_list_acknowledge_and_scope(region: Region, session: AsyncSession) -> None:
    await service.search(session)
    client = region.client
    mine = await client.get("/deviations", params={"kind": "rule"}, headers=region.economist(region.mo_a))
    assert mine.status_code == 200, mine.text
    body = mine.json()
    assert {i["mo_id"] for i in body["items"]} == {str(region.mo_a)}
    assert body["new_by_kind"]["rule"] == body["total"]
    [fine] = [i for i in body["items"] if i["metric"] == "cmi_not_allowed_293"]
    assert fine["month"] == "2031-04" and fine["mo_name"] == "ГБУЗ «Больница А»"

    ha = (
        await client.get("/deviations", params={"status": "new", "month": "2031-07"}, headers=region.health())
    ).json()
    assert {i["mo_id"] for i in ha["items"]} <= {str(region.mo_a), str(region.mo_b)}
    assert any(i["metric"] == "cmi_wages_share" for i in ha["items"])
    foms = await client.get("/deviations", headers=region.foms())
    assert foms.status_code == 403
    bad = await client.get("/deviations", params={"kind": "other"}, headers=region.tfoms())
    assert bad.status_code == 422

    # Someone else's deviation: 404; acknowledged once with the comment, the second time 409.
    url = f"/deviations/{fine['id']}/acknowledge"
    assert (await client.post(url, json={}, headers=region.economist(region.mo_b))).status_code == 404
    done = await client.post(
        url, json={"comment": "Штраф восстановлен за счёт КВФО 2"}, headers=region.economist(region.mo_a)
    )
    assert done.status_code == 200, done.text
    assert done.json()["status"] == "acknowledged" and done.json()["acknowledged_by"] == "economist"
    assert done.json()["comment"] == "Штраф восстановлен за счёт КВФО 2"
    audited = (
        await session.execute(
            text("SELECT actor, action, reason FROM audit_log WHERE resource = :r"),
            {"r": f"deviation:{fine['id']}"},
        )
    ).all()
    assert [tuple(a) for a in audited] == [
        ("economist", "update", "рассмотрено: Штраф восстановлен за счёт КВФО 2")
    ]
    again = await client.post(url, json={}, headers=region.tfoms())
    assert again.status_code == 409 and again.headers["content-type"].startswith("application/problem+json")
    read = await client.get(f"/deviations/{fine['id']}", headers=region.health())
    assert read.status_code == 200 and read.json()["status"] == "acknowledged"
    reader = region.tokens.auth(org_id=region.mo_a, roles=["mo_economist"], perms=["finance.budget:read"])
    assert (await client.post(url, json={}, headers=reader)).status_code == 403


async def test_the_search_runs_as_a_job(region: Region, session: AsyncSession) -> None:
    started = await region.client.post(
        "/deviations/searches", json={"wages_share_threshold": 0.9}, headers=region.tfoms()
    )
    assert started.status_code == 202, started.text
    assert started.json()["kind"] == "finance.deviation_search" and started.json()["status"] == "queued"
    audited = await session.scalar(
        text("SELECT action FROM audit_log WHERE resource = :r"),
        {"r": f"deviation:search:{started.json()['id']}"},
    )
    assert audited == "create"
    bad = await region.client.post(
        "/deviations/searches", json={"wages_share_threshold": 2}, headers=region.tfoms()
    )
    assert bad.status_code == 422
    # an MO's economist acknowledges its own deviations but does not search the region
    refused = await region.client.post("/deviations/searches", json={}, headers=region.economist())
    assert refused.status_code == 403


# MOs of the gateway's demo region (codes and names as make run seeds them).
DEMO_MOS = {
    "990001": "ГБУЗ «Городская поликлиника № 2 г. Приозёрска»",
    "990002": "ГБУЗ «Приозёрская областная клиническая больница»",
    "990003": "ГБУЗ «Заречная центральная районная больница»",
    "990004": "ГБУЗ «Городская поликлиника № 1 г. Приозёрска»",
    "990006": "ГБУЗ «Городская поликлиника № 4 г. Приозёрска»",
    "990007": "ГБУЗ «Городская поликлиника № 5 г. Приозёрска»",
    "990008": "ГБУЗ «Городская поликлиника № 6 г. Приозёрска»",
    "990012": "ГБУЗ «Городская больница № 1 г. Приозёрска»",
    "990013": "ГБУЗ «Городская больница № 2 г. Приозёрска»",
    "990014": "ГБУЗ «Городская больница № 3 г. Приозёрска»",
    "990015": "ГБУЗ «Приозёрская областная детская клиническая больница»",
    "990018": "ГБУЗ «Приозёрский областной онкологический диспансер»",
    "990019": "ГБУЗ «Приозёрский областной кардиологический диспансер»",
    "990025": "ГАУЗ «Стоматологическая поликлиника № 1 г. Приозёрска»",
    "990029": "ГБУЗ «Лесогорская центральная районная больница»",
    "990030": "ГБУЗ «Лесогорская городская больница»",
    "990031": "ГБУЗ «Озёрная центральная районная больница»",
    "990032": "ГБУЗ «Береговая центральная районная больница»",
    "990033": "ГБУЗ «Сосновоборская центральная районная больница»",
    "990035": "ГБУЗ «Каменноключевская центральная районная больница»",
    "990036": "ГБУЗ «Верхнеречинская центральная районная больница»",
    "990042": "ООО «Медицинский центр «Здоровье»",
    "990043": "ООО «Клиника «Диагност»",
    "990046": "АО «Медицина плюс»",
}


async def test_every_planted_anomaly_is_found_in_the_demo(session: AsyncSession) -> None:
    await session.execute(text("DELETE FROM deviation"))
    for code, name in DEMO_MOS.items():
        mo_id = uuid.uuid5(uuid.NAMESPACE_URL, code)
        if await session.get(Organization, mo_id) is None:
            session.add(Organization(id=mo_id, name=name, kind="mo", code=code))
    await session.flush()
    region = await demo_region(session, today=date(2026, 11, 24))
    assert region is not None
    await budget.seed(session, region)
    summary = await demo_deviations.seed(session, region)
    assert summary["planted_found"] and all(summary["planted_found"].values()), summary["planted_found"]
    planted = {region.mo(a.mo_code).id for a in budget.planted_anomalies(region)}
    clean = await session.scalar(
        select(func.count()).select_from(Deviation).where(Deviation.mo_id.not_in(planted))
    )
    assert clean is not None and clean <= 2, clean  # few or no alerts on clean data
