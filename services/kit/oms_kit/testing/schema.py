"""Does a service's database, as its migrations built it, match its ORM models?"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, MetaData
from sqlalchemy.ext.asyncio import create_async_engine


async def schema_differences(
    database_url: str, metadata: MetaData, tables: Collection[str] | None = None
) -> list[Any]:
    """Alembic's differences between the database and ``metadata``, limited to ``tables``
    (default: every table of ``metadata``; tables of other owners — the kit's, Alembic's —
    are left out). An empty list means the migrations create exactly the mapped tables."""
    wanted = set(metadata.tables if tables is None else tables)
    missing = wanted - set(metadata.tables)
    if missing:
        raise ValueError(f"not mapped: {sorted(missing)}")

    def ours(obj: Any, name: str | None, kind: str, *_: Any) -> bool:
        table = name if kind == "table" else getattr(getattr(obj, "table", None), "name", None)
        return table in wanted

    def differences(connection: Connection) -> list[Any]:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_object": ours})
        return list(compare_metadata(context, metadata))

    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            return await connection.run_sync(differences)
    finally:
        await engine.dispose()
