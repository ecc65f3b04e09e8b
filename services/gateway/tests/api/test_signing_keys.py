from datetime import UTC, datetime, timedelta

import pytest
from jose import jwt
from sqlalchemy import select, update

from gateway.config import DEVELOPMENT_SECRET, Settings
from gateway.models import SigningKey
from oms_kit.auth import JwksSource, TokenVerifier


def _kid(token: str) -> str:
    return jwt.get_unverified_header(token)["kid"]


async def _keys(database) -> list[SigningKey]:
    async with database.sessions() as s:
        return list((await s.scalars(select(SigningKey).order_by(SigningKey.active_from))).all())


async def test_first_start_creates_one_key_and_restarts_keep_it(make_app, database):
    async with make_app():
        pass
    first = await _keys(database)
    assert len(first) == 1
    assert first[0].retired_at is None
    assert b"PRIVATE KEY" not in first[0].private_key_encrypted  # encrypted at rest
    async with make_app():
        pass
    assert [k.kid for k in await _keys(database)] == [first[0].kid]


async def test_jwks_serves_the_public_key_only(client, database):
    jwks = (await client.get("/api/auth/.well-known/jwks.json")).json()
    (key,) = jwks["keys"]
    assert key["kid"] == (await _keys(database))[0].kid
    assert key["kty"] == "RSA" and key["alg"] == "RS256" and key["use"] == "sig"
    assert "d" not in key and "p" not in key  # no private parts


async def test_rotation_keeps_old_tokens_valid_and_signs_new_ones_with_the_new_key(
    client, region, login_as, auth_as, database
):
    old = await login_as("admin")
    old_headers = {"Authorization": f"Bearer {old['access_token']}"}

    r = await client.post("/api/admin/signing-keys/rotate", headers=old_headers)
    assert r.status_code == 201, r.text
    new_kid = r.json()["kid"]
    assert new_kid != _kid(old["access_token"])

    jwks = (await client.get("/api/auth/.well-known/jwks.json")).json()
    assert {k["kid"] for k in jwks["keys"]} == {new_kid, _kid(old["access_token"])}

    # the old token still works, at the gateway and for a service verifying with the JWKS
    assert (await client.get("/api/auth/me", headers=old_headers)).status_code == 200
    verifier = TokenVerifier(JwksSource.static(jwks), issuer="oms-gateway", audience="oms-region")
    await verifier.verify(old["access_token"])

    new = await login_as("admin")
    assert _kid(new["access_token"]) == new_kid
    assert (
        await client.get("/api/auth/me", headers={"Authorization": f"Bearer {new['access_token']}"})
    ).status_code == 200
    await verifier.verify(new["access_token"])

    # the old key retires after the longest token lifetime (+ reload interval + leeway)
    keys = {k.kid: k for k in await _keys(database)}
    retired_at = keys[_kid(old["access_token"])].retired_at
    assert retired_at is not None
    expected = datetime.now(UTC) + timedelta(seconds=600 + 30 + 10)
    assert abs((retired_at - expected).total_seconds()) < 5
    assert keys[new_kid].retired_at is None

    listed = await client.get("/api/admin/signing-keys", headers=old_headers)
    assert [k["kid"] for k in listed.json()] == [new_kid, _kid(old["access_token"])]
    assert all(set(k) == {"kid", "created_at", "active_from", "retired_at"} for k in listed.json())


async def test_a_retired_key_leaves_the_jwks_and_its_tokens_fail(client, region, login_as, gateway, database):
    old = await login_as("admin")
    await client.post(
        "/api/admin/signing-keys/rotate", headers={"Authorization": f"Bearer {old['access_token']}"}
    )
    async with database.sessions() as s, s.begin():
        await s.execute(
            update(SigningKey)
            .where(SigningKey.kid == _kid(old["access_token"]))
            .values(retired_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    await gateway.keys.reload()
    jwks = (await client.get("/api/auth/.well-known/jwks.json")).json()
    assert _kid(old["access_token"]) not in {k["kid"] for k in jwks["keys"]}
    verifier = TokenVerifier(JwksSource.static(jwks), issuer="oms-gateway", audience="oms-region")
    with pytest.raises(Exception, match="неизвестен"):
        await verifier.verify(old["access_token"])


async def test_another_replica_picks_up_a_rotation(make_app, open_client, region):
    async with make_app() as a, make_app() as b, open_client(a) as ca, open_client(b) as cb:
        admin = (await ca.post("/api/auth/login", json={"login": "admin", "password": "demo"})).json()
        rotated = await ca.post(
            "/api/admin/signing-keys/rotate", headers={"Authorization": f"Bearer {admin['access_token']}"}
        )
        new = (await ca.post("/api/auth/login", json={"login": "admin", "password": "demo"})).json()
        assert _kid(new["access_token"]) == rotated.json()["kid"]
        # replica b has never seen the new kid: it looks at the database and accepts it
        r = await cb.get("/api/auth/me", headers={"Authorization": f"Bearer {new['access_token']}"})
        assert r.status_code == 200, r.text


async def test_rotation_needs_the_permission(client, region, auth_as):
    r = await client.post("/api/admin/signing-keys/rotate", headers=await auth_as("tfoms"))
    assert r.status_code == 403
    assert "gateway.signing_key:write" in r.json()["detail"]


async def test_a_changed_secret_starts_a_new_key_and_retires_the_unreadable_one(make_app, database):
    async with make_app(secret="first-secret-" + "x" * 30):
        pass
    async with make_app(secret="second-secret-" + "y" * 30):
        pass
    keys = await _keys(database)
    assert len(keys) == 2
    assert keys[0].retired_at is not None and keys[1].retired_at is None


def test_production_refuses_the_development_secret():
    with pytest.raises(ValueError, match="OMS_GATEWAY_SECRET"):
        Settings(env="production", secret=DEVELOPMENT_SECRET)
    with pytest.raises(ValueError, match="at least 32"):
        Settings(env="production", secret="short")
    assert Settings(env="production", secret="s" * 40).secret == "s" * 40
    assert Settings(env="development").secret == DEVELOPMENT_SECRET


def test_production_secret_comes_from_the_environment(monkeypatch):
    monkeypatch.setenv("OMS_GATEWAY_SECRET", "e" * 40)
    monkeypatch.setenv("OMS_ENV", "production")
    assert Settings().secret == "e" * 40
    monkeypatch.delenv("OMS_GATEWAY_SECRET")
    with pytest.raises(ValueError, match="OMS_GATEWAY_SECRET"):
        Settings()
