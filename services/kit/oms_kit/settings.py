"""Service settings from environment variables (``OMS_*``), failing fast on unsafe defaults."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

Environment = Literal["development", "test", "production"]


class ServiceSettings(BaseSettings):
    """Settings every service shares. A service subclasses it and adds ``database_url``
    with its own alias (``OMS_<SERVICE>_DATABASE_URL``)."""

    model_config = SettingsConfigDict(env_prefix="OMS_", extra="ignore", populate_by_name=True)

    service_name: str = "service"
    env: Environment = "development"
    log_level: str = "INFO"
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/oms"
    db_pool_size: int = 10
    # Absent broker URL means the in-process transport (the embedded `make run` shape).
    broker_url: str | None = None
    events_exchange: str = "oms.events"
    relay_batch_size: int = 200
    relay_idle_seconds: float = 0.2
    consumer_prefetch: int = 64
    consumer_delivery_limit: int = 5

    jwt_issuer: str = "oms-gateway"
    jwt_audience: str = "oms-region"
    jwt_jwks_url: str = "http://127.0.0.1:8000/api/auth/.well-known/jwks.json"
    jwt_leeway_seconds: int = 10

    @model_validator(mode="after")
    def _no_dev_defaults_in_production(self) -> ServiceSettings:
        if self.env == "production" and "127.0.0.1" in self.jwt_jwks_url:
            raise ValueError("OMS_JWT_JWKS_URL must point at the gateway in production")
        return self


def database_url_field(service: str) -> object:
    """A ``database_url`` field read from ``OMS_<SERVICE>_DATABASE_URL``."""
    return Field(
        default=f"postgresql+asyncpg://postgres@127.0.0.1:5432/oms_{service}",
        validation_alias=f"OMS_{service.upper()}_DATABASE_URL",
    )
