"""Migration 0004 builds exactly the classification tables the models map."""

from finance.models import Base
from oms_kit.testing.schema import schema_differences

TABLES = ("classifier_model", "classification_counterparty", "classification_decision")


async def test_the_classification_tables_match_their_models(database_url: str) -> None:
    assert await schema_differences(database_url, Base.metadata, TABLES) == []
