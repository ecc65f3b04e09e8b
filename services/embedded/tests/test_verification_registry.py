"""Verification runs on the register of ``registry`` (the persons non-working on the run's
date), against the real registry app: its own database, persons written through its register
import, its ``GET /persons/non-working`` answering a region-wide ``tfoms_exchange`` token.

Verification reaches it as in production, ``{gateway}/api/registry/persons/non-working`` with
``X-API-Key``: the edge here is a small ASGI stand-in for the gateway's proxy (the key checked
and exchanged for a token, the ``/api/registry`` prefix taken off); the gateway itself is on
the path in ``test_composition``. This test lives in the composition root's tests because a
service's tests may not import another service (tests/contracts/test_service_boundaries.py).

- the adapter pages through the extract (keyset, a small page) and sees exactly the
  non-working, insured, living persons;
- a run over HTTP (``POST /runs/from-registry``) loads them through the file path's validation
  (rows the register cannot take rejected with their position and reason), keys subjects
  ``person:<registry id>``, and goes through every stage;
- a second run keeps the subjects' ids;
- a run that crashes after loading resumes without loading twice."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from starlette.types import Receive, Scope, Send

from oms_kit.db import Database
from oms_kit.events.inprocess import InProcessBus
from oms_kit.jobs import JobContext
from oms_kit.jobs.models import Job
from oms_kit.testing.tokens import TokenFactory
from registry.config import Settings as RegistrySettings
from registry.main import create_app as create_registry
from registry.models import Organization
from registry.nsi.shipped import load_shipped
from registry.person_import.reference import load_reference
from registry.person_import.staging import Actor, write_batch
from registry.person_import.validation import validate_row
from verification.config import Settings as VerificationSettings
from verification.linkage import train
from verification.main import create_app as create_verification
from verification.register.from_registry import HttpRegistryRegister
from verification.runs.pipeline import RunPipeline, StageCrash, run_kind
from verification.runs.stages import DECISIONS, LOADING
from verification.synthetic import generate_register

ON = date(2025, 12, 31)
KEY = "oms_test_registryexchange"
PAYER = uuid.uuid4()
INSURER_CODE = "99001"
LONG_ADDRESS = "Приозёрская обл., г. Приозёрск, " + "ул. Очень Длинная, " * 30  # > 500 characters
BAD_DOC_NUMBER = "45#12*67"  # the registry takes any text, the register's document number does not


class GatewayEdge:
    """The gateway's proxy as far as this test needs it: ``X-API-Key`` → the key's token,
    ``/api/registry/...`` → the registry app's ``/...``; anything else 401/404."""

    def __init__(self, registry: Any, token: str) -> None:
        self.registry = registry
        self.token = token
        self.calls: list[str] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = dict(scope["headers"])
        prefix = "/api/registry"
        if scope["type"] != "http" or not scope["path"].startswith(prefix + "/"):
            await httpx_response(send, 404)
            return
        if headers.get(b"x-api-key") != KEY.encode():
            await httpx_response(send, 401)
            return
        self.calls.append(scope["query_string"].decode())
        forwarded = [(k, v) for k, v in scope["headers"] if k != b"x-api-key"]
        forwarded.append((b"authorization", f"Bearer {self.token}".encode()))
        path = scope["path"][len(prefix) :]
        await self.registry(
            {**scope, "path": path, "raw_path": path.encode(), "headers": forwarded}, receive, send
        )


async def httpx_response(send: Send, status: int) -> None:
    await send(
        {"type": "http.response.start", "status": status, "headers": [(b"content-type", b"text/plain")]}
    )
    await send({"type": "http.response.body", "body": b""})


