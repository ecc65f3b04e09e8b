"""Migration 0002 creates exactly the mapped tables of the register (runs, subjects, entries,
rejected rows)."""

from oms_kit.testing.schema import schema_differences
from verification.models import Base

REGISTER_TABLES = {"verification_run", "subject", "register_entry", "register_rejection"}


async def test_the_migration_creates_the_mapped_register_tables(database_url: str) -> None:
    assert set(Base.metadata.tables) >= REGISTER_TABLES
    assert await schema_differences(database_url, Base.metadata, REGISTER_TABLES) == []
