from typing import ClassVar

from pydantic import Field, SecretStr

from oms_kit.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: ClassVar[str] = "verification"
    database_url: str = Field(
        default="postgresql+asyncpg://postgres@127.0.0.1:5432/oms_verification",
        validation_alias="OMS_VERIFICATION_DATABASE_URL",
    )
    # Register persons of the demo region that `make run` seeds on first start (demo/): ~22 s
    # at 20,000 on the 2-core machine; the browser tests seed fewer.
    demo_register_size: int = Field(default=20_000, ge=0, validation_alias="OMS_VERIFICATION_DEMO_REGISTER")
    # The register from `registry` (runs/from-registry): the gateway's address (the extract is
    # `{url}/api/registry/persons/non-working`) and an API key of role tfoms_exchange; the
    # embedded mode reaches its gateway in-process and issues the key at start.
    registry_url: str | None = Field(default=None, validation_alias="OMS_VERIFICATION_REGISTRY_URL")
    registry_api_key: SecretStr | None = Field(
        default=None, validation_alias="OMS_VERIFICATION_REGISTRY_API_KEY"
    )
    registry_timeout_seconds: float = Field(
        default=60.0, gt=0, validation_alias="OMS_VERIFICATION_REGISTRY_TIMEOUT_SECONDS"
    )
