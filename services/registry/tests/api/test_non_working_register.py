"""``GET /persons/non-working``: the register of non-working insured persons on a date for the
verification — the status on the date, insured and alive, keyset pages, region-wide only,
every person returned audited, bad parameters a 422 naming them."""

from __future__ import annotations

import uuid
from typing import Any

import httpx
import pytest
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession
from tests.api.non_working_support import DISTRICT_OKTMO, seed_organizations, write_persons
from tests.api.person_import_support import person_row

from oms_kit.audit import AuditRecord
from oms_kit.testing.tokens import TokenFactory

READ = ["registry.person:read"]
NON_WORKING = {"employment_status": "non_working", "employment_from": "2011-01-01"}


def exchange(tokens: TokenFactory) -> dict[str, str]:
    """The TFOMS exchange system (an API key's role, region-wide)."""
    return tokens.auth(roles=["tfoms_exchange"], perms=READ, org_type="tfoms")


async def everything(client: httpx.AsyncClient, auth: dict[str, str], on: str, limit: int) -> list[list[Any]]:
    """Every page from the start, following ``next_after``."""
    pages: list[list[Any]] = []
    after = ""
    while True:
        r = await client.get(f"/persons/non-working?on={on}&limit={limit}{after}", headers=auth)
        assert r.status_code == 200, r.text
        body = r.json()
        assert set(body) == {"items", "next_after"}
        pages.append(body["items"])
        if body["next_after"] is None:
            assert len(body["items"]) < limit
            return pages
        assert len(body["items"]) == limit and body["next_after"] == body["items"][-1]["person_id"]
        after = f"&after={body['next_after']}"


async def test_the_register_holds_the_non_working_insured_living_on_the_date(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    await seed_organizations(session)
    rows = {
        "non_working": person_row(surname="Неработающая", **NON_WORKING),
        "working": person_row(surname="Работающая"),
        "was_non_working": person_row(surname="Бывшая", **NON_WORKING, employment_to="2019-12-31"),
        "non_working_since_2023": person_row(
            surname="Недавняя", employment_status="non_working", employment_from="2023-01-01"
        ),
        "dead": person_row(surname="Умершая", **NON_WORKING, death_date="2024-02-29"),
        "uninsured": person_row(
            surname="Незастрахованная",
            **NON_WORKING,
            insurer="",
            policy_type="",
            policy_number="",
            insurance_from="",
        ),
        "insured_since_2024": person_row(surname="Позднее", **NON_WORKING, insurance_from="2024-06-01"),
    }
    ids = dict(zip(rows, await write_persons(session, list(rows.values())), strict=True))
    auth = exchange(tokens)

    async def on(day: str) -> dict[str, dict[str, Any]]:
        items = [i for page in await everything(client, auth, day, 5000) for i in page]
        mine = {str(v): k for k, v in ids.items()}
        return {mine[i["person_id"]]: i for i in items if i["person_id"] in mine}

    assert set(await on("2025-01-01")) == {"non_working", "non_working_since_2023", "insured_since_2024"}
    assert set(await on("2022-06-01")) == {"non_working", "dead"}
    assert set(await on("2024-02-28")) == {"non_working", "non_working_since_2023", "dead"}
    # the day of death is still in (insured to the end of it), the day after is not
    assert "dead" in await on("2024-02-29") and "dead" not in await on("2024-03-01")
    assert set(await on("2015-01-01")) == {"non_working", "was_non_working", "dead"}

    item = (await on("2025-01-01"))["non_working"]
    row = rows["non_working"]
    assert item == {
        "person_id": str(ids["non_working"]),
        "surname": "Неработающая",
        "first_name": row["first_name"],
        "patronymic": row["patronymic"],
        "birth_date": row["birth_date"],
        "sex": "female",
        "snils": row["snils"],
        "enp": row["enp"],
        "doc_type": "14",
        "doc_series": row["document_series"],
        "doc_number": row["document_number"],
        "address": row["registration_address"],
        "district": DISTRICT_OKTMO,  # no OKATO on the address: the attachment MO's territory
    }


async def test_pages_follow_the_person_id_and_every_person_returned_is_audited(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    await seed_organizations(session)
    ids = await write_persons(session, [person_row(**NON_WORKING) for _ in range(5)])
    auth = exchange(tokens)
    pages = await everything(client, auth, "2025-01-01", 2)
    returned = [i["person_id"] for page in pages for i in page]
    assert returned == sorted(returned, key=uuid.UUID) and len(set(returned)) == len(returned)
    assert {str(i) for i in ids} <= set(returned)
    assert len(pages) >= 3

    after = sorted(ids)[2]
    r = await client.get(f"/persons/non-working?on=2025-01-01&after={after}&limit=10000", headers=auth)
    rest = [uuid.UUID(i["person_id"]) for i in r.json()["items"]]
    assert all(p > after for p in rest) and set(sorted(ids)[3:]) <= set(rest)

    audited = await session.scalar(
        select(func.count()).where(
            AuditRecord.resource == "person.non_working",
            AuditRecord.reason == "verification.register",
            AuditRecord.person_id.in_(ids),
        )
    )
    # every page read audits its persons: the full walk once each, the tail read once more
    assert audited == len(ids) + len(ids) - 3


async def test_only_a_region_wide_principal_gets_the_register(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    await seed_organizations(session)
    await write_persons(session, [person_row(**NON_WORKING)])
    before = await session.scalar(select(func.count()).select_from(AuditRecord))
    for roles, org_type in ((["registry_operator"], "tfoms"), (["doctor"], "mo"), (["mis"], "mo")):
        auth = tokens.auth(roles=roles, perms=READ, org_type=org_type)
        r = await client.get("/persons/non-working?on=2025-01-01", headers=auth)
        assert r.status_code == 403, (roles, r.text)
        assert r.headers["content-type"] == "application/problem+json"
    no_permission = tokens.auth(roles=["tfoms_analyst"], perms=[])
    assert (await client.get("/persons/non-working?on=2025-01-01", headers=no_permission)).status_code == 403
    assert await session.scalar(select(func.count()).select_from(AuditRecord)) == before
    analyst = tokens.auth(roles=["tfoms_analyst"], perms=READ)
    assert (await client.get("/persons/non-working?on=2025-01-01", headers=analyst)).status_code == 200


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("on=2025-13-01", "query.on"),
        ("", "query.on"),
        ("on=2025-01-01&after=not-a-uuid", "query.after"),
        ("on=2025-01-01&limit=0", "query.limit"),
        ("on=2025-01-01&limit=10001", "query.limit"),
    ],
)
async def test_bad_parameters_are_a_422_naming_them(
    client: httpx.AsyncClient, tokens: TokenFactory, query: str, field: str
) -> None:
    r = await client.get(f"/persons/non-working?{query}", headers=exchange(tokens))
    assert r.status_code == 422, r.text
    assert r.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in r.json()["errors"]] == [field]
