"""Gateway settings (``OMS_GATEWAY_*``), failing fast on development defaults in production."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field, model_validator

from oms_kit.settings import ServiceSettings

# Development-only secret. Production refuses to start with it (see the validator below).
DEVELOPMENT_SECRET = "oms-gateway-development-secret-change-me"  # noqa: S105

SERVICES = ("registry", "finance", "pharmacy", "verification")


class Settings(ServiceSettings):
    service_name: ClassVar[str] = "gateway"
    database_url: str = Field(
        default="postgresql+asyncpg://postgres@127.0.0.1:5432/oms_gateway",
        validation_alias="OMS_GATEWAY_DATABASE_URL",
    )
    # Encrypts the private signing keys at rest (Fernet, key derived with HKDF).
    secret: str = Field(default=DEVELOPMENT_SECRET, validation_alias="OMS_GATEWAY_SECRET")

    access_token_ttl_seconds: int = Field(
        default=600, ge=30, le=3600, validation_alias="OMS_GATEWAY_ACCESS_TOKEN_TTL_SECONDS"
    )
    refresh_token_ttl_seconds: int = Field(
        default=12 * 3600, ge=60, validation_alias="OMS_GATEWAY_REFRESH_TOKEN_TTL_SECONDS"
    )
    # Internal tokens minted for API-key requests at the proxy.
    machine_token_ttl_seconds: int = Field(
        default=120, ge=10, le=600, validation_alias="OMS_GATEWAY_MACHINE_TOKEN_TTL_SECONDS"
    )
    # How stale this process's copy of the signing keys may get (other replicas may rotate).
    signing_key_reload_seconds: float = Field(
        default=30.0, gt=0, validation_alias="OMS_GATEWAY_SIGNING_KEY_RELOAD_SECONDS"
    )
    login_attempts_per_minute: int = Field(
        default=10, ge=1, validation_alias="OMS_GATEWAY_LOGIN_ATTEMPTS_PER_MINUTE"
    )

    # Distributed mode: base URLs of the services (absent = that service is not routed).
    upstream_registry: str | None = Field(default=None, validation_alias="OMS_GATEWAY_UPSTREAM_REGISTRY")
    upstream_finance: str | None = Field(default=None, validation_alias="OMS_GATEWAY_UPSTREAM_FINANCE")
    upstream_pharmacy: str | None = Field(default=None, validation_alias="OMS_GATEWAY_UPSTREAM_PHARMACY")
    upstream_verification: str | None = Field(
        default=None, validation_alias="OMS_GATEWAY_UPSTREAM_VERIFICATION"
    )
    # Time an upstream may take to start answering once the request body is sent.
    upstream_timeout_seconds: float = Field(
        default=60.0, gt=0, validation_alias="OMS_GATEWAY_UPSTREAM_TIMEOUT_SECONDS"
    )
    upstream_connect_timeout_seconds: float = Field(
        default=5.0, gt=0, validation_alias="OMS_GATEWAY_UPSTREAM_CONNECT_TIMEOUT_SECONDS"
    )
    upstream_max_connections: int = Field(
        default=100, ge=1, validation_alias="OMS_GATEWAY_UPSTREAM_MAX_CONNECTIONS"
    )
    # httpcore scans every pooled connection (polling idle sockets) on each request it adds
    # or removes, so one large pool costs O(connections) per request; several small pools
    # used in turn keep that scan short (measured: see docs/benchmarks.md, gateway overhead).
    upstream_pool_shards: int = Field(
        default=8, ge=1, le=64, validation_alias="OMS_GATEWAY_UPSTREAM_POOL_SHARDS"
    )
    openapi_cache_seconds: float = Field(
        default=300.0, ge=0, validation_alias="OMS_GATEWAY_OPENAPI_CACHE_SECONDS"
    )
    api_key_usage_flush_seconds: float = Field(
        default=30.0, gt=0, validation_alias="OMS_GATEWAY_API_KEY_USAGE_FLUSH_SECONDS"
    )

    @model_validator(mode="after")
    def _no_dev_defaults_in_production(self) -> Settings:
        # Overrides the base check on purpose: the gateway is the JWKS source itself and never
        # fetches ``OMS_JWT_JWKS_URL``; what it must not run with is the development secret.
        if self.env == "production":
            if self.secret == DEVELOPMENT_SECRET:
                raise ValueError("OMS_GATEWAY_SECRET must be set in production (not the development default)")
            if len(self.secret) < 32:
                raise ValueError("OMS_GATEWAY_SECRET must be at least 32 characters long")
        return self

    def upstream_urls(self) -> dict[str, str]:
        """Configured base URLs by service name."""
        urls = {name: getattr(self, f"upstream_{name}") for name in SERVICES}
        return {name: url for name, url in urls.items() if url}

    @property
    def max_token_lifetime_seconds(self) -> int:
        return max(self.access_token_ttl_seconds, self.machine_token_ttl_seconds)
