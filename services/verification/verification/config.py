from typing import ClassVar

from pydantic import Field

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
