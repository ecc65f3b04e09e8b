"""The review queue: listing (persons audited), rejecting, permissions; the scan job end to end
in a database of its own (the job commits block by block, as in production)."""

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select, text
from sqlalchemy.ext.asyncio import AsyncSession
from tests.person_support import add_org, operator, person_body, seed_document_types

from oms_kit.audit import AuditRecord
from oms_kit.db import Database
from oms_kit.events.inprocess import InProcessBus
from oms_kit.testing.tokens import TokenFactory
from registry.config import Settings
from registry.main import create_app


async def register(client: httpx.AsyncClient, auth: dict[str, str], **overrides: object) -> dict:
    response = await client.post("/persons", json=person_body(**overrides), headers=auth)
    assert response.status_code == 201, response.text
    return response.json()


async def test_list_and_reject_a_pair(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    await seed_document_types(session)
    auth = operator(tokens)
    first = await register(client, auth, snils=None, enp=None, documents=[])
    second = await register(
        client, auth, first_name="Алена", snils=None, enp=None, documents=[], confirm_new=True
    )

    page = (await client.get("/duplicates", params={"status": "open"}, headers=auth)).json()
    [item] = page["items"]
    assert page["total"] == 1 and item["source"] == "registration" and item["grade"] == "probable"
    assert {item["person_a"]["id"], item["person_b"]["id"]} == {first["id"], second["id"]}
    assert any(r["field"] == "birth_date" and r["level"] == "exact" for r in item["reasons"])
    audited = await session.scalar(
        select(func.count()).where(AuditRecord.resource == "person.duplicates", AuditRecord.action == "read")
    )
    assert audited == 2

    rejected = await client.post(
        f"/duplicates/{item['id']}/reject", json={"reason": "Разные люди: близнецы"}, headers=auth
    )
    assert rejected.status_code == 200, rejected.text
    assert (
        rejected.json()["status"] == "rejected" and rejected.json()["resolution"] == "Разные люди: близнецы"
    )
    assert (await client.get("/duplicates", params={"status": "open"}, headers=auth)).json()["total"] == 0
    assert (await client.get("/duplicates", params={"status": "rejected"}, headers=auth)).json()["total"] == 1
    again = await client.post(f"/duplicates/{item['id']}/reject", json={"reason": "Ещё раз"}, headers=auth)
    assert again.status_code == 409
    missing = await client.post(
        f"/duplicates/{uuid.uuid4()}/reject", json={"reason": "Нет такой"}, headers=auth
    )
    assert missing.status_code == 404


async def test_only_register_keepers_work_the_queue(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory
) -> None:
    mo_operator = operator(tokens, await add_org(session, "mo"), "mo")
    assert (await client.get("/duplicates", headers=mo_operator)).status_code == 403
    assert (await client.post("/duplicates/scans", json={}, headers=mo_operator)).status_code == 403
    reader = tokens.auth(roles=["tfoms_analyst"], perms=["registry.person:read"], org_type="tfoms")
    assert (await client.get("/duplicates", headers=reader)).status_code == 200
    assert (await client.post("/duplicates/scans", json={}, headers=reader)).status_code == 403
    bad = await client.get("/duplicates", params={"status": "maybe"}, headers=reader)
    assert bad.status_code == 422


@pytest.fixture
async def committing(
    service_dir: Path, fresh_database: Callable[[Path], Awaitable[str]], tokens: TokenFactory
) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    url = await fresh_database(service_dir)
    settings = Settings(OMS_REGISTRY_DATABASE_URL=url, env="test")  # type: ignore[call-arg]
    app: FastAPI = create_app(settings, bus=InProcessBus(), jwks=tokens.jwks_source())
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://registry") as client:
            yield client, url


async def finished(client: httpx.AsyncClient, auth: dict[str, str], job_id: str) -> dict[str, Any]:
    for _ in range(300):
        job: dict[str, Any] = (await client.get(f"/jobs/{job_id}", headers=auth)).json()
        if job["status"] in ("succeeded", "failed", "cancelled"):
            return job
        await asyncio.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish")


async def test_the_scan_job_queues_the_duplicates_of_the_register(
    committing: tuple[httpx.AsyncClient, str], tokens: TokenFactory
) -> None:
    client, url = committing
    database = Database(url)
    async with database.sessions() as session, session.begin():
        await seed_document_types(session)
    auth = operator(tokens)
    none: dict[str, Any] = {"snils": None, "enp": None, "documents": [], "confirm_new": True}
    original = await register(
        client,
        auth,
        surname="Кузнецова",
        first_name="Дарья",
        patronymic="Олеговна",
        birth_date="1984-02-07",
        **none,
    )
    swapped = await register(
        client,
        auth,
        surname="Кузнецова",
        first_name="Дарья",
        patronymic="Олеговна",
        birth_date="1984-07-02",
        **none,
    )
    typo = await register(
        client,
        auth,
        surname="Кузнецва",
        first_name="Дарья",
        patronymic="Олеговна",
        birth_date="1984-02-07",
        **none,
    )
    digit = await register(
        client,
        auth,
        surname="Кузнецова",
        first_name="Дарья",
        patronymic="Олеговна",
        birth_date="1984-02-08",
        **none,
    )
    latin = await register(
        client,
        auth,
        surname="Morozov",
        first_name="Ilya",
        patronymic="Petrovich",
        sex="male",
        birth_date="1975-05-20",
        **none,
    )
    cyrillic = await register(
        client,
        auth,
        surname="Морозов",
        first_name="Илья",
        patronymic="Петрович",
        sex="male",
        birth_date="1975-05-20",
        **none,
    )
    stranger = await register(
        client,
        auth,
        surname="Белова",
        first_name="Нина",
        patronymic="Сергеевна",
        birth_date="1984-02-07",
        **none,
    )

    # Registration queued the probable pairs it was told to accept: forget them, the scan must
    # find every pair by itself.
    async with database.sessions() as session, session.begin():
        await session.execute(text("DELETE FROM duplicate_candidate"))
    await database.dispose()

    started = await client.post("/duplicates/scans", json={"min_grade": "possible"}, headers=auth)
    assert started.status_code == 202, started.text
    job = await finished(client, auth, started.json()["id"])
    assert job["status"] == "succeeded", job
    assert job["kind"] == "registry.duplicate_scan" and job["result"]["blocks"] >= 2

    page = (await client.get("/duplicates", params={"source": "scan", "limit": 100}, headers=auth)).json()
    pairs = {frozenset((i["person_a_id"], i["person_b_id"])): i for i in page["items"]}
    expected = {
        frozenset((original["id"], swapped["id"])),
        frozenset((original["id"], typo["id"])),
        frozenset((original["id"], digit["id"])),
        frozenset((latin["id"], cyrillic["id"])),
    }
    assert expected <= pairs.keys(), pairs.keys()
    assert all(stranger["id"] not in pair for pair in pairs)
    assert pairs[frozenset((latin["id"], cyrillic["id"]))]["grade"] == "probable"

    rerun = await client.post("/duplicates/scans", json={}, headers=auth)
    assert (await finished(client, auth, rerun.json()["id"]))["status"] == "succeeded"
    assert (await client.get("/duplicates", params={"source": "scan"}, headers=auth)).json()["total"] == page[
        "total"
    ]
