"""Dead pooled connections: an idle one is pinged and replaced before a request sees it; a busy
one is not pinged (no round trip per request), and a dead one among those costs one failed
statement, after which the pool reconnects."""

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import create_async_engine
from sqlalchemy.pool import NullPool

from oms_kit.db import Database
from oms_kit.testing.postgres import create_database, drop_database, sqlalchemy_url, unique_name


@pytest.fixture
async def url(postgres_dsn: str) -> AsyncIterator[str]:
    name = unique_name("t_kit_ping")
    await create_database(postgres_dsn, name)
    yield sqlalchemy_url(postgres_dsn, name)
    await drop_database(postgres_dsn, name)


async def backend_pid(database: Database) -> int:
    async with database.sessions() as session:
        return int((await session.execute(text("SELECT pg_backend_pid()"))).scalar_one())


async def terminate(database: Database, pid: int) -> None:
    """Kill the server side of a pooled connection from a connection of another engine."""
    other = create_async_engine(database.url, poolclass=NullPool)
    try:
        async with other.connect() as conn:
            assert await conn.scalar(text("SELECT pg_terminate_backend(:p)"), {"p": pid}) is True
    finally:
        await other.dispose()


async def test_an_idle_dead_connection_is_replaced_before_use(url: str) -> None:
    database = Database(url, pool_size=1, idle_ping_seconds=0.0)
    try:
        pid = await backend_pid(database)
        await terminate(database, pid)
        # pinged at checkout, found dead, replaced: the request's statement succeeds
        assert await backend_pid(database) != pid
    finally:
        await database.dispose()


async def test_a_recently_used_connection_is_not_pinged(url: str) -> None:
    database = Database(url, pool_size=1, idle_ping_seconds=3600.0)
    try:
        pid = await backend_pid(database)
        await terminate(database, pid)
        # no ping: the statement meets the dead connection and fails as a disconnect ...
        with pytest.raises(DBAPIError) as failure:
            await backend_pid(database)
        assert failure.value.connection_invalidated
        # ... and the pool, invalidated, reconnects for the next request
        assert await backend_pid(database) != pid
    finally:
        await database.dispose()
