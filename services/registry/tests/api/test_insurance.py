"""Insurance affiliation on a date: periods, a change of insurer, the event, insurer scope;
policy types checked against F008; the affiliation on a date by ENP."""

import httpx
import pytest
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from tests.person_support import (
    add_org,
    new_enp,
    operator,
    person_body,
    seed_document_types,
    seed_policy_types,
)

from oms_kit.audit import AuditRecord
from oms_kit.testing.tokens import TokenFactory
from registry.models import PersonFact


@pytest.fixture(autouse=True)
async def document_types(session: AsyncSession) -> None:
    await seed_document_types(session)
    await seed_policy_types(session)


def policy(insurer: object, number: str, start: str, **extra: object) -> dict:
    return {
        "insurer_id": str(insurer),
        "policy_type": "3",
        "policy_number": number,
        "valid_from": start,
        **extra,
    }


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


@pytest.mark.parametrize(
    ("policy_type", "accepted"),
    [
        ("1", True),
        ("2", True),
        ("3", True),
        ("4", True),
        ("5", True),
        ("0", False),
        ("6", False),
        ("П", False),
    ],
)
async def test_policy_types_are_the_codes_of_f008(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory, policy_type: str, accepted: bool
) -> None:
    region = operator(tokens)
    insurer = await add_org(session, "insurer")
    person = (await client.post("/persons", json=person_body(), headers=region)).json()
    before = await session.scalar(select(func.count()).select_from(PersonFact))
    response = await client.post(
        f"/persons/{person['id']}/insurance",
        json=policy(insurer, person["enp"], "2020-01-01", policy_type=policy_type),
        headers=region,
    )
    if accepted:
        assert response.status_code == 200, response.text
        assert response.json()["insurance"]["policy_type"] == policy_type
        return
    assert response.status_code == 422, response.text  # nothing written, the field named
    body = response.json()
    assert body["type"] == "urn:oms:problem:nsi-unknown-code"
    assert body["errors"][0]["field"] == "body.policy_type" and "F008" in body["detail"]
    assert await session.scalar(select(func.count()).select_from(PersonFact)) == before


async def test_insurance_by_enp_on_a_date_is_scoped_and_audited(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    region = operator(tokens)
    first, second = await add_org(session, "insurer", "СМО-1"), await add_org(session, "insurer", "СМО-2")
    person = (await client.post("/persons", json=person_body(surname="Егорова"), headers=region)).json()
    pid, enp = person["id"], person["enp"]
    await client.post(f"/persons/{pid}/insurance", json=policy(first, enp, "2015-01-01"), headers=region)
    await client.post(f"/persons/{pid}/insurance", json=policy(second, enp, "2021-07-01"), headers=region)
    reads_before = await session.scalar(
        select(func.count()).where(AuditRecord.person_id == pid, AuditRecord.action == "read")
    )

    async def by_enp(auth: dict[str, str], **params: str) -> httpx.Response:
        return await client.get("/insurance", params=params, headers=auth)

    then = await by_enp(region, enp=enp, on="2019-05-05")
    assert then.status_code == 200, then.text
    assert then.json()["person_id"] == pid and then.json()["enp"] == enp and then.json()["on"] == "2019-05-05"
    assert then.json()["insurance"]["insurer_id"] == str(first)
    assert then.json()["insurance"]["valid_to"] == "2021-06-30"
    now = (await by_enp(region, enp=enp)).json()
    assert now["insurance"]["insurer_id"] == str(second) and now["insurance"]["valid_to"] is None
    before_any = (await by_enp(region, enp=enp, on="2014-12-31")).json()
    assert before_any["person_id"] == pid and before_any["insurance"] is None
    reads_after = await session.scalar(
        select(func.count()).where(AuditRecord.person_id == pid, AuditRecord.action == "read")
    )
    assert reads_after == reads_before + 3

    unknown = await by_enp(region, enp=new_enp())
    assert unknown.status_code == 404
    bad = await by_enp(region, enp=enp[:-1] + str((int(enp[-1]) + 1) % 10))
    assert bad.status_code == 422 and bad.json()["errors"][0]["field"] == "query.enp"
    assert (await by_enp(region)).status_code == 422

    # The insurer sees the persons it insures today, whatever the date asked about.
    current = tokens.auth(
        roles=["registry_operator"], perms=["registry.person:read"], org_id=second, org_type="insurer"
    )
    former = tokens.auth(
        roles=["registry_operator"], perms=["registry.person:read"], org_id=first, org_type="insurer"
    )
    assert (await by_enp(current, enp=enp, on="2019-05-05")).status_code == 200
    assert (await by_enp(former, enp=enp, on="2019-05-05")).status_code == 404
    assert (await by_enp(tokens.auth(roles=["registry_operator"], perms=[]), enp=enp)).status_code == 403
