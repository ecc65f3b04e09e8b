"""Merge and unmerge on real PostgreSQL: the survivor gains the duplicate's records, the merged
ОИП and id resolve to the survivor, the queue pair is resolved, audit rows and outbox events
are written; unmerge restores both full histories exactly; who may merge."""

import uuid

import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from tests.person_support import PASSPORT, add_org, operator, person_body, seed_document_types

from oms_kit.audit import AuditRecord
from oms_kit.testing.tokens import TokenFactory
from registry.models import DuplicateCandidate


@pytest.fixture(autouse=True)
async def document_types(session: AsyncSession) -> None:
    await seed_document_types(session)


async def register(client: httpx.AsyncClient, auth: dict[str, str], **overrides: object) -> dict:
    response = await client.post("/persons", json=person_body(**overrides), headers=auth)
    assert response.status_code == 201, response.text
    return response.json()


async def history(client: httpx.AsyncClient, auth: dict[str, str], person_id: str) -> dict:
    response = await client.get(f"/persons/{person_id}/history", headers=auth)
    assert response.status_code == 200, response.text
    return response.json()


async def outbox(session: AsyncSession, event_type: str) -> list[dict]:
    rows = await session.execute(
        text("SELECT envelope FROM outbox_event WHERE type = :t ORDER BY created_at"), {"t": event_type}
    )
    return [r[0] for r in rows]


async def pair(client: httpx.AsyncClient, auth: dict[str, str]) -> tuple[dict, dict]:
    """A survivor with SNILS, ENP and a passport; a duplicate registered later (confirmed) with
    a typo in the surname, an older passport, a birth certificate and a residence address."""
    survivor = await register(
        client,
        auth,
        documents=[{"type": PASSPORT, "series": "28 10", "number": "700001", "issue_date": "2010-04-01"}],
    )
    duplicate = await register(
        client,
        auth,
        surname="Иванва",
        snils=None,
        enp=None,
        confirm_new=True,
        documents=[
            {"type": PASSPORT, "series": "28 04", "number": "500001", "issue_date": "2004-04-01"},
            {"type": "03", "series": "I-ОН", "number": "123456", "issue_date": "1990-04-01"},
        ],
        addresses=[{"kind": "residence", "text": "г. Тверь, ул. Лесная, д. 5", "valid_from": "2019-02-01"}],
    )
    return survivor, duplicate


