import uuid

import pytest
from jose import jwt
from sqlalchemy import select

from gateway.access.roles import CLIENT_ROLES
from gateway.models import ApiKey


def _org(region, login: str) -> uuid.UUID:
    return next(d for d in region if d.login == login).org_id


@pytest.fixture
async def admin(proxy_client, auth_as) -> dict[str, str]:
    return await auth_as("admin")


async def _create(client, admin, org_id, **overrides) -> dict:
    body = {"name": "МИС поликлиники № 2", "org_id": str(org_id), "client_role": "mis", **overrides}
    r = await client.post("/api/admin/api-keys", json=body, headers=admin)
    assert r.status_code == 201, r.text
    return r.json()


def _bearer_seen(upstream_log) -> str:
    (value,) = [v for k, v in upstream_log.requests[-1]["headers"] if k == "authorization"]
    return value.removeprefix("Bearer ")


async def test_create_shows_the_key_once_and_lists_only_the_prefix(proxy_client, admin, region, database):
    created = await _create(
        proxy_client,
        admin,
        _org(region, "doctor"),
        scopes=["registry.person:read", "pharmacy.prescription:write"],
    )
    key = created["key"]
    assert key.startswith(f"oms_{created['prefix']}_")
    assert len(key) > 50
    assert created["scopes"] == ["pharmacy.prescription:write", "registry.person:read"]

    listed = await proxy_client.get("/api/admin/api-keys", headers=admin)
    assert listed.status_code == 200
    (item,) = listed.json()["items"]
    assert item["prefix"] == created["prefix"]
    assert "key" not in item and "key_hash" not in item
    assert key not in listed.text

    async with database.sessions() as s:
        stored = await s.scalar(select(ApiKey))
    assert stored.key_hash != key and len(stored.key_hash) == 64  # only the sha256 is kept


async def test_a_key_is_exchanged_for_an_internal_token(proxy_client, admin, region, upstream_log):
    org = _org(region, "doctor")
    created = await _create(
        proxy_client, admin, org, scopes=["registry.person:read", "pharmacy.prescription:write"]
    )
    r = await proxy_client.get("/api/registry/echo/persons", headers={"X-API-Key": created["key"]})
    assert r.status_code == 200, r.text
    seen_headers = {k for k, _ in upstream_log.requests[-1]["headers"]}
    assert "x-api-key" not in seen_headers  # the secret stops at the gateway

    token = _bearer_seen(upstream_log)
    jwks = (await proxy_client.get("/api/auth/.well-known/jwks.json")).json()
    from oms_kit.auth import JwksSource, TokenVerifier

    principal = await TokenVerifier(
        JwksSource.static(jwks), issuer="oms-gateway", audience="oms-region"
    ).verify(token)
    assert principal.kind == "api_key"
    assert principal.subject == created["id"]
    assert principal.org_id == org and principal.org_type == "mo"
    assert principal.roles == {"mis"}
    assert principal.permissions == {"registry.person:read", "pharmacy.prescription:write"}
    claims = jwt.get_unverified_claims(token)
    assert claims["exp"] - claims["iat"] == 120


async def test_without_scopes_a_key_gets_its_roles_permissions(proxy_client, admin, region, upstream_log):
    created = await _create(proxy_client, admin, _org(region, "doctor"))
    assert set(created["scopes"]) == CLIENT_ROLES["mis"]
    await proxy_client.get("/api/registry/echo/x", headers={"X-API-Key": created["key"]})
    assert set(jwt.get_unverified_claims(_bearer_seen(upstream_log))["perms"]) == CLIENT_ROLES["mis"]


async def test_scopes_cannot_exceed_the_role(proxy_client, admin, region):
    body = {
        "name": "МИС",
        "org_id": str(_org(region, "doctor")),
        "client_role": "mis",
        "scopes": ["registry.person:read", "gateway.user:write"],
    }
    r = await proxy_client.post("/api/admin/api-keys", json=body, headers=admin)
    assert r.status_code == 422
    assert "gateway.user:write" in r.json()["detail"]


