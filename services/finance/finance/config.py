from typing import ClassVar

from pydantic import Field

from oms_kit.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: ClassVar[str] = "finance"
    database_url: str = Field(
        default="postgresql+asyncpg://postgres@127.0.0.1:5432/oms_finance",
        validation_alias="OMS_FINANCE_DATABASE_URL",
    )
    # payments classified with a lower confidence (rules × model) go to the review list
    review_threshold: float = Field(default=0.75, ge=0, le=1, validation_alias="OMS_FINANCE_REVIEW_THRESHOLD")
    # hour (0–23, local time) after which the nightly deviation search runs; -1: no nightly search
    deviation_search_hour: int = Field(
        default=3, ge=-1, le=23, validation_alias="OMS_FINANCE_DEVIATION_SEARCH_HOUR"
    )
