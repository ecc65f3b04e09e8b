"""Migration 0006 builds exactly the analytics tables the models map."""

from finance.models import Base
from oms_kit.testing.schema import schema_differences

TABLES = ("drug_dispensing", "drug_spending", "verification_savings", "deviation", "mo_profile")


async def test_the_analytics_tables_match_their_models(database_url: str) -> None:
    assert await schema_differences(database_url, Base.metadata, TABLES) == []
