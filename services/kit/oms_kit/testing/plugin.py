"""pytest plugin loaded for the whole repository (``-p oms_kit.testing.plugin``).

- ``postgres_dsn``: a superuser DSN of a real PostgreSQL (machine's, or embedded).
- ``migrated_database(service_dir)``: a fresh database with the service's migrations,
  one per service per test run (unique names, so parallel runs never collide), dropped after.
- ``db_session_for(url)``: a session in a transaction rolled back after the test.
- ``tokens``: a ``TokenFactory``.
- ``rabbitmq_url``: the real broker; with ``CI=true`` its absence fails instead of skipping.
- ``run_id``: a unique id to isolate broker exchanges and queues per test run.
"""

from __future__ import annotations

import asyncio
import os
import socket
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path

import pytest
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from oms_kit.migrations import upgrade
from oms_kit.testing.postgres import admin_dsn, create_database, drop_database, sqlalchemy_url, unique_name
from oms_kit.testing.tokens import TokenFactory

REPO_ROOT = Path(__file__).resolve().parents[4]
RABBITMQ_URL = os.environ.get("OMS_TEST_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672/")


@pytest.fixture(scope="session")
def repo_root() -> Path:
    return REPO_ROOT


@pytest.fixture(scope="session")
def postgres_dsn() -> str:
    return admin_dsn(REPO_ROOT)


@pytest.fixture(scope="session")
def run_id() -> str:
    return uuid.uuid4().hex[:8]


@pytest.fixture(scope="session")
async def migrated_database(
    postgres_dsn: str,
) -> AsyncIterator[Callable[[Path], Awaitable[str]]]:
    created: dict[Path, str] = {}
    names: list[str] = []

    async def make(service_dir: Path) -> str:
        if service_dir not in created:
            name = unique_name(f"t_{service_dir.name}")
            await create_database(postgres_dsn, name)
            names.append(name)
            url = sqlalchemy_url(postgres_dsn, name)
            await asyncio.to_thread(upgrade, service_dir, url)
            created[service_dir] = url
        return created[service_dir]

    yield make
    for name in names:
        await drop_database(postgres_dsn, name)


@pytest.fixture(scope="session")
async def fresh_database(postgres_dsn: str) -> AsyncIterator[Callable[[Path], Awaitable[str]]]:
    """Like ``migrated_database`` but a new database on every call (for tests that commit)."""
    names: list[str] = []

    async def make(service_dir: Path) -> str:
        name = unique_name(f"t_{service_dir.name}")
        await create_database(postgres_dsn, name)
        names.append(name)
        url = sqlalchemy_url(postgres_dsn, name)
        await asyncio.to_thread(upgrade, service_dir, url)
        return url

    yield make
    for name in names:
        await drop_database(postgres_dsn, name)


@asynccontextmanager
async def rollback_session(url: str) -> AsyncIterator[AsyncSession]:
    """A session whose work is rolled back at the end, even what the code under test
    'commits' (it commits a savepoint)."""
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            outer = await conn.begin()
            session = AsyncSession(
                bind=conn, join_transaction_mode="create_savepoint", expire_on_commit=False
            )
            try:
                yield session
            finally:
                await session.close()
                await outer.rollback()
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def tokens() -> TokenFactory:
    return TokenFactory()


def _rabbit_answers() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 5672), timeout=1.0):
            return True
    except OSError:
        return False


@pytest.fixture(scope="session")
def rabbitmq_url() -> str:
    if not _rabbit_answers() and "OMS_TEST_BROKER_URL" not in os.environ:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("RabbitMQ does not answer on 127.0.0.1:5672 and CI=true: nothing may be skipped")
        pytest.skip("RabbitMQ does not answer on 127.0.0.1:5672")
    return RABBITMQ_URL