def person_row(n: int, **overrides: Any) -> dict[str, Any]:
    """A row of the registry's register import: a non-working person insured since 2015."""
    record = SYNTHETIC[n]
    row: dict[str, Any] = {
        "surname": record.surname,
        "first_name": record.first_name,
        "patronymic": record.patronymic,
        "birth_date": record.birth_date.isoformat(),
        "sex": record.sex,
        "snils": record.snils,
        "enp": record.enp,
        "registration_address": f"Приозёрская обл., г. Приозёрск, ул. Садовая, д. {n}",
        "insurer": INSURER_CODE,
        "policy_type": "3",
        "policy_number": record.enp or f"99990000{n:08d}",
        "insurance_from": "2015-01-01",
        "employment_status": "non_working",
        "employment_from": "2015-01-01",
    }
    return row | overrides


def _distinct_persons() -> list[Any]:
    """Records of a synthetic register with an ENP and a SNILS no other record has (the
    register's planted duplicates would be one person in the registry)."""
    records = [r for r in generate_register(400, seed=5, year=2025).records if r.enp and r.snils]
    snils = Counter(r.snils for r in records)
    enp = Counter(r.enp for r in records)
    return [r for r in records if snils[r.snils] == 1 and enp[r.enp] == 1]


SYNTHETIC = _distinct_persons()


@dataclass
class Registry:
    database: Database
    edge: GatewayEdge
    listed: list[uuid.UUID]  # the persons the extract must hold, in its order
    long_address: uuid.UUID
    bad_document: uuid.UUID
    not_listed: dict[str, uuid.UUID]

    def register(self, *, page_size: int = 25) -> HttpRegistryRegister:
        return HttpRegistryRegister(
            base_url="http://gateway",
            api_key=KEY,
            transport=httpx.ASGITransport(app=self.edge),
            page_size=page_size,
        )


VALID = 60


@pytest.fixture(scope="module")
async def registry(fresh_database, repo_root, tokens: TokenFactory) -> AsyncIterator[Registry]:
    url = await fresh_database(repo_root / "services" / "registry")
    database = Database(url, pool_size=2)
    async with database.sessions() as session, session.begin():
        await load_shipped(session)
        session.add(Organization(id=uuid.uuid4(), name="СМО", kind="insurer", code=INSURER_CODE))
        await session.flush()
        ref = await load_reference(session, date.today())
        rows: dict[str, dict[str, Any]] = {f"valid{n}": person_row(n) for n in range(VALID)}
        rows["long_address"] = person_row(VALID, registration_address=LONG_ADDRESS)
        rows["bad_document"] = person_row(
            VALID + 1,
            document_type="14",
            document_series="99 05",
            document_number=BAD_DOC_NUMBER,
            document_issue_date="2015-05-05",
        )
        rows["working"] = person_row(VALID + 2, employment_status="working")
        rows["dead"] = person_row(VALID + 3, death_date="2025-03-01")
        rows["uninsured"] = person_row(
            VALID + 4, insurer=None, policy_type=None, policy_number=None, insurance_from=None
        )
        rows["non_working_later"] = person_row(VALID + 5, employment_from="2026-01-01")
        ids = {name: uuid.uuid4() for name in rows}
        staged = [validate_row(row, ref, ids[name], i) for i, (name, row) in enumerate(rows.items(), start=1)]
        await write_batch(session, staged, Actor("test", "user", uuid.uuid4(), "тест"))
    app = create_registry(
        RegistrySettings(OMS_REGISTRY_DATABASE_URL=url, env="test"),  # type: ignore[call-arg]
        bus=InProcessBus(),
        jwks=tokens.jwks_source(),
    )
    token = tokens.token(roles=["tfoms_exchange"], perms=["registry.person:read"], org_type="tfoms")
    async with app.router.lifespan_context(app):
        listed = sorted([ids[f"valid{n}"] for n in range(VALID)] + [ids["long_address"], ids["bad_document"]])
        yield Registry(
            database=database,
            edge=GatewayEdge(app, token),
            listed=listed,
            long_address=ids["long_address"],
            bad_document=ids["bad_document"],
            not_listed={k: ids[k] for k in ("working", "dead", "uninsured", "non_working_later")},
        )
    await database.dispose()


