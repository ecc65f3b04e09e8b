from oms_kit.testing.schema import schema_differences
from pharmacy.models import Base

TABLES = [
    "control_run",
    "control_result",
    "control_violation",
    "control_act",
    "trace_report",
    "trace_sim_document",
    "trace_sim_withdrawn",
]


async def test_migration_0008_matches_the_models(database_url: str) -> None:
    assert await schema_differences(database_url, Base.metadata, TABLES) == []