async def test_merge_then_unmerge_restores_both_exactly(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    auth = operator(tokens)
    survivor, duplicate = await pair(client, auth)
    before = (await history(client, auth, survivor["id"]), await history(client, auth, duplicate["id"]))

    merged = await client.post(
        f"/persons/{survivor['id']}/merge",
        json={"merged_id": duplicate["id"], "reason": "Дубликат"},
        headers=auth,
    )
    assert merged.status_code == 200, merged.text
    record = merged.json()
    assert record["survivor_oip"] == survivor["oip"] and record["merged_oip"] == duplicate["oip"]
    assert record["facts_moved"] == 3  # older passport (until 2010), birth certificate, residence

    now = (await client.get(f"/persons/{survivor['id']}", headers=auth)).json()
    assert now["name"]["surname"] == "Иванова" and now["snils"] == survivor["snils"]
    numbers = sorted(
        d["number"]
        for d in (await client.get(f"/persons/{survivor['id']}?on=2005-01-01", headers=auth)).json()[
            "documents"
        ]
    )
    assert numbers == ["123456", "500001"]
    assert {a["kind"] for a in now["addresses"]} == {"registration", "residence"}
    # the duplicate's id and ОИП resolve to the survivor; its documents find the survivor
    via_id = (await client.get(f"/persons/{duplicate['id']}", headers=auth)).json()
    assert via_id["id"] == survivor["id"] and via_id["requested_id"] == duplicate["id"]
    via_oip = (await client.get(f"/persons/by-oip/{duplicate['oip']}", headers=auth)).json()
    assert via_oip["id"] == survivor["id"] and via_oip["merged_into"] == survivor["id"]
    found = (
        await client.get(
            "/persons",
            params={"document_type": "03", "document_series": "I-ОН", "document_number": "123456"},
            headers=auth,
        )
    ).json()
    assert [p["id"] for p in found["items"]] == [survivor["id"]]
    # the queue pair from the confirmed registration is resolved
    row = await session.scalar(
        select(DuplicateCandidate).where(
            DuplicateCandidate.person_a.in_([uuid.UUID(survivor["id"]), uuid.UUID(duplicate["id"])])
        )
    )
    assert row is not None and row.status == "merged"
    [event] = await outbox(session, "registry.person.merged")
    assert event["data"]["survivor_id"] == survivor["id"] and event["data"]["merged_oip"] == duplicate["oip"]
    merges = await session.scalar(select(func.count()).where(AuditRecord.action == "merge"))
    assert merges == 2
    # the duplicate's spelling is now a former surname of the survivor for the matcher
    rematch = await client.post(
        "/persons/$match",
        json={"surname": "Иванва", "first_name": "Алёна", "birth_date": "1990-03-15"},
        headers=auth,
    )
    [candidate] = rematch.json()["candidates"]
    assert candidate["person_id"] == survivor["id"]
    assert {r["field"]: r["level"] for r in candidate["reasons"]}["surname"] == "former"
    listed = (await client.get(f"/persons/{duplicate['id']}/merges", headers=auth)).json()
    assert [m["id"] for m in listed] == [record["id"]]
    unknown = await client.get(f"/persons/{uuid.uuid4()}/merges", headers=auth)
    assert unknown.status_code == 404 and unknown.headers["content-type"] == "application/problem+json"

    again = await client.post(
        f"/persons/{survivor['id']}/merge",
        json={"merged_id": duplicate["id"], "reason": "Ещё раз"},
        headers=auth,
    )
    assert again.status_code == 409

    undone = await client.post(f"/persons/{duplicate['id']}/unmerge", json={"reason": "Ошибка"}, headers=auth)
    assert undone.status_code == 200, undone.text
    assert undone.json()["unmerged_at"] is not None
    after = (await history(client, auth, survivor["id"]), await history(client, auth, duplicate["id"]))
    assert after == before
    assert (await client.get(f"/persons/{duplicate['id']}", headers=auth)).json()["id"] == duplicate["id"]
    found = (
        await client.get(
            "/persons",
            params={"document_type": "03", "document_series": "I-ОН", "document_number": "123456"},
            headers=auth,
        )
    ).json()
    assert [p["id"] for p in found["items"]] == [duplicate["id"]]
    await session.refresh(row)
    assert row.status == "open" and row.resolved_at is None
    [event] = await outbox(session, "registry.person.unmerged")
    assert event["data"]["merged_id"] == duplicate["id"]
    assert await session.scalar(select(func.count()).where(AuditRecord.action == "unmerge")) == 2
    assert (
        await client.post(f"/persons/{duplicate['id']}/unmerge", json={"reason": "Ещё"}, headers=auth)
    ).status_code == 409


async def test_a_later_married_name_of_the_duplicate_becomes_current(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    auth = operator(tokens)
    survivor = await register(client, auth, snils=None, enp=None, documents=[])
    duplicate = await register(
        client, auth, surname="Петрова", snils=None, enp=None, documents=[], confirm_new=True
    )
    # the duplicate's record knows the marriage: Иванова until 2015, Петрова from then
    await client.post(
        f"/persons/{duplicate['id']}/names",
        json={
            "surname": "Иванова",
            "first_name": "Алёна",
            "patronymic": "Петровна",
            "corrects": duplicate["name"]["fact_id"],
        },
        headers=auth,
    )
    married = await client.post(
        f"/persons/{duplicate['id']}/names",
        json={
            "surname": "Петрова",
            "first_name": "Алёна",
            "patronymic": "Петровна",
            "valid_from": "2015-06-20",
            "reason": "брак",
        },
        headers=auth,
    )
    assert married.status_code == 200, married.text
    merged = await client.post(
        f"/persons/{survivor['id']}/merge",
        json={"merged_id": duplicate["id"], "reason": "Дубликат"},
        headers=auth,
    )
    assert merged.status_code == 200, merged.text
    now = (await client.get(f"/persons/{survivor['id']}", headers=auth)).json()
    assert now["name"]["surname"] == "Петрова" and now["name"]["valid_from"] == "2015-06-20"
    maiden = (await client.get(f"/persons/{survivor['id']}?on=2010-01-01", headers=auth)).json()
    assert maiden["name"]["surname"] == "Иванова"
    hits = (
        await client.get(
            "/persons",
            params={"surname": "Петрова", "first_name": "Алёна", "birth_date": "1990-03-15"},
            headers=auth,
        )
    ).json()
    assert [p["id"] for p in hits["items"]] == [survivor["id"]]  # search shows the survivor only


async def test_unmerge_is_refused_once_the_survivor_changed(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    auth = operator(tokens)
    survivor, duplicate = await pair(client, auth)
    await client.post(
        f"/persons/{survivor['id']}/merge",
        json={"merged_id": duplicate["id"], "reason": "Дубликат"},
        headers=auth,
    )
    changed = await client.post(
        f"/persons/{survivor['id']}/contacts",
        json={"kind": "phone", "value": "+79001234567", "valid_from": "2024-01-01"},
        headers=auth,
    )
    assert changed.status_code == 200, changed.text
    refused = await client.post(
        f"/persons/{duplicate['id']}/unmerge", json={"reason": "Ошибка"}, headers=auth
    )
    assert refused.status_code == 409 and "изменялись" in refused.json()["detail"]


async def test_merge_input_and_who_may_merge(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    auth = operator(tokens)
    survivor, duplicate = await pair(client, auth)
    body = {"merged_id": duplicate["id"], "reason": "Дубликат"}
    itself = await client.post(
        f"/persons/{survivor['id']}/merge", json={**body, "merged_id": survivor["id"]}, headers=auth
    )
    assert itself.status_code == 422 and "merged_id" in str(itself.json()["errors"])
    unknown = await client.post(f"/persons/{uuid.uuid4()}/merge", json=body, headers=auth)
    assert unknown.status_code == 404
    mo_operator = operator(tokens, await add_org(session, "mo"), "mo")
    assert (
        await client.post(f"/persons/{survivor['id']}/merge", json=body, headers=mo_operator)
    ).status_code == 403
    doctor = tokens.auth(roles=["doctor"], perms=["registry.person:read"], org_type="mo")
    assert (
        await client.post(f"/persons/{survivor['id']}/merge", json=body, headers=doctor)
    ).status_code == 403
    exchange = tokens.auth(
        roles=["tfoms_exchange"], perms=["registry.person:read", "registry.person:write"], org_type="tfoms"
    )
    assert (
        await client.post(f"/persons/{survivor['id']}/merge", json=body, headers=exchange)
    ).status_code == 200
