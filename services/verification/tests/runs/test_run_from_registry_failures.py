"""Runs on the registry's register when the registry cannot be read: not configured, refused,
unreachable, too slow or answering nonsense — the adapter names the registry and the reason in
Russian, ``POST /runs/from-registry`` answers problem+json (503 / 502) without starting a run,
and a run whose registry fails during loading ends failed with the reason instead of hanging.
Also the endpoint's own checks (dates, previous run, permission, unknown fields).

The registry here is a fake (httpx transports that fail) or a closed port: the registry itself
is exercised in ``services/embedded/tests/test_verification_registry.py``."""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import text
from tests.runs.run_support import RUN_PERMISSIONS, payer

from oms_kit.db import Database
from oms_kit.events.inprocess import InProcessBus
from oms_kit.jobs import JobKind, JobRunner, submit_job
from oms_kit.testing.tokens import TokenFactory
from verification.config import Settings
from verification.main import create_app
from verification.models import VerificationRun
from verification.register.from_registry import (
    NOT_CONFIGURED,
    REFUSED,
    UNAVAILABLE,
    HttpRegistryRegister,
    RegistryUnavailable,
)
from verification.runs.pipeline import RunPipeline, run_kind

ORG = uuid.uuid4()
CLOSED_PORT = "http://127.0.0.1:9"  # discard: nothing listens, the connection is refused
ON = date(2025, 12, 31)


def registry_answering(handler: Callable[[httpx.Request], Awaitable[httpx.Response]]) -> HttpRegistryRegister:
    return HttpRegistryRegister(
        base_url="http://gateway",
        api_key="oms_test_key",
        transport=httpx.MockTransport(handler),
        timeout_seconds=0.5,
    )


async def read_all(registry: HttpRegistryRegister) -> list[object]:
    return [page async for page in registry.pages(ON)]


async def test_not_configured_names_the_settings() -> None:
    with pytest.raises(RegistryUnavailable) as caught:
        await read_all(HttpRegistryRegister(base_url=None, api_key=None))
    assert caught.value.title == NOT_CONFIGURED
    assert "OMS_VERIFICATION_REGISTRY_URL" in caught.value.detail
    assert "OMS_VERIFICATION_REGISTRY_API_KEY" in caught.value.detail


async def test_unreachable_registry() -> None:
    with pytest.raises(RegistryUnavailable) as caught:
        await read_all(HttpRegistryRegister(base_url=CLOSED_PORT, api_key="oms_test_key"))
    assert caught.value.title == UNAVAILABLE
    assert caught.value.detail.startswith("Нет связи с регистром застрахованных (http://127.0.0.1:9)")


