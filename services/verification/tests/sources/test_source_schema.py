"""The tables of migration 0003 keep an answer once: per source by file hash / message id, and
each fact by its fingerprint."""

import uuid
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Connection, text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from verification.models import Base

TABLES = {"source_batch", "source_record", "source_rejection", "smev_request"}


def _ours(obj: Any, name: str | None, kind: str, *_: Any) -> bool:
    table = name if kind == "table" else getattr(getattr(obj, "table", None), "name", None)
    return table in TABLES


async def test_the_migration_creates_the_mapped_tables(database_url: str) -> None:
    def differences(connection: Connection) -> list[Any]:
        context = MigrationContext.configure(connection, opts={"compare_type": True, "include_object": _ours})
        return list(compare_metadata(context, Base.metadata))

    assert set(Base.metadata.tables) >= TABLES
    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            assert await connection.run_sync(differences) == []
    finally:
        await engine.dispose()


async def test_batch_key_unique_per_source(session: AsyncSession) -> None:
    insert = text("INSERT INTO source_batch (id, source, mode, sha256) VALUES (:id, :source, 'file', :sha)")
    await session.execute(insert, {"id": uuid.uuid4(), "source": "fns", "sha": "a" * 64})
    # Another source may receive a file with the same content.
    await session.execute(insert, {"id": uuid.uuid4(), "source": "sfr", "sha": "a" * 64})
    with pytest.raises(IntegrityError):
        async with session.begin_nested():
            await session.execute(insert, {"id": uuid.uuid4(), "source": "fns", "sha": "a" * 64})


async def test_batch_needs_its_key(session: AsyncSession) -> None:
    with pytest.raises(IntegrityError):
        async with session.begin_nested():
            await session.execute(
                text("INSERT INTO source_batch (id, source, mode) VALUES (:id, 'zags', 'smev')"),
                {"id": uuid.uuid4()},
            )
