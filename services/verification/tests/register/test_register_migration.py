"""Migration 0002 creates exactly the mapped tables of the register (runs, subjects, entries,
rejected rows)."""

from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from verification.models import Base

REGISTER_TABLES = {"verification_run", "subject", "register_entry", "register_rejection"}


def _ours(obj: Any, name: str | None, kind: str, *_: Any) -> bool:
    table = name if kind == "table" else getattr(getattr(obj, "table", None), "name", None)
    return table in REGISTER_TABLES


async def test_the_migration_creates_the_mapped_register_tables(database_url: str) -> None:
    def differences(connection: Connection) -> list[Any]:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_object": _ours})
        return list(compare_metadata(context, Base.metadata))

    assert set(Base.metadata.tables) >= REGISTER_TABLES
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            assert await connection.run_sync(differences) == []
    finally:
        await engine.dispose()
