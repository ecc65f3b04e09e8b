from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from tests.cleanup import Committed

from oms_kit.testing.service import service_fixtures
from pharmacy.config import Settings
from pharmacy.main import create_app

service_dir, database_url, session, app, client = service_fixtures(
    Path(__file__).resolve().parents[1], create_app, Settings
)


@pytest.fixture
async def committed(database_url: str) -> AsyncIterator[Committed]:
    """For a test that commits on its own connections: record the organizations, drugs and
    beneficiaries it creates; everything they reach is deleted after it."""
    roots = Committed()
    yield roots
    await roots.purge(database_url)
