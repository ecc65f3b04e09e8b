"""The whole embedded composition on the test machine's PostgreSQL (databases made by the
test): the gateway at /api proxying to the four services in-process, the demo seed, and an
event crossing from the gateway to every service over the in-process bus."""

import asyncio
import time

import httpx
import pytest
from sqlalchemy import text

from oms_embedded.composition import Composition
from oms_embedded.databases import asyncpg_url, provision
from oms_embedded.services import ALL_SERVICES, DOMAIN_SERVICES
from oms_kit.identifiers.snils import complete_snils
from oms_kit.testing.postgres import create_database, drop_database, unique_name


@pytest.fixture(scope="module")
async def composition(postgres_dsn, repo_root):
    names = {service: unique_name(f"t_emb_{service}") for service in ALL_SERVICES}
    for name in names.values():
        await create_database(postgres_dsn, name)
    try:
        urls = {service: asyncpg_url(postgres_dsn, name) for service, name in names.items()}
        await provision(urls, repo_root)
        # the production default: after verification's demo run, registry takes in its few
        # thousand exclusions and finance the pharmacy's dispensing history while the consumers share
        # the two cores (~30–60 s)
        composed = Composition(urls, root=repo_root, pool_size=3, seed_timeout=180)
        with pytest.MonkeyPatch.context() as env:
            env.setenv("OMS_REGISTRY_DEMO_PERSONS", "2000")  # the registry's demo: a small region
            async with composed.app.router.lifespan_context(composed.app):
                yield composed
    finally:
        for name in names.values():
            await drop_database(postgres_dsn, name)


@pytest.fixture
async def client(composition):
    transport = httpx.ASGITransport(app=composition.app)
    async with httpx.AsyncClient(transport=transport, base_url="http://oms") as c:
        yield c


def _demo(composition, login):
    logins = composition.seeded["gateway"].result
    return next(entry for entry in logins if entry["login"] == login)


async def _login(client, composition, login) -> dict[str, str]:
    demo = _demo(composition, login)
    response = await client.post(
        "/api/auth/login", json={"login": demo["login"], "password": demo["password"]}
    )
    assert response.status_code == 200, response.text
    return {"Authorization": f"Bearer {response.json()['access_token']}"}


async def test_outer_app_health_and_site(client):
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    assert (await client.get("/")).status_code == 200


async def test_the_api_document_covers_every_service(client):
    document = await client.get("/api/openapi.json")
    assert document.status_code == 200, document.text
    paths = document.json()["paths"]
    assert {f"/api/{service}/organizations" for service in DOMAIN_SERVICES} <= set(paths)
    assert "x-oms-unavailable" not in document.json()
    assert (await client.get("/api/docs")).status_code == 200


@pytest.mark.parametrize("service", DOMAIN_SERVICES)
async def test_each_service_is_healthy_through_the_gateway(client, service):
    response = await client.get(f"/api/{service}/healthz")
    assert response.status_code == 200, response.text
    assert response.json() == {"status": "ok"}


def test_demo_data_is_seeded_once(composition):
    outcome = composition.seeded["gateway"]
    assert outcome.seeded_now
    assert {"admin", "economist", "pharmacist"} <= {entry["login"] for entry in outcome.result}


@pytest.mark.parametrize("service", DOMAIN_SERVICES)
async def test_a_demo_user_sees_its_own_organization_in_every_service(client, composition, service):
    headers = await _login(client, composition, "economist")
    response = await client.get(f"/api/{service}/organizations", headers=headers)
    assert response.status_code == 200, response.text
    assert [o["id"] for o in response.json()["items"]] == [_demo(composition, "economist")["org_id"]]


