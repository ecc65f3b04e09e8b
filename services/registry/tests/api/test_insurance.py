"""Insurance affiliation on a date: periods, a change of insurer, the event, insurer scope."""

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession
from tests.person_support import add_org, operator, person_body, seed_document_types

from oms_kit.testing.tokens import TokenFactory


@pytest.fixture(autouse=True)
async def document_types(session: AsyncSession) -> None:
    await seed_document_types(session)


async def test_insurance_on_a_date_follows_the_periods(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    region = operator(tokens)
    first, second = await add_org(session, "insurer", "СМО-1"), await add_org(session, "insurer", "СМО-2")
    person = (await client.post("/persons", json=person_body(), headers=region)).json()
    pid = person["id"]

    def policy(insurer: object, start: str, **extra: object) -> dict:
        return {
            "insurer_id": str(insurer),
            "policy_type": "3",
            "policy_number": person["enp"],
            "valid_from": start,
            **extra,
        }

    assert (
        await client.post(f"/persons/{pid}/insurance", json=policy(first, "2015-01-01"), headers=region)
    ).status_code == 200
    changed = await client.post(
        f"/persons/{pid}/insurance", json=policy(second, "2021-07-01"), headers=region
    )
    assert changed.status_code == 200 and changed.json()["insurance"]["insurer_id"] == str(second)

    def on(day: str) -> dict:
        return {"on": day}

    early = (await client.get(f"/persons/{pid}/insurance", params=on("2010-01-01"), headers=region)).json()
    mid = (await client.get(f"/persons/{pid}/insurance", params=on("2019-05-05"), headers=region)).json()
    late = (await client.get(f"/persons/{pid}/insurance", params=on("2022-01-01"), headers=region)).json()
    assert early["insurance"] is None
    assert mid["insurance"]["insurer_id"] == str(first) and mid["insurance"]["valid_to"] == "2021-06-30"
    assert late["insurance"]["insurer_id"] == str(second)

    overlap = await client.post(
        f"/persons/{pid}/insurance", json=policy(first, "2016-01-01", valid_to="2016-12-31"), headers=region
    )
    assert overlap.status_code == 422
    not_insurer = await client.post(
        f"/persons/{pid}/insurance", json=policy(await add_org(session, "mo"), "2023-01-01"), headers=region
    )
    assert not_insurer.status_code == 422 and not_insurer.json()["errors"][0]["field"] == "body.insurer_id"

    events = (
        (
            await session.execute(
                text(
                    "SELECT envelope->'data'->>'insurer_id' FROM outbox_event "
                    "WHERE type = 'registry.insurance.changed' AND envelope->>'subject' = :p "
                    "ORDER BY created_at"
                ),
                {"p": pid},
            )
        )
        .scalars()
        .all()
    )
    assert events == [str(first), str(second)]

    # The insurer's users see the persons it insures now, not the ones it insured before.
    current = tokens.auth(
        roles=["registry_operator"], perms=["registry.person:read"], org_id=second, org_type="insurer"
    )
    former = tokens.auth(
        roles=["registry_operator"], perms=["registry.person:read"], org_id=first, org_type="insurer"
    )
    assert (await client.get(f"/persons/{pid}/insurance", headers=current)).status_code == 200
    assert (await client.get(f"/persons/{pid}/insurance", headers=former)).status_code == 404
