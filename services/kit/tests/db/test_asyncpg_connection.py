"""The raw asyncpg connection of a session is inside the session's transaction: what is
written through it commits or rolls back with the session."""

from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text

from oms_kit.db import Database, asyncpg_connection
from oms_kit.testing.postgres import create_database, drop_database, sqlalchemy_url, unique_name


@pytest.fixture
async def database(postgres_dsn: str) -> AsyncIterator[Database]:
    name = unique_name("t_kit_raw")
    await create_database(postgres_dsn, name)
    db = Database(sqlalchemy_url(postgres_dsn, name), pool_size=1)
    async with db.engine.begin() as conn:
        await conn.execute(text("CREATE TABLE item (code text PRIMARY KEY)"))
    yield db
    await db.dispose()
    await drop_database(postgres_dsn, name)


async def codes(database: Database) -> list[str]:
    async with database.sessions() as session:
        return list((await session.scalars(text("SELECT code FROM item ORDER BY code"))).all())


async def test_first_statement_raw_rolls_back_with_the_session(database: Database) -> None:
    async with database.sessions() as session, session.begin():
        raw = await asyncpg_connection(session)
        assert raw.is_in_transaction()
        await raw.execute("INSERT INTO item VALUES ('raw')")
        await session.execute(text("INSERT INTO item VALUES ('orm')"))
        await session.rollback()
    assert await codes(database) == []


async def test_raw_after_orm_statements_commits_with_the_session(database: Database) -> None:
    async with database.sessions() as session, session.begin():
        await session.execute(text("INSERT INTO item VALUES ('orm')"))
        raw = await asyncpg_connection(session)
        await raw.execute("INSERT INTO item VALUES ('raw')")
    assert await codes(database) == ["orm", "raw"]


async def test_raw_first_then_orm_commits_together(database: Database) -> None:
    async with database.sessions() as session, session.begin():
        raw = await asyncpg_connection(session)
        await raw.execute("INSERT INTO item VALUES ('raw')")
        await session.execute(text("INSERT INTO item VALUES ('orm')"))
        # the lock the raw statement took is the session's: another connection would wait
        assert raw.is_in_transaction()
    assert await codes(database) == ["orm", "raw"]
