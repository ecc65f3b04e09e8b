from typing import ClassVar

from pydantic import Field

from oms_kit.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: ClassVar[str] = "verification"
    database_url: str = Field(
        default="postgresql+asyncpg://postgres@127.0.0.1:5432/oms_verification",
        validation_alias="OMS_VERIFICATION_DATABASE_URL",
    )
