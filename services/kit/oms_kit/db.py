"""Async SQLAlchemy: a declarative base per service, engine lifecycle, and the request-owned
transaction. Services and repositories never commit; the session dependency does."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import Depends, Request
from sqlalchemy import MetaData, event, exc
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.orm import DeclarativeBase

NAMING_CONVENTION: dict[str, str] = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def new_metadata() -> MetaData:
    return MetaData(naming_convention=NAMING_CONVENTION)


class KitBase(DeclarativeBase):
    """Tables every service database has (outbox, inbox, audit log). Services keep their own
    base (``class Base(DeclarativeBase): metadata = new_metadata()``) so that four services
    can live in one process without their table names colliding."""

    metadata = new_metadata()


# A pooled connection that sat idle longer than this is pinged before it is handed out.
IDLE_PING_SECONDS = 5.0


class Database:
    """Owns one engine and its session factory; created in the app's lifespan."""

    def __init__(
        self,
        url: str,
        *,
        pool_size: int = 10,
        echo: bool = False,
        idle_ping_seconds: float = IDLE_PING_SECONDS,
    ) -> None:
        self.url = url
        self.engine: AsyncEngine = create_async_engine(
            url,
            pool_size=pool_size,
            max_overflow=pool_size,
            echo=echo,
            # No JIT: it compiles a big query for a second or more (1.4 s of a 2.1 s batch
            # read of the verification rules), which a service's short queries and bulk
            # steps never win back.
            connect_args={"server_settings": {"jit": "off"}},
        )
        ping_idle_connections(self.engine, idle_ping_seconds)
        self.sessions: async_sessionmaker[AsyncSession] = async_sessionmaker(
            self.engine, expire_on_commit=False, autoflush=False
        )

    async def dispose(self) -> None:
        await self.engine.dispose()


def ping_idle_connections(engine: AsyncEngine, idle_seconds: float) -> None:
    """Pessimistic disconnect handling, paid only where it helps: a connection that sat in the
    pool longer than ``idle_seconds`` (a restarted or failed-over server, a firewall's idle
    timeout) is pinged at checkout and, if dead, replaced — the request never sees it. A
    connection back from a request moments ago is handed out as is: ``pool_pre_ping`` pinged
    every checkout, one more round trip per request, measured at ~10 % of a dispense's Python
    through the API. If such a connection turns out dead after all, the statement fails as a
    disconnect and SQLAlchemy invalidates the whole pool, so the next request reconnects."""
    pool = engine.sync_engine.pool
    dialect = engine.dialect

    @event.listens_for(pool, "connect")
    def _connected(dbapi_connection: Any, record: Any) -> None:
        record.info["oms_returned_at"] = time.monotonic()

    @event.listens_for(pool, "checkin")
    def _returned(dbapi_connection: Any, record: Any) -> None:
        record.info["oms_returned_at"] = time.monotonic()

    @event.listens_for(pool, "checkout")
    def _handed_out(dbapi_connection: Any, record: Any, proxy: Any) -> None:
        if time.monotonic() - record.info.get("oms_returned_at", 0.0) <= idle_seconds:
            return
        try:
            dialect.do_ping(dbapi_connection)
        except Exception as error:
            # the pool discards this connection and checks out another (up to three tries)
            raise exc.DisconnectionError("idle pooled connection is dead") from error


async def asyncpg_connection(session: AsyncSession) -> Any:
    """The asyncpg connection under ``session``, inside the session's transaction (for COPY, bulk
    statements, and hot paths that skip SQLAlchemy's per-statement layer). SQLAlchemy's asyncpg
    adapter sends BEGIN lazily, with its first statement; if none has gone yet, the adapter's own
    start sends it here, so the raw statements are inside the transaction and commit or roll
    back with the session (tested: ``tests/db/test_asyncpg_connection.py``; the adapter's
    ``_transaction``/``_start_transaction`` are SQLAlchemy's, pinned by the lock file)."""
    connection = await session.connection()
    raw = await connection.get_raw_connection()
    adapted: Any = raw.dbapi_connection
    if adapted._transaction is None:
        await adapted._start_transaction()
    return raw.driver_connection


def database_of(request: Request) -> Database:
    db: Any = request.app.state.database
    assert isinstance(db, Database)
    return db


async def get_session(request: Request) -> AsyncIterator[AsyncSession]:
    """The one transaction of a request: committed when the endpoint returns normally,
    rolled back on any error, so nothing is half-written."""
    async with database_of(request).sessions() as session, session.begin():
        yield session


# ``scope="function"``: FastAPI (≥ 0.121) otherwise runs the code after ``yield`` only once the
# response is on its way, so a failed commit would follow a 200. With it, the commit happens
# before the response is sent and its failure becomes the response.
DbSession = Annotated[AsyncSession, Depends(get_session, scope="function")]
