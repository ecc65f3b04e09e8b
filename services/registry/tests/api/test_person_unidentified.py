"""НИЛ: an MO registers an unidentified patient, finds the record, links it once identified."""

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession
from tests.person_support import add_org, operator, person_body, seed_document_types

from oms_kit.testing.tokens import TokenFactory


@pytest.fixture(autouse=True)
async def document_types(session: AsyncSession) -> None:
    await seed_document_types(session)


async def test_register_search_and_link_an_unidentified_person(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    hospital, other = await add_org(session, "mo", "Больница"), await add_org(session, "mo", "Другая")
    clerk = operator(tokens, org_id=hospital, org_type="mo")
    body = {
        "sheet_number": "НИЛ-2024-0001",
        "mo_id": str(hospital),
        "admitted_on": "2024-03-02",
        "sex": "male",
        "estimated_birth_year": 1960,
        "description": "доставлен бригадой СМП без документов",
    }
    created = await client.post("/unidentified-persons", json=body, headers=clerk)
    assert created.status_code == 201, created.text
    record = created.json()
    assert (await client.post("/unidentified-persons", json=body, headers=clerk)).status_code == 409
    elsewhere = await client.post(
        "/unidentified-persons", json={**body, "sheet_number": "X-1", "mo_id": str(other)}, headers=clerk
    )
    assert elsewhere.status_code == 403

    found = (
        await client.get("/unidentified-persons", params={"sheet_number": "НИЛ-2024-0001"}, headers=clerk)
    ).json()
    assert [r["id"] for r in found["items"]] == [record["id"]]
    outsider = operator(tokens, org_id=other, org_type="mo")
    assert (await client.get(f"/unidentified-persons/{record['id']}", headers=outsider)).status_code == 404

    person = (
        await client.post(
            "/persons", json=person_body(sex="male", first_name="Пётр"), headers=operator(tokens)
        )
    ).json()
    linked = await client.post(
        f"/unidentified-persons/{record['id']}/link", json={"person_id": person["id"]}, headers=clerk
    )
    assert linked.status_code == 200 and linked.json()["person_id"] == person["id"]
    by_oip = (await client.get("/unidentified-persons", params={"oip": person["oip"]}, headers=clerk)).json()
    assert [r["id"] for r in by_oip["items"]] == [record["id"]]
    unlinked = (await client.get("/unidentified-persons", params={"linked": "false"}, headers=clerk)).json()
    assert unlinked["total"] == 0
    another = (await client.post("/persons", json=person_body(), headers=operator(tokens))).json()
    relink = await client.post(
        f"/unidentified-persons/{record['id']}/link", json={"person_id": another["id"]}, headers=clerk
    )
    assert relink.status_code == 409


async def test_linking_publishes_the_linked_event_once(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    hospital = await add_org(session, "mo", "Больница")
    clerk = operator(tokens, org_id=hospital, org_type="mo")
    body = {"sheet_number": "НИЛ-2024-0777", "mo_id": str(hospital), "admitted_on": "2024-04-05"}
    record = (await client.post("/unidentified-persons", json=body, headers=clerk)).json()
    person = (
        await client.post(
            "/persons", json=person_body(surname="Зайцева", birth_date="1961-07-08"), headers=operator(tokens)
        )
    ).json()

    async def linked_events() -> list[dict]:
        rows = await session.execute(
            text(
                "SELECT envelope FROM outbox_event WHERE type = 'registry.unidentified.linked' "
                "ORDER BY created_at"
            )
        )
        return [r[0] for r in rows]

    assert await linked_events() == []
    for _ in range(2):  # the second request finds it linked already: nothing new to publish
        linked = await client.post(
            f"/unidentified-persons/{record['id']}/link", json={"person_id": person["id"]}, headers=clerk
        )
        assert linked.status_code == 200, linked.text
    (event,) = await linked_events()
    assert event["source"] == "registry" and event["subject"] == person["id"]
    assert event["data"] == {
        "unidentified_id": record["id"],
        "mo_id": str(hospital),
        "admitted_on": "2024-04-05",
        "person_id": person["id"],
        "oip": person["oip"],
    }
    assert "НИЛ-2024-0777" not in str(event)  # ids and dates, not the registration sheet
