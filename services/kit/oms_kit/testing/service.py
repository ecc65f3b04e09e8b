"""The fixtures every service's tests start from, built by ``service_fixtures``.

A service's ``tests/conftest.py``::

    from pathlib import Path

    from oms_kit.testing.service import service_fixtures
    from pharmacy.config import Settings
    from pharmacy.main import create_app

    service_dir, database_url, session, app, client = service_fixtures(
        Path(__file__).resolve().parents[1], create_app, Settings
    )

- ``service_dir``: ``services/<service>`` (its ``migrations/`` beside the package);
- ``database_url``: a database with the service's migrations, one per test run;
- ``session``: a session on it whose work is rolled back after the test;
- ``app``: the service's app, started (lifespan entered), with an in-process bus, the
  ``tokens`` fixture's keys, and every request served on ``session``;
- ``client``: an ``httpx.AsyncClient`` talking to ``app``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any, NamedTuple, Protocol

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.auth.tokens import JwksSource
from oms_kit.db import get_session
from oms_kit.events.bus import EventBus
from oms_kit.events.inprocess import InProcessBus
from oms_kit.settings import ServiceSettings
from oms_kit.testing.plugin import rollback_session
from oms_kit.testing.tokens import TokenFactory


class AppFactory(Protocol):
    """A service's ``create_app``."""

    def __call__(
        self, settings: Any, *, bus: EventBus | None = ..., jwks: JwksSource | None = ...
    ) -> FastAPI: ...


class ServiceFixtures(NamedTuple):
    service_dir: Any
    database_url: Any
    session: Any
    app: Any
    client: Any


def service_fixtures(
    service_dir: Path, create_app: AppFactory, settings: type[ServiceSettings]
) -> ServiceFixtures:
    """The fixtures above for the service in ``service_dir``; assign them to names of the same
    name in a ``conftest.py`` (pytest finds fixtures by module attribute)."""
    # By the variable's own name (``OMS_PHARMACY_DATABASE_URL``), so it wins over the environment.
    alias = settings.model_fields["database_url"].validation_alias
    url_key = alias if isinstance(alias, str) else "database_url"

    @pytest.fixture(name="service_dir", scope="session")
    def service_dir_fixture() -> Path:
        return service_dir

    @pytest.fixture(name="database_url", scope="session")
    async def database_url_fixture(migrated_database: Callable[[Path], Awaitable[str]]) -> str:
        return await migrated_database(service_dir)

    @pytest.fixture(name="session")
    async def session_fixture(database_url: str) -> AsyncIterator[AsyncSession]:
        async with rollback_session(database_url) as s:
            yield s

    @pytest.fixture(name="app")
    async def app_fixture(
        database_url: str, session: AsyncSession, tokens: TokenFactory
    ) -> AsyncIterator[FastAPI]:
        values: dict[str, Any] = {url_key: database_url, "env": "test"}
        application = create_app(settings(**values), bus=InProcessBus(), jwks=tokens.jwks_source())

        async def test_session() -> AsyncIterator[AsyncSession]:
            yield session

        application.dependency_overrides[get_session] = test_session
        async with application.router.lifespan_context(application):
            yield application

    @pytest.fixture(name="client")
    async def client_fixture(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url=f"http://{service_dir.name}") as c:
            yield c

    return ServiceFixtures(
        service_dir_fixture, database_url_fixture, session_fixture, app_fixture, client_fixture
    )
