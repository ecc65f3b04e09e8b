import asyncio
import contextlib
import hashlib
import socket
import tracemalloc
from collections.abc import AsyncIterator

import httpx
import pytest
import uvicorn
from fastapi import FastAPI

MB = 1024 * 1024
CHUNK = 64 * 1024


def _header(seen: dict, name: str) -> list[str]:
    return [v for k, v in seen["headers"] if k.lower() == name.lower()]


async def test_request_is_forwarded_with_request_id_and_authorization(proxy_client, upstream_log, auth_as):
    headers = {
        **(await auth_as("doctor")),
        "X-Request-ID": "req-12345",
        "X-Forwarded-For": "6.6.6.6",
        "Connection": "keep-alive, X-Hop",
        "X-Hop": "secret-for-the-next-hop-only",
        "Accept": "application/json",
    }
    r = await proxy_client.post(
        "/api/registry/echo/a%2Fb/c?q=%D0%98%D0%B2&x=1&x=2", content=b"payload", headers=headers
    )
    assert r.status_code == 201, r.text
    (seen,) = upstream_log.requests
    assert seen["method"] == "POST"
    assert seen["raw_path"] == "/echo/a%2Fb/c"  # percent-encoding survives
    assert seen["query"] == "q=%D0%98%D0%B2&x=1&x=2"
    assert seen["body"] == "payload"
    assert _header(seen, "authorization") == [headers["Authorization"]]
    assert _header(seen, "x-request-id") == ["req-12345"]
    assert _header(seen, "accept") == ["application/json"]
    assert _header(seen, "x-hop") == []  # named in Connection: hop-by-hop
    assert "X-Hop" not in " ".join(_header(seen, "connection"))  # httpx sets its own for its hop
    # the peer the gateway saw is appended to the chain (nginx in front sets the first entry)
    assert _header(seen, "x-forwarded-for") == ["6.6.6.6, 127.0.0.1"]
    assert _header(seen, "x-forwarded-prefix") == ["/api/registry"]

    assert r.headers["x-request-id"] == "req-12345"
    assert r.headers["x-upstream"] == "fake"
    assert r.headers.get_list("set-cookie") == ["a=1", "b=2"]
    assert "keep-alive" not in r.headers


async def test_request_id_is_generated_when_missing(proxy_client, upstream_log, auth_as):
    r = await proxy_client.get("/api/registry/echo/x", headers=await auth_as("doctor"))
    (seen,) = upstream_log.requests
    assert _header(seen, "x-request-id") == [r.headers["x-request-id"]]
    assert len(r.headers["x-request-id"]) >= 16


async def test_anonymous_requests_reach_the_service_without_credentials(proxy_client, upstream_log):
    r = await proxy_client.get("/api/registry/echo/public")
    assert r.status_code == 200
    (seen,) = upstream_log.requests
    assert _header(seen, "authorization") == []


