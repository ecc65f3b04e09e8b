"""Migration 0005 builds exactly the report tables the models map."""

from finance.models import Base
from oms_kit.testing.schema import schema_differences

TABLES = ("report", "report_value", "report_history")


async def test_the_report_tables_match_their_models(database_url: str) -> None:
    assert await schema_differences(database_url, Base.metadata, TABLES) == []
