"""The organizations named in a person's records, by name, for whoever may see the person —
also when the directory shows them only their own organization."""

import uuid

import httpx
import pytest
from sqlalchemy.ext.asyncio import AsyncSession
from tests.person_support import PERSON_RW, add_org, operator, person_body, seed_document_types

from oms_kit.testing.tokens import TokenFactory


@pytest.fixture(autouse=True)
async def document_types(session: AsyncSession) -> None:
    await seed_document_types(session)


async def attach(
    client: httpx.AsyncClient, auth: dict[str, str], person_id: str, mo: uuid.UUID, start: str
) -> None:
    response = await client.post(
        "/attachments",
        json={"person_id": person_id, "mo_id": str(mo), "attached_from": start, "method": "application"},
        headers=auth,
    )
    assert response.status_code == 201, response.text


async def test_the_current_and_past_mos_of_a_person_by_name(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    region = operator(tokens)
    old_mo = await add_org(session, "mo", "ГБУЗ «Прежняя поликлиника»")
    new_mo = await add_org(session, "mo", "ГБУЗ «Новая поликлиника»")
    await add_org(session, "mo", "ГБУЗ «Не упомянутая больница»")
    person = (await client.post("/persons", json=person_body(), headers=region)).json()
    await attach(client, region, person["id"], old_mo, "2020-01-01")
    await attach(client, region, person["id"], new_mo, "2024-03-01")

    # An operator of the MO the person is attached to now: the directory shows only that MO…
    ours = tokens.auth(
        roles=["registry_operator"],
        perms=[*PERSON_RW, "registry.organization:read"],
        org_id=new_mo,
        org_type="mo",
    )
    directory = await client.get(f"/organizations/{old_mo}", headers=ours)
    assert directory.status_code == 404
    # …while the person's organizations name both, the past one included.
    named = await client.get(f"/persons/{person['id']}/organizations", headers=ours)
    assert named.status_code == 200, named.text
    assert [(o["id"], o["name"], o["kind"]) for o in named.json()] == [
        (str(new_mo), "ГБУЗ «Новая поликлиника»", "mo"),
        (str(old_mo), "ГБУЗ «Прежняя поликлиника»", "mo"),
    ]


async def test_a_person_one_may_not_see_is_not_found(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    region = operator(tokens)
    mo, other = await add_org(session, "mo"), await add_org(session, "mo")
    person = (await client.post("/persons", json=person_body(), headers=region)).json()
    await attach(client, region, person["id"], mo, "2022-01-01")
    stranger = operator(tokens, org_id=other, org_type="mo")
    hidden = await client.get(f"/persons/{person['id']}/organizations", headers=stranger)
    assert hidden.status_code == 404
    missing = await client.get(f"/persons/{uuid.uuid4()}/organizations", headers=region)
    assert missing.status_code == 404
    unattached = (await client.post("/persons", json=person_body(), headers=region)).json()
    none = await client.get(f"/persons/{unattached['id']}/organizations", headers=region)
    assert none.status_code == 200 and none.json() == []
