from pathlib import Path

from finance.config import Settings
from finance.main import create_app
from oms_kit.testing.service import service_fixtures

service_dir, database_url, session, app, client = service_fixtures(
    Path(__file__).resolve().parents[1], create_app, Settings
)
