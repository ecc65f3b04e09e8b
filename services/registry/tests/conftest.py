from pathlib import Path

from oms_kit.testing.service import service_fixtures
from registry.config import Settings
from registry.main import create_app

service_dir, database_url, session, app, client = service_fixtures(
    Path(__file__).resolve().parents[1], create_app, Settings
)
