from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import pytest

from oms_kit.db import Database

SERVICES_DIR = Path(__file__).resolve().parents[2]


@pytest.fixture
async def databases(fresh_database) -> AsyncIterator[Callable[[str], Awaitable[Database]]]:
    """``await databases("registry")``: a new migrated database of that service, as a
    ``Database`` disposed after the test."""
    opened: list[Database] = []

    async def make(service: str) -> Database:
        database = Database(await fresh_database(SERVICES_DIR / service), pool_size=2)
        opened.append(database)
        return database

    yield make
    for database in opened:
        await database.dispose()
