"""Migration 0009 gives the trace report the statement's clock as its creation time, as the
model says (the schema comparison does not look at server defaults, so they are read here)."""

from sqlalchemy import text
from sqlalchemy.dialects import postgresql
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.testing.schema import schema_differences
from pharmacy.models import Base
from pharmacy.models.prescription import TraceReport


async def test_migration_0009_matches_the_models(database_url: str) -> None:
    assert await schema_differences(database_url, Base.metadata, ["trace_report"]) == []


async def test_the_created_at_default_is_the_statement_clock_in_the_model_and_the_database(
    session: AsyncSession,
) -> None:
    default = TraceReport.__table__.c.created_at.server_default
    assert default is not None
    in_model = str(default.arg.compile(dialect=postgresql.dialect()))
    in_database = await session.scalar(
        text(
            "SELECT column_default FROM information_schema.columns"
            " WHERE table_name = 'trace_report' AND column_name = 'created_at'"
        )
    )
    assert in_model == in_database == "clock_timestamp()"
