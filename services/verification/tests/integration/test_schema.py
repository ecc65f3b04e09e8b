"""The migrations build exactly the tables the verification models map (all of them, the run
tables of 0005 included), so no feature's model drifts from its migration unnoticed."""

from oms_kit.testing.schema import schema_differences
from verification.models import Base


async def test_the_migrations_create_every_mapped_table(database_url: str) -> None:
    assert await schema_differences(database_url, Base.metadata) == []
