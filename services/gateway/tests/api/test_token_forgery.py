"""Forged and stretched tokens are a 401 at the gateway's edge: on its own endpoints and on
the proxy, where the service behind must never be reached."""

import base64
import hashlib
import hmac
import json

import httpx
import pytest
from cryptography.hazmat.primitives import serialization
from fastapi import FastAPI, Request
from jose import jwk, jwt


def _b64(obj: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(obj).encode()).rstrip(b"=").decode()


def _unb64(part: str) -> dict:
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


@pytest.fixture
def upstream_calls() -> list[str]:
    return []


@pytest.fixture
async def edge_app(make_app, upstream_calls, region):
    """A gateway in front of a registry that records every request reaching it."""
    registry = FastAPI()

    @registry.get("/anything")
    async def anything(request: Request) -> dict:
        upstream_calls.append(request.headers.get("authorization", ""))
        return {"ok": True}

    async with make_app(upstreams={"registry": httpx.ASGITransport(app=registry)}) as app:
        yield app


@pytest.fixture
async def edge(edge_app, open_client):
    async with open_client(edge_app) as client:
        yield client


@pytest.fixture
def gateway_of_edge(edge_app):
    return edge_app.state.gateway


async def _valid_token(client) -> str:
    r = await client.post("/api/auth/login", json={"login": "economist", "password": "demo"})
    return r.json()["access_token"]


async def _assert_rejected_at_edge(client, token: str, upstream_calls: list[str]) -> None:
    headers = {"Authorization": f"Bearer {token}"}
    own = await client.get("/api/auth/me", headers=headers)
    assert own.status_code == 401, own.text
    assert own.headers["content-type"] == "application/problem+json"
    proxied = await client.get("/api/registry/anything", headers=headers)
    assert proxied.status_code == 401, proxied.text
    assert proxied.headers["content-type"] == "application/problem+json"
    assert upstream_calls == []


async def test_a_valid_token_passes_the_edge(edge, upstream_calls):
    token = await _valid_token(edge)
    r = await edge.get("/api/registry/anything", headers={"Authorization": f"Bearer {token}"})
    assert r.status_code == 200
    assert upstream_calls == [f"Bearer {token}"]


async def test_tampered_payload_is_rejected(edge, upstream_calls):
    header, payload, signature = (await _valid_token(edge)).split(".")
    claims = _unb64(payload)
    claims["roles"], claims["perms"] = ["admin"], ["*"]
    await _assert_rejected_at_edge(edge, f"{header}.{_b64(claims)}.{signature}", upstream_calls)


async def test_expired_token_is_rejected(edge, gateway_of_edge, upstream_calls):
    valid = jwt.get_unverified_claims(await _valid_token(edge))
    issued = await gateway_of_edge.issuer.access_token(
        subject=valid["sub"],
        org_id=valid["org"],
        org_type="mo",
        roles=["mo_economist"],
        ttl_seconds=-60,  # beyond the 10 s leeway
    )
    await _assert_rejected_at_edge(edge, issued.token, upstream_calls)


async def test_alg_none_is_rejected(edge, upstream_calls):
    token = await _valid_token(edge)
    header = jwt.get_unverified_header(token)
    claims = jwt.get_unverified_claims(token)
    forged = (
        f"{_b64({'alg': 'none', 'typ': 'JWT', 'kid': header['kid']})}.{_b64({**claims, 'perms': ['*']})}."
    )
    await _assert_rejected_at_edge(edge, forged, upstream_calls)


@pytest.mark.parametrize("encoding", ["pem", "der"])
async def test_hs256_signed_with_the_public_key_is_rejected(edge, upstream_calls, encoding):
    token = await _valid_token(edge)
    kid = jwt.get_unverified_header(token)["kid"]
    jwks = (await edge.get("/api/auth/.well-known/jwks.json")).json()
    public_pem = jwk.construct(next(k for k in jwks["keys"] if k["kid"] == kid), "RS256").to_pem()
    public = serialization.load_pem_public_key(public_pem)
    secret = (
        public_pem
        if encoding == "pem"
        else public.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    claims = {**jwt.get_unverified_claims(token), "perms": ["*"]}
    signing_input = f"{_b64({'alg': 'HS256', 'typ': 'JWT', 'kid': kid})}.{_b64(claims)}"
    mac = hmac.new(secret, signing_input.encode(), hashlib.sha256).digest()
    forged = f"{signing_input}.{base64.urlsafe_b64encode(mac).rstrip(b'=').decode()}"
    await _assert_rejected_at_edge(edge, forged, upstream_calls)


async def test_token_of_another_issuer_key_is_rejected(edge, upstream_calls, tokens):
    # Well-formed RS256 from a key the gateway never published.
    await _assert_rejected_at_edge(edge, tokens.token(roles=["admin"], perms=["*"]), upstream_calls)


async def test_malformed_authorization_is_rejected(edge, upstream_calls):
    for value in ("Bearer", "Basic dXNlcjpwYXNz", "Bearer not.a.token"):
        r = await edge.get("/api/registry/anything", headers={"Authorization": value})
        assert r.status_code == 401, value
    assert upstream_calls == []
