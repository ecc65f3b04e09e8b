"""Service settings from environment variables (``OMS_*``), failing fast on unsafe defaults."""

from __future__ import annotations

from typing import Any, ClassVar, Literal

from pydantic import Field, model_validator
from pydantic_settings import BaseSettings, EnvSettingsSource, PydanticBaseSettingsSource, SettingsConfigDict

Environment = Literal["development", "test", "production"]


class ServiceSettings(BaseSettings):
    """Settings every service shares. A service subclasses it and adds ``database_url``
    with its own alias (``OMS_<SERVICE>_DATABASE_URL``)."""

    model_config = SettingsConfigDict(env_prefix="OMS_", extra="ignore", populate_by_name=True)

    # A constant of each service, never read from the environment.
    service_name: ClassVar[str] = "service"
    env: Environment = "development"
    log_level: str = "INFO"
    database_url: str = "postgresql+asyncpg://postgres@127.0.0.1:5432/oms"
    db_pool_size: int = 10
    # Absent broker URL means the in-process transport (the embedded `make run` shape).
    broker_url: str | None = None
    events_exchange: str = "oms.events"
    # Prepended to the service's queue name (``registry`` → ``<prefix>registry``): several
    # deployments or test runs can then share one broker without sharing queues.
    events_queue_prefix: str = ""
    relay_batch_size: int = 200
    relay_idle_seconds: float = 0.2
    consumer_prefetch: int = 64
    consumer_delivery_limit: int = 5

    # Long-running jobs (``oms_kit.jobs``): uploads, how many run at once per process, and
    # how long finished jobs and their files are kept.
    jobs_max_upload_bytes: int = Field(default=1024**3, ge=1)
    jobs_concurrency: int = Field(default=2, ge=1)
    jobs_retention_days: int = Field(default=30, ge=1)

    jwt_issuer: str = "oms-gateway"
    jwt_audience: str = "oms-region"
    jwt_jwks_url: str = "http://127.0.0.1:8000/api/auth/.well-known/jwks.json"
    jwt_leeway_seconds: int = 10

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        assert isinstance(env_settings, EnvSettingsSource)
        return init_settings, _AliasOnlyEnv(settings_cls, env_settings), dotenv_settings, file_secret_settings

    @model_validator(mode="after")
    def _no_dev_defaults_in_production(self) -> ServiceSettings:
        if self.env == "production" and "127.0.0.1" in self.jwt_jwks_url:
            raise ValueError("OMS_JWT_JWKS_URL must point at the gateway in production")
        return self


class _AliasOnlyEnv(PydanticBaseSettingsSource):
    """The environment, where a field with an alias is read only under that alias.

    ``populate_by_name`` lets code pass ``database_url=…``, but it would also make every
    service read ``OMS_DATABASE_URL``: one stray variable would point all of them at the
    same database. Each service's is ``OMS_<SERVICE>_DATABASE_URL``, and only that counts."""

    def __init__(self, settings_cls: type[BaseSettings], env: EnvSettingsSource) -> None:
        super().__init__(settings_cls)
        self.env = env

    def get_field_value(self, field: Any, field_name: str) -> tuple[Any, str, bool]:
        return self.env.get_field_value(field, field_name)

    def __call__(self) -> dict[str, Any]:
        data = self.env()
        for name, field in self.settings_cls.model_fields.items():
            if field.validation_alias is not None and name in data:
                del data[name]
        return data
