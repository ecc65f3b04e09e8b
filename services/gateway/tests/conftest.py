"""Gateway tests run against a real PostgreSQL with the migrations applied. The gateway's
state spans requests (login → refresh → reuse, keys, usage flushes), so requests really
commit, and every table is emptied after each test instead of rolling back one session."""

import asyncio
import hashlib
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI, Request, Response
from fastapi.responses import JSONResponse, StreamingResponse
from pydantic import BaseModel
from sqlalchemy import text

from gateway.config import Settings
from gateway.demo import DemoLogins, seed
from gateway.main import create_app
from gateway.runtime import Gateway
from oms_kit.db import Database
from oms_kit.events.inprocess import InProcessBus

SERVICE_DIR = Path(__file__).resolve().parents[1]
TABLES = (
    "api_key, refresh_token, user_account, signing_key, organization, outbox_event, inbox_event, audit_log"
)

AppFactory = Callable[..., AbstractAsyncContextManager[FastAPI]]


@pytest.fixture(scope="session")
async def database_url(migrated_database) -> str:
    return await migrated_database(SERVICE_DIR)


@pytest.fixture
async def database(database_url: str) -> AsyncIterator[Database]:
    db = Database(database_url, pool_size=2)
    try:
        yield db
    finally:
        async with db.sessions() as session, session.begin():
            await session.execute(text(f"TRUNCATE {TABLES} CASCADE"))
        await db.dispose()


@pytest.fixture
def settings(database_url: str) -> Callable[..., Settings]:
    def make(**overrides: Any) -> Settings:
        values: dict[str, Any] = {
            "database_url": database_url,
            "env": "test",
            "db_pool_size": 5,
            "openapi_cache_seconds": 0,
            **overrides,
        }
        return Settings(**values)

    return make


@pytest.fixture
def make_app(database: Database, settings: Callable[..., Settings]) -> AppFactory:
    """``async with make_app(upstreams=..., **settings) as app`` — the app with its lifespan."""

    @asynccontextmanager
    async def make(
        upstreams: Mapping[str, httpx.AsyncBaseTransport | str] | None = None, **overrides: Any
    ) -> AsyncIterator[FastAPI]:
        application = create_app(settings(**overrides), bus=InProcessBus(), upstreams=upstreams or {})
        async with application.router.lifespan_context(application):
            yield application

    return make


@pytest.fixture
async def app(make_app: AppFactory) -> AsyncIterator[FastAPI]:
    async with make_app() as application:
        yield application


def client_for(app: FastAPI) -> httpx.AsyncClient:
    return httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://gateway")


@pytest.fixture
def open_client() -> Callable[[FastAPI], httpx.AsyncClient]:
    return client_for


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(app) as c:
        yield c


@pytest.fixture
def gateway(app: FastAPI) -> Gateway:
    state = app.state.gateway
    assert isinstance(state, Gateway)
    return state


@pytest.fixture
async def region(database: Database) -> DemoLogins:
    """The demo region: logins ``admin``, ``economist``, ``doctor``, ``doctor2``… password ``demo``."""
    async with database.sessions() as session, session.begin():
        return await seed(session)


@pytest.fixture
def login_as(client: httpx.AsyncClient) -> Callable[..., Any]:
    async def login(user: str, password: str = "demo") -> dict[str, Any]:
        response = await client.post("/api/auth/login", json={"login": user, "password": password})
        assert response.status_code == 200, response.text
        body: dict[str, Any] = response.json()
        return body

    return login


@pytest.fixture
def auth_as(login_as: Callable[..., Any]) -> Callable[..., Any]:
    async def auth(user: str, password: str = "demo") -> dict[str, str]:
        tokens = await login_as(user, password)
        return {"Authorization": f"Bearer {tokens['access_token']}"}

    return auth


# --- a service behind the gateway ------------------------------------------------------------
# Not a mock of infrastructure: a tiny real upstream app that reports what reached it.

CHUNK = 64 * 1024


@dataclass
class UpstreamLog:
    requests: list[dict[str, Any]] = field(default_factory=list)
    uploads: list[dict[str, Any]] = field(default_factory=list)


class Item(BaseModel):
    id: int
    name: str


def fake_upstream(log: UpstreamLog) -> FastAPI:
    upstream = FastAPI(title="fake registry")

    async def echo(request: Request, rest: str) -> Response:
        seen = {
            "method": request.method,
            "raw_path": request.scope["raw_path"].decode(),
            "query": request.scope["query_string"].decode(),
            "headers": [(k.decode(), v.decode()) for k, v in request.headers.raw],
            "body": (await request.body()).decode(),
        }
        log.requests.append(seen)
        response = JSONResponse(seen, status_code=201 if request.method == "POST" else 200)
        response.headers.append("Set-Cookie", "a=1")
        response.headers.append("Set-Cookie", "b=2")
        response.headers["Keep-Alive"] = "timeout=5"
        response.headers["X-Upstream"] = "fake"
        return response

    for method in ("GET", "POST", "PUT", "DELETE"):
        upstream.add_api_route(
            "/echo/{rest:path}", echo, methods=[method], operation_id=f"echo-{method.lower()}", tags=["echo"]
        )

    @upstream.post("/upload", tags=["files"])
    async def upload(request: Request) -> dict[str, Any]:
        chunks = size = 0
        digest = hashlib.sha256()
        async for chunk in request.stream():
            if chunk:
                chunks += 1
                size += len(chunk)
                digest.update(chunk)
        result = {"chunks": chunks, "bytes": size, "sha256": digest.hexdigest()}
        log.uploads.append(result)
        return result

    @upstream.get("/download", tags=["files"])
    async def download(mb: int) -> StreamingResponse:
        async def body() -> AsyncIterator[bytes]:
            for _ in range(mb * 1024 * 1024 // CHUNK):
                yield b"d" * CHUNK

        return StreamingResponse(body(), media_type="application/octet-stream")

    @upstream.get("/slow", tags=["echo"])
    async def slow() -> dict[str, bool]:
        await asyncio.sleep(5)
        return {"late": True}

    @upstream.get("/items", operation_id="organization-list", tags=["items"])  # clashes with the gateway's
    async def items() -> list[Item]:
        return [Item(id=1, name="one")]

    @upstream.post("/items", operation_id="item-create", tags=["items"])
    async def create_item(item: Item) -> Item:
        return item

    return upstream


@pytest.fixture
def upstream_log() -> UpstreamLog:
    return UpstreamLog()


@pytest.fixture
def make_upstream() -> Callable[[UpstreamLog], FastAPI]:
    return fake_upstream


@pytest.fixture
async def proxy_app(
    make_app: AppFactory, upstream_log: UpstreamLog, region: DemoLogins
) -> AsyncIterator[FastAPI]:
    """The gateway with the fake service as ``registry`` (in-process) and a short timeout."""
    transport = httpx.ASGITransport(app=fake_upstream(upstream_log))
    async with make_app(upstreams={"registry": transport}, upstream_timeout_seconds=0.5) as application:
        yield application


@pytest.fixture
async def proxy_client(proxy_app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    async with client_for(proxy_app) as c:
        yield c
