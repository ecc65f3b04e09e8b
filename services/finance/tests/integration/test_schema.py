"""The migrations build exactly the tables the finance models map (every feature's tables), so no
model drifts from its migration unnoticed."""

from finance.models import Base
from oms_kit.testing.schema import schema_differences


async def test_the_migrations_create_every_mapped_table(database_url: str) -> None:
    assert await schema_differences(database_url, Base.metadata) == []
