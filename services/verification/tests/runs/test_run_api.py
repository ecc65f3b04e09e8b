"""``/runs`` over HTTP on a database of its own (the run job commits): a payer starts a run with
its register file as the body and follows it to the end; the run reports its rejected rows and
goes on; outcomes carry the register person and are audited; another organization's run is a
404, a region-wide reader sees every run; 403 without the permission; bad parameters are
problem+json naming the field; a file that is no register fails the run; cancelling a queued
run through the job's endpoint."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from tests.runs.run_support import RUN_PERMISSIONS, YEAR, trained_model

from oms_kit.events.inprocess import InProcessBus
from oms_kit.testing.tokens import TokenFactory
from verification.config import Settings
from verification.linkage import LinkageModel
from verification.main import create_app
from verification.register.writer import register_csv
from verification.runs.pipeline import RunPipeline
from verification.synthetic import generate_register

ORG = uuid.uuid4()
BAD_ROWS = [
    ["Иванов", "Иван", "", "2999-01-01", "male", "", "", "", "", "", "", ""],
    ["Петров", "", "", "1980-01-01", "male", "", "", "", "", "", "", ""],
]


@pytest.fixture(scope="module")
def model() -> LinkageModel:
    return trained_model()


@pytest.fixture
async def api(
    service_dir: Path,
    fresh_database: Callable[[Path], Awaitable[str]],
    tokens: TokenFactory,
    model: LinkageModel,
) -> AsyncIterator[tuple[httpx.AsyncClient, str]]:
    url = await fresh_database(service_dir)
    settings = Settings(OMS_VERIFICATION_DATABASE_URL=url, env="test")  # type: ignore[call-arg]
    app = create_app(
        settings, bus=InProcessBus(), jwks=tokens.jwks_source(), run_pipeline=RunPipeline(model=model)
    )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://verification") as client:
            yield client, url


def operator(
    tokens: TokenFactory, org_id: uuid.UUID = ORG, perms: frozenset[str] = RUN_PERMISSIONS
) -> dict[str, str]:
    return tokens.auth(roles=["verification_operator"], perms=sorted(perms), org_id=org_id, org_type="payer")


async def wait_run(client: httpx.AsyncClient, auth: dict[str, str], run_id: str) -> dict[str, Any]:
    for _ in range(600):
        r = await client.get(f"/runs/{run_id}", headers=auth)
        assert r.status_code == 200, r.text
        run: dict[str, Any] = r.json()
        if run["status"] in ("succeeded", "failed", "cancelled"):
            return run
        await asyncio.sleep(0.1)
    raise AssertionError(f"the run did not finish: {run}")


async def test_a_run_over_http(api: tuple[httpx.AsyncClient, str], tokens: TokenFactory) -> None:
    client, url = api
    auth = operator(tokens)
    people = generate_register(200, seed=5, year=YEAR).records
    body = register_csv(people, extra_rows=BAD_ROWS)
    r = await client.post(
        "/runs?as_of=2025-12-31", content=body, headers={**auth, "Content-Type": "text/csv"}
    )
    assert r.status_code == 202, r.text
    started = r.json()
    assert started["status"] == "queued" and started["organization_id"] == str(ORG)
    assert (started["period_from"], started["period_to"]) == ("2025-01-01", "2025-12-31")

    run = await wait_run(client, auth, started["id"])
    assert run["status"] == "succeeded", run
    assert run["finished_stage"] == "decisions" and run["stage"] is None
    assert run["counts"]["entries"] == 200 and run["counts"]["rejected_rows"] == 2
    assert sum(run["counts"]["outcomes"].values()) == 200

    rejections = (await client.get(f"/runs/{run['id']}/rejections", headers=auth)).json()
    assert rejections["total"] == 2
    assert [(x["row_no"], x["field"]) for x in rejections["items"]] == [
        (202, "birth_date"),
        (203, "first_name"),
    ]

    page = (await client.get(f"/runs/{run['id']}/outcomes?limit=5", headers=auth)).json()
    assert page["total"] == 200 and len(page["items"]) == 5
    first = page["items"][0]
    assert first["person"]["row_no"] == 2 and first["person"]["surname"] == people[0].surname
    assert first["outcome"] in ("keep", "exclude", "update", "review")
    district = people[0].district
    by_district = (
        await client.get(f"/runs/{run['id']}/outcomes?district={district}&limit=500", headers=auth)
    ).json()
    assert by_district["total"] == sum(1 for p in people if p.district == district)
    assert {x["person"]["district"] for x in by_district["items"]} == {district}
    kept = (await client.get(f"/runs/{run['id']}/outcomes?outcome=keep&limit=1", headers=auth)).json()
    assert kept["total"] == run["counts"]["outcomes"]["keep"]

    engine = create_async_engine(url)
    async with engine.connect() as conn:
        audited = await conn.scalar(
            text("SELECT count(*) FROM audit_log WHERE resource LIKE 'verification_run:%'")
        )
    await engine.dispose()
    assert audited == 5 + by_district["total"] + 1  # one row per person shown

    listed = (await client.get("/runs", headers=auth)).json()
    assert [x["id"] for x in listed["items"]] == [run["id"]]

    # Another payer sees none of it; a region-wide reader sees it.
    other = operator(tokens, uuid.uuid4())
    assert (await client.get(f"/runs/{run['id']}", headers=other)).status_code == 404
    assert (await client.get(f"/runs/{run['id']}/outcomes", headers=other)).status_code == 404
    assert (await client.get("/runs", headers=other)).json()["total"] == 0
    region = tokens.auth(
        roles=["foms_viewer"], perms=["verification.run:read"], org_id=uuid.uuid4(), org_type="foms"
    )
    assert (await client.get(f"/runs/{run['id']}", headers=region)).status_code == 200

    # An incremental run on the same file: nothing changed, nothing rescored.
    r = await client.post(
        f"/runs?as_of=2025-12-31&previous_run_id={run['id']}",
        content=body,
        headers={**auth, "Content-Type": "text/csv"},
    )
    assert r.status_code == 202, r.text
    again = await wait_run(client, auth, r.json()["id"])
    assert again["status"] == "succeeded" and again["previous_run_id"] == run["id"]
    assert (
        again["counts"]["rescored_subjects"] == 0 and again["counts"]["outcomes"] == run["counts"]["outcomes"]
    )
    assert [x["id"] for x in (await client.get("/runs", headers=auth)).json()["items"]] == [
        again["id"],
        run["id"],
    ]


async def test_permissions_and_bad_parameters(
    api: tuple[httpx.AsyncClient, str], tokens: TokenFactory
) -> None:
    client, _ = api
    csv_body = register_csv(generate_register(20, seed=3, year=YEAR).records)
    headers = {"Content-Type": "text/csv"}
    reader = operator(tokens, perms=frozenset({"verification.run:read"}))
    assert (await client.post("/runs", content=csv_body, headers={**reader, **headers})).status_code == 403
    nobody = tokens.auth(
        roles=["registry_operator"], perms=["registry.person:read"], org_id=ORG, org_type="payer"
    )
    assert (await client.get("/runs", headers=nobody)).status_code == 403
    assert (await client.get(f"/runs/{uuid.uuid4()}", headers=nobody)).status_code == 403
    assert (await client.get("/runs")).status_code == 401

    auth = operator(tokens)
    r = await client.post(
        "/runs?period_from=2025-06-01&period_to=2025-01-01", content=csv_body, headers={**auth, **headers}
    )
    assert r.status_code == 422 and r.headers["content-type"].startswith("application/problem+json")
    assert [e["field"] for e in r.json()["errors"]] == ["period_to"]
    r = await client.post(
        f"/runs?previous_run_id={uuid.uuid4()}", content=csv_body, headers={**auth, **headers}
    )
    assert r.status_code == 422 and [e["field"] for e in r.json()["errors"]] == ["previous_run_id"]
    r = await client.post("/runs", content=csv_body, headers={**auth, "Content-Type": "application/pdf"})
    assert r.status_code == 415
    assert (await client.get(f"/runs/{uuid.uuid4()}", headers=auth)).status_code == 404
    assert (await client.get("/runs", headers=auth)).json()["total"] == 0  # nothing was left behind


async def test_a_file_that_is_no_register_fails_the_run(
    api: tuple[httpx.AsyncClient, str], tokens: TokenFactory
) -> None:
    client, _ = api
    auth = operator(tokens)
    r = await client.post(
        "/runs", content=b"a;b;c\r\n1;2;3\r\n", headers={**auth, "Content-Type": "text/csv"}
    )
    assert r.status_code == 202
    run = await wait_run(client, auth, r.json()["id"])
    assert run["status"] == "failed" and run["error"]["title"] == "Файл регистра не распознан", run
    assert run["finished_stage"] is None


async def test_cancel_through_the_job(api: tuple[httpx.AsyncClient, str], tokens: TokenFactory) -> None:
    client, _ = api
    auth = operator(tokens)
    body = register_csv(generate_register(3000, seed=9, year=YEAR).records)
    started = (await client.post("/runs", content=body, headers={**auth, "Content-Type": "text/csv"})).json()
    r = await client.post(f"/jobs/{started['job_id']}/cancel", headers=auth)
    assert r.status_code in (200, 409), r.text
    run = await wait_run(client, auth, started["id"])
    assert run["status"] == "cancelled", run
    assert run["finished_stage"] != "decisions"
    other = operator(tokens, uuid.uuid4())
    assert (await client.post(f"/jobs/{started['job_id']}/cancel", headers=other)).status_code == 404