async def test_a_registry_that_does_not_answer_in_time() -> None:
    async def slow(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(5)
        return httpx.Response(200, json={"items": [], "next_after": None})

    started = asyncio.get_running_loop().time()
    with pytest.raises(RegistryUnavailable) as caught:
        await read_all(registry_answering(slow))
    assert asyncio.get_running_loop().time() - started < 3
    assert caught.value.title == UNAVAILABLE
    assert "не ответил за 0.5 с" in caught.value.detail


async def test_a_refused_key_and_the_registry_problem_detail() -> None:
    seen: list[httpx.Request] = []

    async def refuse(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(
            403,
            json={"title": "Недостаточно прав", "status": 403, "detail": "Нужно право registry.person:read"},
            headers={"content-type": "application/problem+json"},
        )

    with pytest.raises(RegistryUnavailable) as caught:
        await read_all(registry_answering(refuse))
    assert caught.value.title == REFUSED
    assert "ответил 403: Нужно право registry.person:read" in caught.value.detail
    assert "tfoms_exchange" in caught.value.detail
    [request] = seen
    assert request.url.path == "/api/registry/persons/non-working"
    assert request.url.params["on"] == "2025-12-31" and "after" not in request.url.params
    assert request.headers["x-api-key"] == "oms_test_key"


@pytest.mark.parametrize(
    ("status", "body", "expected"),
    [
        (500, {"title": "Внутренняя ошибка"}, "ответил 500: Внутренняя ошибка"),
        (200, {"persons": []}, "не по формату выписки неработающих"),
        (200, {"items": {}, "next_after": None}, "не по формату выписки неработающих"),
    ],
)
async def test_errors_and_answers_of_another_shape(
    status: int, body: dict[str, object], expected: str
) -> None:
    async def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(status, json=body)

    with pytest.raises(RegistryUnavailable) as caught:
        await read_all(registry_answering(answer))
    assert caught.value.title == UNAVAILABLE and expected in caught.value.detail


# --- a run whose registry fails while loading ----------------------------------------------


@pytest.fixture
async def database(
    service_dir: Path, fresh_database: Callable[[Path], Awaitable[str]]
) -> AsyncIterator[Database]:
    db = Database(await fresh_database(service_dir), pool_size=3)
    yield db
    await db.dispose()


async def run_to_the_end(database: Database, kind: JobKind) -> Any:
    """A run of the registry's register driven by the kit's runner until it stops; its job's
    status and error and the run's finished stage."""
    run_id = uuid.uuid4()
    async with database.sessions() as session, session.begin():
        job = await submit_job(
            session, kind, payer(ORG), params={"run_id": str(run_id), "register_source": "registry"}
        )
        session.add(
            VerificationRun(
                id=run_id,
                organization_id=ORG,
                period_from=date(2025, 1, 1),
                period_to=ON,
                as_of=ON,
                register_source="registry",
                job_id=job.id,
                created_by="operator",
            )
        )
    settings = Settings(OMS_VERIFICATION_DATABASE_URL="unused", env="test")  # type: ignore[call-arg]
    runner = JobRunner(database, [kind], settings)
    await runner.claim_and_start()
    async with asyncio.timeout(30):
        while runner.running:  # noqa: ASYNC110  (the runner exposes no event for "idle")
            await asyncio.sleep(0.05)
    async with database.sessions() as session:
        return (
            await session.execute(
                text(
                    "SELECT j.status, j.error, r.finished_stage "
                    "FROM verification_run r JOIN job j ON j.id = r.job_id WHERE r.id = :r"
                ),
                {"r": run_id},
            )
        ).one()


async def test_a_run_whose_registry_is_unreachable_fails_with_the_reason(database: Database) -> None:
    kind = run_kind(RunPipeline(registry=HttpRegistryRegister(base_url=CLOSED_PORT, api_key="oms_test_key")))
    row = await run_to_the_end(database, kind)
    assert row.status == "failed" and row.finished_stage is None
    assert row.error["title"] == UNAVAILABLE
    assert "Нет связи с регистром застрахованных" in row.error["detail"]


async def test_a_registry_that_fails_half_way_fails_the_run(database: Database) -> None:
    """The first page loads, the second request gets a 503: the run fails with the registry's
    reason, not with the page in flight left hanging."""
    person = {
        "surname": "Иванова",
        "first_name": "Анна",
        "patronymic": None,
        "birth_date": "1970-01-02",
        "sex": "female",
    }

    async def answer(request: httpx.Request) -> httpx.Response:
        if "after" not in request.url.params:
            items = [person | {"person_id": str(uuid.uuid4())} for _ in range(3)]
            return httpx.Response(200, json={"items": items, "next_after": items[-1]["person_id"]})
        return httpx.Response(503, json={"title": "Сервис недоступен", "detail": "Регистр на обслуживании"})

    registry = registry_answering(answer)
    registry.page_size = 3
    row = await run_to_the_end(database, run_kind(RunPipeline(registry=registry)))
    assert row.status == "failed" and row.finished_stage is None
    assert row.error["title"] == UNAVAILABLE
    assert row.error["detail"] == "Регистр застрахованных ответил 503: Регистр на обслуживании"


# --- POST /runs/from-registry ----------------------------------------------------------------


ApiWith = Callable[..., Awaitable[httpx.AsyncClient]]


@pytest.fixture
async def api_with(
    service_dir: Path, fresh_database: Callable[[Path], Awaitable[str]], tokens: TokenFactory
) -> AsyncIterator[ApiWith]:
    """``await api_with(**settings)``: a client of an app with those registry settings."""
    url = await fresh_database(service_dir)
    async with contextlib.AsyncExitStack() as stack:

        async def make(**overrides: object) -> httpx.AsyncClient:
            settings = Settings(OMS_VERIFICATION_DATABASE_URL=url, env="test", **overrides)  # type: ignore[call-arg]
            app = create_app(settings, bus=InProcessBus(), jwks=tokens.jwks_source())
            await stack.enter_async_context(app.router.lifespan_context(app))
            return await stack.enter_async_context(
                httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://verification")
            )

        yield make


def operator(tokens: TokenFactory, perms: frozenset[str] = RUN_PERMISSIONS) -> dict[str, str]:
    return tokens.auth(roles=["verification_operator"], perms=sorted(perms), org_id=ORG, org_type="payer")


async def runs_count(client: httpx.AsyncClient, auth: dict[str, str]) -> int:
    response = await client.get("/runs", headers=auth)
    assert response.status_code == 200, response.text
    total: int = response.json()["total"]
    return total


async def test_from_registry_when_the_registry_is_not_configured(
    api_with: ApiWith, tokens: TokenFactory
) -> None:
    client = await api_with()
    auth = operator(tokens)
    response = await client.post("/runs/from-registry", json={"as_of": "2025-12-31"}, headers=auth)
    assert response.status_code == 503, response.text
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["title"] == NOT_CONFIGURED and "OMS_VERIFICATION_REGISTRY_URL" in problem["detail"]
    assert await runs_count(client, auth) == 0


async def test_from_registry_when_the_registry_is_unreachable(
    api_with: ApiWith, tokens: TokenFactory
) -> None:
    client = await api_with(
        OMS_VERIFICATION_REGISTRY_URL=CLOSED_PORT, OMS_VERIFICATION_REGISTRY_API_KEY="oms_k"
    )
    auth = operator(tokens)
    response = await client.post("/runs/from-registry", json={}, headers=auth)
    assert response.status_code == 502, response.text
    problem = response.json()
    assert problem["title"] == UNAVAILABLE and "Нет связи с регистром застрахованных" in problem["detail"]
    assert await runs_count(client, auth) == 0


async def test_from_registry_checks_its_input_first(api_with: ApiWith, tokens: TokenFactory) -> None:
    client = await api_with()
    auth = operator(tokens)
    cases = [
        (
            {"period_from": "2025-06-01", "period_to": "2025-01-01"},
            "period_to",
            "Конец периода раньше его начала",
        ),
        ({"previous_run_id": str(uuid.uuid4())}, "previous_run_id", "Предыдущая проверка не найдена"),
        ({"as_of": "31.12.2025"}, "body.as_of", None),
        ({"file": "register.csv"}, "body.file", None),
    ]
    for body, field, message in cases:
        response = await client.post("/runs/from-registry", json=body, headers=auth)
        assert response.status_code == 422, (body, response.text)
        assert response.headers["content-type"].startswith("application/problem+json")
        [error] = [e for e in response.json()["errors"] if e["field"] == field]
        if message is not None:
            assert error["message"] == message
    reader = operator(tokens, frozenset({"verification.run:read"}))
    assert (await client.post("/runs/from-registry", json={}, headers=reader)).status_code == 403
    assert (await client.post("/runs/from-registry", json={})).status_code == 401
