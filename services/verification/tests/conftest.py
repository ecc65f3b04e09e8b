from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from oms_kit.db import get_session
from oms_kit.events.inprocess import InProcessBus
from oms_kit.testing.plugin import rollback_session
from oms_kit.testing.tokens import TokenFactory
from verification.config import Settings
from verification.main import create_app

SERVICE_DIR = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
async def database_url(migrated_database) -> str:
    return await migrated_database(SERVICE_DIR)


@pytest.fixture
async def session(database_url: str):
    async with rollback_session(database_url) as s:
        yield s


@pytest.fixture
async def app(database_url: str, session, tokens: TokenFactory) -> AsyncIterator[FastAPI]:
    application = create_app(
        Settings(OMS_VERIFICATION_DATABASE_URL=database_url, env="test"),
        bus=InProcessBus(),
        jwks=tokens.jwks_source(),
    )

    async def test_session():
        yield session

    application.dependency_overrides[get_session] = test_session
    async with application.router.lifespan_context(application):
        yield application


@pytest.fixture
async def client(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://verification") as c:
        yield c