async def test_client_role_must_fit_the_organization(proxy_client, admin, region):
    body = {"name": "Обмен ТФОМС", "org_id": str(_org(region, "doctor")), "client_role": "tfoms_exchange"}
    r = await proxy_client.post("/api/admin/api-keys", json=body, headers=admin)
    assert r.status_code == 422


async def test_revoked_and_unknown_keys_are_401(proxy_client, admin, region, upstream_log):
    created = await _create(proxy_client, admin, _org(region, "doctor"))
    ok = await proxy_client.get("/api/registry/echo/x", headers={"X-API-Key": created["key"]})
    assert ok.status_code == 200

    revoked = await proxy_client.post(f"/api/admin/api-keys/{created['id']}/revoke", headers=admin)
    assert revoked.status_code == 200
    assert revoked.json()["revoked_at"] is not None
    calls = len(upstream_log.requests)

    r = await proxy_client.get("/api/registry/echo/x", headers={"X-API-Key": created["key"]})
    assert r.status_code == 401
    assert r.headers["content-type"] == "application/problem+json"
    for wrong in (created["key"] + "x", "oms_nothing_here", "garbage"):
        assert (
            await proxy_client.get("/api/registry/echo/x", headers={"X-API-Key": wrong})
        ).status_code == 401
    assert len(upstream_log.requests) == calls  # nothing got through

    listed = await proxy_client.get("/api/admin/api-keys", headers=admin)
    assert listed.json()["items"] == []
    with_revoked = await proxy_client.get("/api/admin/api-keys?include_revoked=true", headers=admin)
    assert [k["id"] for k in with_revoked.json()["items"]] == [created["id"]]


async def test_over_the_rate_is_429_with_retry_after(proxy_client, admin, region, upstream_log):
    created = await _create(proxy_client, admin, _org(region, "doctor"), rate_per_minute=3)
    headers = {"X-API-Key": created["key"]}
    for _ in range(3):
        assert (await proxy_client.get("/api/registry/echo/x", headers=headers)).status_code == 200
    r = await proxy_client.get("/api/registry/echo/x", headers=headers)
    assert r.status_code == 429
    assert r.headers["content-type"] == "application/problem+json"
    assert r.headers["retry-after"] == "20"  # one request per 20 s at 3/min
    assert len(upstream_log.requests) == 3

    other = await _create(proxy_client, admin, _org(region, "doctor"), rate_per_minute=3)
    assert (
        await proxy_client.get("/api/registry/echo/x", headers={"X-API-Key": other["key"]})
    ).status_code == 200


async def test_last_used_at_is_written_in_batches(proxy_client, proxy_app, admin, region, database):
    created = await _create(proxy_client, admin, _org(region, "doctor"))
    for _ in range(5):
        await proxy_client.get("/api/registry/echo/x", headers={"X-API-Key": created["key"]})

    async def last_used():
        async with database.sessions() as s:
            return await s.scalar(select(ApiKey.last_used_at).where(ApiKey.id == uuid.UUID(created["id"])))

    assert await last_used() is None  # no write per request
    assert await proxy_app.state.gateway.machine_access.flush() == 1
    assert await last_used() is not None
    assert await proxy_app.state.gateway.machine_access.flush() == 0  # nothing new to write


async def test_api_keys_need_their_permission_and_unknown_ids_are_404(proxy_client, admin, region, auth_as):
    economist = await auth_as("economist")
    assert (await proxy_client.get("/api/admin/api-keys", headers=economist)).status_code == 403
    body = {"name": "МИС", "org_id": str(_org(region, "economist")), "client_role": "mis"}
    assert (await proxy_client.post("/api/admin/api-keys", json=body, headers=economist)).status_code == 403
    r = await proxy_client.post(f"/api/admin/api-keys/{uuid.uuid4()}/revoke", headers=admin)
    assert r.status_code == 404


async def test_api_key_create_rejects_unknown_fields(proxy_client, admin, region):
    body = {"name": "МИС", "org_id": str(_org(region, "doctor")), "client_role": "mis", "admin": True}
    r = await proxy_client.post("/api/admin/api-keys", json=body, headers=admin)
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "body.admin"