async def test_the_adapter_pages_through_the_non_working(registry: Registry) -> None:
    registry.edge.calls.clear()
    pages = [page async for page in registry.register(page_size=25).pages(ON)]
    seen = [uuid.UUID(item["person_id"]) for page in pages for item in page]
    assert [len(p) for p in pages] == [25, 25, 12]
    assert seen == registry.listed  # each once, in the registry's order, none of the others
    assert not set(registry.not_listed.values()) & set(seen)
    assert len(registry.edge.calls) == 3
    assert all("on=2025-12-31" in c and "limit=25" in c for c in registry.edge.calls)
    assert "after" not in registry.edge.calls[0] and f"after={seen[24]}" in registry.edge.calls[1]


@dataclass
class Verification:
    client: httpx.AsyncClient
    database: Database
    auth: dict[str, str]
    pipeline: RunPipeline


@pytest.fixture(scope="module")
async def verification(
    fresh_database, repo_root, tokens: TokenFactory, registry: Registry
) -> AsyncIterator[Verification]:
    url = await fresh_database(repo_root / "services" / "verification")
    settings = VerificationSettings(OMS_VERIFICATION_DATABASE_URL=url, env="test")  # type: ignore[call-arg]
    model = train(generate_register(2000, seed=7, year=2025).to_arrow())
    pipeline = RunPipeline(model=model, registry=registry.register(page_size=25))
    app = create_verification(settings, bus=InProcessBus(), jwks=tokens.jwks_source(), run_pipeline=pipeline)
    auth = tokens.auth(
        roles=["verification_operator"],
        perms=["verification.run:read", "verification.run:write"],
        org_id=PAYER,
        org_type="payer",
    )
    database = Database(url, pool_size=2)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://verification") as c,
    ):
        yield Verification(c, database, auth, pipeline)
    await database.dispose()


async def wait_run(v: Verification, run_id: str) -> dict[str, Any]:
    for _ in range(1200):
        response = await v.client.get(f"/runs/{run_id}", headers=v.auth)
        assert response.status_code == 200, response.text
        run: dict[str, Any] = response.json()
        if run["status"] in ("succeeded", "failed", "cancelled"):
            return run
        await asyncio.sleep(0.1)
    raise AssertionError(f"the run did not finish: {run}")


async def subjects(v: Verification, run_id: str) -> dict[str, uuid.UUID]:
    """subject key → subject id of the run's entries."""
    async with v.database.sessions() as session:
        rows = await session.execute(
            text(
                "SELECT s.key, s.id FROM register_entry e JOIN subject s ON s.id = e.subject_id "
                "WHERE e.run_id = :r"
            ),
            {"r": uuid.UUID(run_id)},
        )
        return {key: subject_id for key, subject_id in rows}


async def start(v: Verification, **body: Any) -> dict[str, Any]:
    response = await v.client.post(
        "/runs/from-registry", json={"as_of": ON.isoformat(), **body}, headers=v.auth
    )
    assert response.status_code == 202, response.text
    run: dict[str, Any] = response.json()
    assert run["register_source"] == "registry"
    return run


@pytest.fixture(scope="module")
async def first_run(verification: Verification) -> dict[str, Any]:
    return await wait_run(verification, (await start(verification))["id"])


async def test_a_run_from_the_registry_goes_through_every_stage(
    first_run: dict[str, Any], verification: Verification, registry: Registry
) -> None:
    assert first_run["status"] == "succeeded", first_run["error"]
    assert first_run["finished_stage"] == DECISIONS
    assert (first_run["period_from"], first_run["period_to"]) == ("2025-01-01", "2025-12-31")
    counts = first_run["counts"]
    assert counts["file_format"] == "registry"
    assert counts["rows_read"] == len(registry.listed) == VALID + 2
    assert counts["entries"] == VALID and counts["rejected_rows"] == 2
    keys = await subjects(verification, first_run["id"])
    expected = {f"person:{pid}" for pid in registry.listed} - {
        f"person:{registry.long_address}",
        f"person:{registry.bad_document}",
    }
    assert set(keys) == expected


