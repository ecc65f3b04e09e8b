from typing import ClassVar

from pydantic import Field

from oms_kit.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: ClassVar[str] = "registry"
    database_url: str = Field(
        default="postgresql+asyncpg://postgres@127.0.0.1:5432/oms_registry",
        validation_alias="OMS_REGISTRY_DATABASE_URL",
    )
    # Insured persons of the synthetic region that `make run` seeds on first start (demo.py).
    demo_persons: int = Field(default=200_000, ge=0, validation_alias="OMS_REGISTRY_DEMO_PERSONS")
    # Connections a register import writes its batches on at once (docs/benchmarks.md, «Registry»).
    import_writers: int = Field(default=2, ge=1, le=16, validation_alias="OMS_REGISTRY_IMPORT_WRITERS")
    # Hour (0–23, the server's local time) after which the nightly job rebuilds the search
    # projection of persons whose facts begin or end that day (person/projection_refresh.py).
    projection_refresh_hour: int = Field(
        default=2, ge=0, le=23, validation_alias="OMS_REGISTRY_PROJECTION_REFRESH_HOUR"
    )
