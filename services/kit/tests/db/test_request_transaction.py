"""The request owns one transaction, and its outcome is the response's outcome."""

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import text

from oms_kit.db import Database, DbSession
from oms_kit.errors import install_problem_handlers
from oms_kit.testing.postgres import create_database, drop_database, sqlalchemy_url, unique_name


@pytest.fixture
async def database(postgres_dsn: str) -> AsyncIterator[Database]:
    name = unique_name("t_kit_tx")
    await create_database(postgres_dsn, name)
    db = Database(sqlalchemy_url(postgres_dsn, name))
    async with db.engine.begin() as conn:
        # Checked only at COMMIT: a failure that surfaces after the endpoint has returned.
        await conn.execute(
            text(
                "CREATE TABLE item (code text, "
                "CONSTRAINT uq_code UNIQUE (code) DEFERRABLE INITIALLY DEFERRED)"
            )
        )
    yield db
    await db.dispose()
    await drop_database(postgres_dsn, name)


def make_app(database: Database) -> FastAPI:
    app = FastAPI()
    app.state.database = database
    install_problem_handlers(app)

    @app.post("/items/{code}")
    async def add(code: str, session: DbSession, times: int = 1) -> dict[str, str]:
        for _ in range(times):
            await session.execute(text("INSERT INTO item (code) VALUES (:c)"), {"c": code})
        return {"status": "created"}

    return app


async def count(database: Database) -> int:
    async with database.engine.connect() as conn:
        return int((await conn.execute(text("SELECT count(*) FROM item"))).scalar_one())


async def test_success_is_committed_before_the_response(database):
    transport = httpx.ASGITransport(app=make_app(database), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        r = await client.post("/items/a")
    assert r.status_code == 200
    assert await count(database) == 1


async def test_failed_commit_is_the_response_and_nothing_is_written(database):
    transport = httpx.ASGITransport(app=make_app(database), raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://t") as client:
        r = await client.post("/items/dup", params={"times": 2})
    assert r.status_code == 500
    assert r.headers["content-type"] == "application/problem+json"
    assert await count(database) == 0
