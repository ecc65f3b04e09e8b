"""The migrations build exactly the tables the pharmacy models map, and carry the categories."""

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.testing.schema import schema_differences
from pharmacy.beneficiaries.categories import CATEGORIES
from pharmacy.models import Base


async def test_the_migrations_create_every_mapped_table(database_url: str) -> None:
    assert await schema_differences(database_url, Base.metadata) == []


async def test_the_migration_holds_the_categories_of_the_data_module(session: AsyncSession) -> None:
    rows = (await session.execute(text("SELECT code, funding_source FROM benefit_category"))).all()
    assert {(c.code, c.funding_source) for c in CATEGORIES} == set(rows)
    assert sum(1 for c in CATEGORIES if c.kind == "vzn") == 14
