"""The tables of migration 0003 keep an answer once: per source by file hash / message id, and
each fact by its fingerprint."""

import uuid

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.testing.schema import schema_differences
from verification.models import Base

TABLES = {"source_batch", "source_record", "source_rejection", "smev_request"}


async def test_the_migration_creates_the_mapped_tables(database_url: str) -> None:
    assert set(Base.metadata.tables) >= TABLES
    assert await schema_differences(database_url, Base.metadata, TABLES) == []


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
