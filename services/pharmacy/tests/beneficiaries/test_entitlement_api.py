"""Entitlement on a date through the API: before, inside and after a period, the refusal of the
in-kind benefit for a year (federal ОНЛС only), drug list and diagnosis, audit rows, and who may
read and write."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.audit import AuditRecord
from oms_kit.testing.tokens import TokenFactory

from .support import beneficiary, operator, pharmacist


async def _entitled(
    client: httpx.AsyncClient, auth: dict[str, str], person: uuid.UUID, on: str, **params: str
) -> dict[str, Any]:
    url = f"/beneficiaries/{person}/entitlement"
    answer = await client.get(url, params={"on": on, **params}, headers=auth)
    assert answer.status_code == 200, answer.text
    body: dict[str, Any] = answer.json()
    return body


async def test_entitlement_follows_the_period_the_refusal_and_the_lists(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    person = uuid.uuid4()
    body = beneficiary(
        person,
        entitlements=[
            {
                "category_code": "082",
                "valid_from": "2026-01-01",
                "valid_to": "2026-12-31",
                "document_kind": "Справка МСЭ",
                "document_number": "1234567",
            },
            {"category_code": "r-diabetes", "valid_from": "2026-06-01"},
        ],
        diagnoses=[{"icd10": "E11.9"}],
    )
    created = await client.post("/beneficiaries", json=body, headers=operator(tokens))
    assert created.status_code == 201, created.text
    auth = pharmacist(tokens)

    before = await _entitled(client, auth, person, "2025-12-31")
    assert before["entitled"] is False
    assert {r["reason"] for r in before["reasons"]} == {"not_started"}

    inside = await _entitled(client, auth, person, "2026-07-01")
    assert inside["entitled"] is True
    assert [c["code"] for c in inside["categories"]] == ["082", "r-diabetes"]

    after = await _entitled(client, auth, person, "2027-02-01")
    assert [c["code"] for c in after["categories"]] == ["r-diabetes"]
    assert [r["reason"] for r in after["reasons"]] == ["expired"]

    only_onls = await _entitled(client, auth, person, "2026-07-01", drug_list="onls")
    assert [c["code"] for c in only_onls["categories"]] == ["082"]
    asthma = await _entitled(client, auth, person, "2026-07-01", drug_list="regional", diagnosis="J45.0")
    assert asthma["entitled"] is False
    assert {r["reason"] for r in asthma["reasons"]} == {"other_drug_list", "diagnosis_not_covered"}

    unknown = await client.get(
        f"/beneficiaries/{person}/entitlement", params={"on": "2026-07-01", "drug_list": "x"}, headers=auth
    )
    assert unknown.status_code == 422 and "«x»" in unknown.json()["detail"]

    refused = await client.put(f"/beneficiaries/{person}/refusals/2026", headers=operator(tokens))
    assert refused.status_code == 204, refused.text
    refusing = await client.get(
        "/beneficiaries", params={"refused_year": 2026, "sort": "-birth_date,surname"}, headers=auth
    )
    assert [i["person_id"] for i in refusing.json()["items"]] == [str(person)]
    assert (await client.get("/beneficiaries", params={"refused_year": 2027}, headers=auth)).json()[
        "total"
    ] == 0
    in_2026 = await _entitled(client, auth, person, "2026-07-01")
    assert [c["code"] for c in in_2026["categories"]] == ["r-diabetes"]  # regional: not affected
    assert [r["reason"] for r in in_2026["reasons"]] == ["refused_in_kind"]

    visitor = uuid.uuid4()
    body = beneficiary(
        visitor,
        home_region="77",
        temporary_until="2026-09-30",
        entitlements=[{"category_code": "r-asthma", "valid_from": "2026-01-01"}],
    )
    assert (await client.post("/beneficiaries", json=body, headers=operator(tokens))).status_code == 201
    assert (await _entitled(client, auth, visitor, "2026-09-30"))["entitled"] is True
    gone = await _entitled(client, auth, visitor, "2026-10-01")
    assert [r["reason"] for r in gone["reasons"]] == ["temporary_ended"]

    stranger = await _entitled(client, auth, uuid.uuid4(), "2026-07-01")
    assert stranger["entitled"] is False
    assert stranger["reasons"][0]["reason"] == "not_registered"

    audited = await session.scalar(
        select(func.count())
        .select_from(AuditRecord)
        .where(
            AuditRecord.person_id == person, AuditRecord.actor == "pharmacist", AuditRecord.action == "read"
        )
    )
    assert audited == 7  # six entitlement reads and the list that showed the person


async def test_the_card_the_list_and_who_may_do_what(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    person = uuid.uuid4()
    body = beneficiary(
        person,
        surname="Зыкова",
        home_region="77",
        entitlements=[{"category_code": "vzn-06", "valid_from": "2025-01-01"}],
    )
    doctor = tokens.auth(roles=["doctor"], perms=["pharmacy.beneficiary:read"], subject="doctor")
    assert (await client.post("/beneficiaries", json=body, headers=doctor)).status_code == 403
    nobody = tokens.auth(roles=["warehouse_operator"], perms=["pharmacy.stock:read"])
    assert (await client.get("/beneficiaries", headers=nobody)).status_code == 403
    assert (await client.post("/beneficiaries", json=body, headers=operator(tokens))).status_code == 201
    again = await client.post("/beneficiaries", json=body, headers=operator(tokens))
    assert again.status_code == 409
    assert again.headers["content-type"].startswith("application/problem+json")
    bad = beneficiary(entitlements=[{"category_code": "999", "valid_from": "2025-01-01"}])
    refused = await client.post("/beneficiaries", json=bad, headers=operator(tokens))
    assert refused.status_code == 422 and "999" in refused.json()["detail"]

    card = await client.get(f"/beneficiaries/{person}", headers=doctor)
    assert card.status_code == 200
    assert card.json()["entitlements"][0]["category_code"] == "vzn-06"
    assert (await client.get(f"/beneficiaries/{uuid.uuid4()}", headers=doctor)).status_code == 404

    listed = await client.get(
        "/beneficiaries",
        params={"funding_source": "federal", "active_on": "2026-01-01", "other_region": "true", "q": "Зык"},
        headers=doctor,
    )
    assert listed.status_code == 200, listed.text
    page = listed.json()
    assert [i["person_id"] for i in page["items"]] == [str(person)]
    assert page["items"][0]["categories_on"] == ["vzn-06"]
    regional = await client.get(
        "/beneficiaries", params={"funding_source": "regional", "q": "Зык"}, headers=doctor
    )
    assert regional.json()["total"] == 0
    assert (await client.get("/beneficiaries", params={"sort": "nope"}, headers=doctor)).status_code == 422
    reads = await session.scalar(
        select(func.count())
        .select_from(AuditRecord)
        .where(AuditRecord.person_id == person, AuditRecord.actor == "doctor")
    )
    assert reads == 2  # the card and the list

    categories = (await client.get("/benefit-categories", headers=doctor)).json()
    assert {"010", "vzn-14", "r-asthma"} <= {c["code"] for c in categories}