async def test_a_registered_organization_reaches_all_four_services(client, composition):
    headers = await _login(client, composition, "admin")
    created = await client.post(
        "/api/admin/organizations",
        json={"name": "ГБУЗ «Озёрная участковая больница»", "kind": "mo", "code": "990077"},
        headers=headers,
    )
    assert created.status_code == 201, created.text
    org_id = created.json()["id"]

    async def arrived(service: str) -> None:
        deadline = time.monotonic() + 15
        while True:
            found = await client.get(f"/api/{service}/organizations/{org_id}", headers=headers)
            if found.status_code == 200:
                assert found.json()["name"] == "ГБУЗ «Озёрная участковая больница»"
                return
            assert found.status_code == 404, found.text
            assert time.monotonic() < deadline, f"{service} has not received the organization"
            await asyncio.sleep(0.1)

    await asyncio.gather(*(arrived(service) for service in DOMAIN_SERVICES))


async def test_an_operator_starts_a_run_on_the_registry_through_the_gateway(client, composition):
    """The verification app reads the registry's non-working persons through the in-process
    gateway with the tfoms_exchange key issued at start: the run's loading stage takes them."""
    auth = await _login(client, composition, "verifier")
    response = await client.post("/api/verification/runs/from-registry", json={}, headers=auth)
    assert response.status_code == 202, response.text
    run = response.json()
    assert run["register_source"] == "registry"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        run = (await client.get(f"/api/verification/runs/{run['id']}", headers=auth)).json()
        if run["finished_stage"] is not None or run["status"] in ("failed", "succeeded", "cancelled"):
            break
        await asyncio.sleep(0.2)
    assert run["error"] is None and run["finished_stage"] is not None, run
    counts = run["counts"]
    assert counts["file_format"] == "registry"
    assert counts["rows_read"] > 100 and counts["entries"] + counts["rejected_rows"] == counts["rows_read"]
    await client.post(f"/api/verification/jobs/{run['job_id']}/cancel", headers=auth)  # enough seen


async def test_the_federal_register_is_matched_to_registry_persons_through_the_gateway(client, composition):
    """Pharmacy asks the registry for persons by SNILS through the in-process gateway with the
    same tfoms_exchange key verification gets at start: a line of a registry person (SNILS and
    birth date) gets that person, a SNILS the registry does not hold stays unmatched."""
    async with composition.databases["pharmacy"].sessions() as session:
        held = set(
            (await session.execute(text("SELECT snils FROM beneficiary WHERE snils IS NOT NULL"))).scalars()
        )
        held |= {str(p) for p in (await session.execute(text("SELECT person_id FROM beneficiary"))).scalars()}
    async with composition.databases["registry"].sessions() as session:
        rows = await session.execute(
            text(
                "SELECT person_id, snils, birth_date FROM person_search s WHERE snils IS NOT NULL "
                "AND (SELECT count(*) FROM person_search o WHERE o.snils = s.snils) = 1 "
                "ORDER BY person_id LIMIT 1000"
            )
        )
        person_id, snils, born = next(r for r in rows if r[1] not in held and str(r[0]) not in held)
    unknown = complete_snils("199999999")
    header = "СНИЛС;Фамилия;Имя;Отчество;ДатаРождения;Пол;КодЛьготы;ДатаНачала"
    lines = [
        f"{snils};Иванов;Иван;;{born:%d.%m.%Y};М;082;01.01.2026",
        f"{unknown};Петров;Пётр;;;М;081;01.01.2026",
    ]
    auth = await _login(client, composition, "registrar")
    response = await client.post(
        "/api/pharmacy/federal-register/loads",
        params={"as_of": "2026-07-01"},
        content="\r\n".join([header, *lines]).encode("cp1251"),
        headers={**auth, "Content-Type": "text/csv"},
    )
    assert response.status_code == 202, response.text
    job = response.json()
    deadline = time.monotonic() + 60
    while job["status"] not in ("succeeded", "failed", "cancelled") and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
        job = (await client.get(f"/api/pharmacy/jobs/{job['id']}", headers=auth)).json()
    assert job["status"] == "succeeded", job
    matching = job["result"]["matching"]
    assert (matching["status"], matching["matched"], matching["unmatched"]) == ("done", 1, 1), matching
    card = await client.get(f"/api/pharmacy/beneficiaries/{person_id}", headers=auth)
    assert card.status_code == 200, card.text
    assert [e["category_code"] for e in card.json()["entitlements"]] == ["082"]
