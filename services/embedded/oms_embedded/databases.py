"""One database per service: their URLs, creation when missing, and migrations."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from oms_embedded.services import ALL_SERVICES, SERVICES
from oms_kit.migrations import upgrade_async

log = logging.getLogger("oms.embedded.databases")


def database_urls(explicit: Mapping[str, str], admin_dsn: str | None) -> dict[str, str]:
    """SQLAlchemy URLs of the five databases: explicit ones as given, the others
    ``oms_<service>`` on the server of ``admin_dsn`` (unix sockets are kept in ``?host=``)."""
    urls = dict(explicit)
    for name in ALL_SERVICES:
        if name not in urls:
            if admin_dsn is None:
                raise ValueError(f"Нет адреса базы данных для {name}")
            urls[name] = asyncpg_url(admin_dsn, SERVICES[name].database)
    return urls


def asyncpg_url(dsn: str, database: str) -> str:
    """The SQLAlchemy URL of ``database`` on the server of a libpq ``dsn``."""
    url = make_url(dsn).set(drivername="postgresql+asyncpg", database=database)
    return url.render_as_string(hide_password=False)


def _maintenance_dsn(url: str) -> tuple[str, str]:
    """A libpq DSN of the ``postgres`` database on the server of ``url``, and the database
    that ``url`` names."""
    parsed = make_url(url)
    if not parsed.database:
        raise ValueError(f"В адресе базы данных нет её имени: {parsed!r}")
    maintenance = parsed.set(drivername="postgresql", database="postgres")
    return maintenance.render_as_string(hide_password=False), parsed.database


async def ensure_database(url: str) -> bool:
    """Create the database ``url`` names if it does not exist. True when it was created."""
    dsn, name = _maintenance_dsn(url)
    conn = await asyncpg.connect(dsn)
    try:
        if await conn.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name):
            return False
        quoted = name.replace('"', '""')
        try:
            await conn.execute(f'CREATE DATABASE "{quoted}"')
        except asyncpg.DuplicateDatabaseError:  # created meanwhile by another process
            return False
        log.info("database created", extra={"database": name})
        return True
    finally:
        await conn.close()


async def provision(urls: Mapping[str, str], root: Path) -> None:
    """Create the missing databases and apply every service's migrations (sequentially:
    Alembic's context is process-global)."""
    for name in ALL_SERVICES:
        await ensure_database(urls[name])
    for name in ALL_SERVICES:
        await upgrade_async(SERVICES[name].directory(root), urls[name])
        log.info("migrations applied", extra={"database": make_url(urls[name]).database})
