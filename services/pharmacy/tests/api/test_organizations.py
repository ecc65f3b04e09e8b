import uuid

from pharmacy.organization.repository import OrganizationRepository

READ = ["pharmacy.organization:read"]


async def _seed(session) -> tuple[uuid.UUID, uuid.UUID]:
    a, b = uuid.uuid4(), uuid.uuid4()
    repo = OrganizationRepository(session)
    await repo.upsert(a, name="Аптека № 1", kind="pharmacy", code="PH1")
    await repo.upsert(b, name="Аптека № 2", kind="pharmacy", code="PH2")
    await session.flush()
    return a, b


async def test_pharmacist_sees_only_own_organization(client, session, tokens):
    a, b = await _seed(session)
    r = await client.get("/organizations", headers=tokens.auth(org_id=a, roles=["pharmacist"], perms=READ))
    assert r.status_code == 200, r.text
    assert [o["id"] for o in r.json()["items"]] == [str(a)]

    other = await client.get(
        f"/organizations/{b}", headers=tokens.auth(org_id=a, roles=["pharmacist"], perms=READ)
    )
    assert other.status_code == 404
    assert other.headers["content-type"] == "application/problem+json"


async def test_region_wide_role_sees_all(client, session, tokens):
    a, b = await _seed(session)
    r = await client.get("/organizations", headers=tokens.auth(roles=["tfoms_analyst"], perms=READ))
    ids = {o["id"] for o in r.json()["items"]}
    assert {str(a), str(b)} <= ids


async def test_missing_permission_is_403(client, tokens):
    r = await client.get("/organizations", headers=tokens.auth(roles=["warehouse_operator"], perms=[]))
    assert r.status_code == 403
    assert "pharmacy.organization:read" in r.json()["detail"]


async def test_no_token_is_401(client):
    r = await client.get("/organizations")
    assert r.status_code == 401
    assert r.json()["status"] == 401


async def test_bad_paging_is_422_naming_the_field(client, tokens):
    r = await client.get("/organizations?limit=0", headers=tokens.auth(roles=["admin"], perms=READ))
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "query.limit"


async def test_health_and_metrics_are_public(client):
    assert (await client.get("/healthz")).json() == {"status": "ok"}
    ready = await client.get("/readyz")
    assert ready.status_code == 200, ready.text
    metrics = await client.get("/metrics")
    assert "http_requests_total" in metrics.text
