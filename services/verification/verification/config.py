from typing import ClassVar, Literal

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
    # The record-linkage backend (linkage/): DuckDB in the process by default; Spark (linkage/spark.py)
    # for national-scale registers, on a local Spark or a cluster's master URL.
    linkage_backend: Literal["duckdb", "spark"] = Field(
        default="duckdb", validation_alias="OMS_VERIFICATION_LINKAGE_BACKEND"
    )
    spark_master: str = Field(default="local[2]", validation_alias="OMS_VERIFICATION_SPARK_MASTER")
    spark_driver_memory: str = Field(default="2g", validation_alias="OMS_VERIFICATION_SPARK_DRIVER_MEMORY")
    spark_shuffle_partitions: int = Field(
        default=8, ge=1, validation_alias="OMS_VERIFICATION_SPARK_SHUFFLE_PARTITIONS"
    )
    # Where Splink writes its intermediate tables (parquet); a cluster needs shared storage.
    spark_checkpoint_dir: str | None = Field(
        default=None, validation_alias="OMS_VERIFICATION_SPARK_CHECKPOINT_DIR"
    )
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