async def test_rows_the_register_cannot_take_are_rejected_with_their_position(
    first_run: dict[str, Any], verification: Verification, registry: Registry
) -> None:
    response = await verification.client.get(f"/runs/{first_run['id']}/rejections", headers=verification.auth)
    assert response.status_code == 200, response.text
    rejections = {(r["row_no"], r["field"]): r["message"] for r in response.json()["items"]}
    assert rejections == {
        (registry.listed.index(registry.long_address) + 1, "address"): "Длиннее 500 символов",
        (
            registry.listed.index(registry.bad_document) + 1,
            "doc_number",
        ): "Допустимы буквы, цифры, пробел, дефис, точка, «/» и «№»",
    }


async def test_a_second_run_keeps_the_subjects(first_run: dict[str, Any], verification: Verification) -> None:
    second = await wait_run(verification, (await start(verification, previous_run_id=first_run["id"]))["id"])
    assert second["status"] == "succeeded", second["error"]
    assert await subjects(verification, second["id"]) == await subjects(verification, first_run["id"])
    assert second["counts"]["unchanged_subjects"] == VALID
    assert second["counts"]["new_subjects"] == 0 and second["counts"]["gone_subjects"] == 0


async def test_a_run_that_crashed_after_loading_resumes(
    verification: Verification, registry: Registry
) -> None:
    """A finished run is put back as a job that is running with no stage finished, its register
    still written (as a crash half-way through loading leaves it). Attempt 1 loads again and
    "dies" after loading: the register is there once, not twice. Attempt 2 goes on from
    blocking to the end with the same register."""
    run = await wait_run(verification, (await start(verification))["id"])
    assert run["status"] == "succeeded", run["error"]
    before = await subjects(verification, run["id"])
    async with verification.database.sessions() as session, session.begin():
        await session.execute(
            text("UPDATE verification_run SET finished_stage = NULL WHERE id = :r"),
            {"r": uuid.UUID(run["id"])},
        )
        await session.execute(
            text("UPDATE job SET status = 'running', attempts = 1, heartbeat_at = now() WHERE id = :j"),
            {"j": uuid.UUID(run["job_id"])},
        )
    async with verification.database.sessions() as session:
        job = await session.get(Job, uuid.UUID(run["job_id"]))
    assert job is not None and job.status == "running"
    crashing = run_kind(
        RunPipeline(model=verification.pipeline.model, registry=registry.register(), crash_after=LOADING)
    )
    with pytest.raises(StageCrash):
        await crashing.run(JobContext(verification.database, job, crashing))
    state = await run_state(verification, run["id"])
    assert state["finished_stage"] == LOADING and state["entries"] == VALID and state["rejections"] == 2
    assert await subjects(verification, run["id"]) == before
    resumed = run_kind(RunPipeline(model=verification.pipeline.model, registry=registry.register()))
    await resumed.run(JobContext(verification.database, job, resumed))
    state = await run_state(verification, run["id"])
    assert state["finished_stage"] == DECISIONS and state["entries"] == VALID and state["rejections"] == 2


async def run_state(v: Verification, run_id: str) -> dict[str, Any]:
    async with v.database.sessions() as session:
        row = (
            await session.execute(
                text(
                    "SELECT finished_stage, "
                    "(SELECT count(*) FROM register_entry WHERE run_id = :r) AS entries, "
                    "(SELECT count(DISTINCT row_no) FROM register_rejection WHERE run_id = :r) AS rejections "
                    "FROM verification_run WHERE id = :r"
                ),
                {"r": uuid.UUID(run_id)},
            )
        ).one()
    return dict(row._mapping)
