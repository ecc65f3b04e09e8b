"""Gateway tests run against a real PostgreSQL with the migrations applied. The gateway's
state spans requests (login → refresh → reuse, keys, usage flushes), so requests really
commit, and every table is emptied after each test instead of rolling back one session."""

from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
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
