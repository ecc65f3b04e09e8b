import pytest
from pydantic import Field

from oms_kit.settings import ServiceSettings


class DemoSettings(ServiceSettings):
    service_name = "demo"
    database_url: str = Field(
        default="postgresql+asyncpg://h/oms_demo",
        validation_alias="OMS_DEMO_DATABASE_URL",
    )


def test_only_the_services_own_database_variable_counts(monkeypatch):
    monkeypatch.setenv("OMS_DATABASE_URL", "postgresql+asyncpg://h/everyone")
    monkeypatch.setenv("OMS_SERVICE_NAME", "renamed")
    assert DemoSettings().database_url == "postgresql+asyncpg://h/oms_demo"
    assert DemoSettings().service_name == "demo"
    monkeypatch.setenv("OMS_DEMO_DATABASE_URL", "postgresql+asyncpg://h/mine")
    assert DemoSettings().database_url == "postgresql+asyncpg://h/mine"


def test_code_may_still_pass_fields_by_name(monkeypatch):
    assert DemoSettings(database_url="postgresql+asyncpg://h/kw").database_url == "postgresql+asyncpg://h/kw"


def test_shared_variables_are_read(monkeypatch):
    monkeypatch.setenv("OMS_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672/")
    monkeypatch.setenv("OMS_ENV", "test")
    s = DemoSettings()
    assert s.broker_url == "amqp://guest:guest@127.0.0.1:5672/"
    assert s.env == "test"


def test_production_refuses_the_development_jwks_url(monkeypatch):
    monkeypatch.setenv("OMS_ENV", "production")
    with pytest.raises(ValueError, match="OMS_JWT_JWKS_URL"):
        DemoSettings()