async def _body(total: int) -> AsyncIterator[bytes]:
    for _ in range(total // CHUNK):
        yield b"u" * CHUNK


def _expected_digest(total: int) -> str:
    digest = hashlib.sha256()
    for _ in range(total // CHUNK):
        digest.update(b"u" * CHUNK)
    return digest.hexdigest()


async def test_a_large_upload_is_streamed_not_buffered(proxy_client, upstream_log, auth_as):
    size = 50 * MB
    headers = {**(await auth_as("doctor")), "Content-Type": "application/octet-stream"}
    tracemalloc.start()
    try:
        r = await proxy_client.post("/api/registry/upload", content=_body(size), headers=headers)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert r.status_code == 200, r.text
    result = r.json()
    assert result["bytes"] == size
    assert result["sha256"] == _expected_digest(size)
    # the service got the body piece by piece, as the client sent it
    assert result["chunks"] >= size // CHUNK // 2
    assert peak < 16 * MB, f"peak {peak / MB:.1f} MB for a {size / MB:.0f} MB upload"


async def test_a_slow_service_is_a_504(proxy_client, auth_as):
    r = await proxy_client.get("/api/registry/slow", headers=await auth_as("doctor"))
    assert r.status_code == 504
    assert r.headers["content-type"] == "application/problem+json"
    problem = r.json()
    assert problem["type"] == "urn:oms:problem:upstream-timeout"
    assert "registry" in problem["detail"]


async def test_unknown_or_unconfigured_service_is_a_404(proxy_client, auth_as):
    headers = await auth_as("doctor")
    for path in ("/api/nosuch/thing", "/api/finance/reports", "/api/admin/nothing-here"):
        r = await proxy_client.get(path, headers=headers)
        assert r.status_code == 404, path
        assert r.headers["content-type"] == "application/problem+json"


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_an_unreachable_service_is_a_502(make_app, open_client, region):
    async with (
        make_app(upstreams={"finance": f"http://127.0.0.1:{_closed_port()}"}) as app,
        open_client(app) as c,
    ):
        token = (await c.post("/api/auth/login", json={"login": "economist", "password": "demo"})).json()
        r = await c.get("/api/finance/reports", headers={"Authorization": f"Bearer {token['access_token']}"})
    assert r.status_code == 502
    assert r.headers["content-type"] == "application/problem+json"
    assert r.json()["type"] == "urn:oms:problem:upstream-unavailable"


def test_unknown_upstream_names_fail_at_creation(settings):
    from gateway.main import create_app

    with pytest.raises(ValueError, match="unknown upstream"):
        create_app(settings(), upstreams={"billing": "http://127.0.0.1:1"})


def test_upstreams_come_from_settings_in_the_distributed_mode(settings, monkeypatch):
    monkeypatch.setenv("OMS_GATEWAY_UPSTREAM_PHARMACY", "http://pharmacy:8000")
    assert settings().upstream_urls() == {"pharmacy": "http://pharmacy:8000"}


# --- distributed mode: real sockets on both sides of the gateway ----------------------------


@contextlib.asynccontextmanager
async def _served(app: FastAPI) -> AsyncIterator[str]:
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=0, lifespan="off", log_level="warning")
    )
    task = asyncio.create_task(server.serve())
    try:
        while not server.started:  # noqa: ASYNC110  (uvicorn offers only this flag)
            await asyncio.sleep(0.01)
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


async def test_distributed_mode_streams_both_ways_through_real_sockets(
    make_app, make_upstream, upstream_log, region
):
    size = 50 * MB
    async with (
        _served(make_upstream(upstream_log)) as upstream_url,
        make_app(upstreams={"registry": upstream_url}) as gateway_app,
        _served(gateway_app) as url,
        httpx.AsyncClient(base_url=url, timeout=60) as client,
    ):
        login = await client.post("/api/auth/login", json={"login": "doctor", "password": "demo"})
        auth = {"Authorization": f"Bearer {login.json()['access_token']}"}
        tracemalloc.start()
        try:
            up = await client.post("/api/registry/upload", content=_body(size), headers=auth)
            received = 0
            async with client.stream("GET", "/api/registry/download?mb=50", headers=auth) as down:
                assert down.status_code == 200
                async for chunk in down.aiter_raw():
                    received += len(chunk)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert up.status_code == 200, up.text
    assert up.json()["bytes"] == size
    assert up.json()["sha256"] == _expected_digest(size)
    assert received == size
    assert peak < 16 * MB, f"peak {peak / MB:.1f} MB for 50 MB each way"


async def test_a_client_that_goes_away_mid_upload_is_a_499_not_an_error(proxy_app, auth_as, proxy_client):
    """An ASGI client that announces a body and disconnects after the first chunk."""
    token = (await auth_as("doctor"))["Authorization"].encode()
    messages = [
        {"type": "http.request", "body": b"x" * CHUNK, "more_body": True},
        {"type": "http.disconnect"},
    ]
    sent: list[dict] = []

    async def receive() -> dict:
        return messages.pop(0) if messages else {"type": "http.disconnect"}

    async def send(message: dict) -> None:
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": "/api/registry/upload",
        "raw_path": b"/api/registry/upload",
        "query_string": b"",
        "root_path": "",
        "headers": [
            (b"host", b"gateway"),
            (b"content-length", str(10 * CHUNK).encode()),
            (b"authorization", token),
        ],
        "client": ("127.0.0.1", 5000),
        "server": ("gateway", 80),
    }
    await proxy_app(scope, receive, send)
    assert sent[0]["type"] == "http.response.start"
    assert sent[0]["status"] == 499
