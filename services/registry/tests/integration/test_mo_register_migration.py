"""Migration 0005 creates exactly the mapped tables of the MO register."""

from oms_kit.testing.schema import schema_differences
from registry.models import Base

MO_REGISTER_TABLES = {
    "territory",
    "territory_population",
    "mo_passport",
    "mo_branch",
    "mo_department",
    "mo_room",
    "mo_license",
    "mo_area",
    "equipment",
    "equipment_state",
    "equipment_usage",
    "equipment_inventory",
}


async def test_the_migration_creates_the_mapped_mo_register_tables(database_url: str) -> None:
    assert set(Base.metadata.tables) >= MO_REGISTER_TABLES
    assert await schema_differences(database_url, Base.metadata, MO_REGISTER_TABLES) == []
