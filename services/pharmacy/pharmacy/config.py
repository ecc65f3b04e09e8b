from typing import ClassVar, Literal

from pydantic import Field, SecretStr

from oms_kit.settings import ServiceSettings


class Settings(ServiceSettings):
    service_name: ClassVar[str] = "pharmacy"
    database_url: str = Field(
        default="postgresql+asyncpg://postgres@127.0.0.1:5432/oms_pharmacy",
        validation_alias="OMS_PHARMACY_DATABASE_URL",
    )
    # Prescriptions (pharmacy/prescriptions): the subject's two-digit code that opens every
    # series (region code + the MO's five digits); the doctor's signing key and certificate (PEM
    # files, ECDSA P-256) — unset: a demo identity generated when the service starts.
    region_code: str = Field(default="99", pattern=r"^\d{2}$", validation_alias="OMS_PHARMACY_REGION_CODE")
    signing_key_path: str | None = Field(default=None, validation_alias="OMS_PHARMACY_SIGNING_KEY_PATH")
    signing_cert_path: str | None = Field(default=None, validation_alias="OMS_PHARMACY_SIGNING_CERT_PATH")
    # Stock (pharmacy/stock): below this many free packages of a drug in a pharmacy (when its
    # batches set no low_threshold) ``pharmacy.stock.low`` is published; how long a reservation
    # for a prescription holds; how often the lapsed reservations are released.
    low_stock_packages: int = Field(default=5, ge=0, validation_alias="OMS_PHARMACY_LOW_STOCK_PACKAGES")
    reservation_days: int = Field(default=5, ge=1, validation_alias="OMS_PHARMACY_RESERVATION_DAYS")
    reservation_sweep_seconds: float = Field(
        default=300.0, gt=0, validation_alias="OMS_PHARMACY_RESERVATION_SWEEP_SECONDS"
    )
    # Track-and-trace (pharmacy/marking/trace): the outbound adapter to МДЛП (``simulator`` — the
    # in-process fake; ``file`` — documents dropped into the outbox, answers read from the inbox),
    # how often the sender runs (0 — never), how many attempts before a report is failed and
    # the first pause between them (doubling each time, at most an hour).
    trace_adapter: Literal["simulator", "file"] = Field(
        default="simulator", validation_alias="OMS_PHARMACY_TRACE_ADAPTER"
    )
    trace_outbox_dir: str = Field(default="var/mdlp/outbox", validation_alias="OMS_PHARMACY_TRACE_OUTBOX_DIR")
    trace_inbox_dir: str = Field(default="var/mdlp/inbox", validation_alias="OMS_PHARMACY_TRACE_INBOX_DIR")
    trace_send_seconds: float = Field(default=10.0, ge=0, validation_alias="OMS_PHARMACY_TRACE_SEND_SECONDS")
    trace_max_attempts: int = Field(default=5, ge=1, validation_alias="OMS_PHARMACY_TRACE_MAX_ATTEMPTS")
    trace_backoff_seconds: float = Field(
        default=30.0, ge=0, validation_alias="OMS_PHARMACY_TRACE_BACKOFF_SECONDS"
    )
    # The registry of insured persons (beneficiaries/registry_persons.py: the federal register's
    # lines matched to persons by SNILS): the gateway's address (the search is
    # `{url}/api/registry/persons?snils=…`) and an API key of role tfoms_exchange with
    # registry.person:read; the embedded mode reaches its gateway in-process and hands over the
    # key it issues at start (the one verification gets).
    registry_url: str | None = Field(default=None, validation_alias="OMS_PHARMACY_REGISTRY_URL")
    registry_api_key: SecretStr | None = Field(default=None, validation_alias="OMS_PHARMACY_REGISTRY_API_KEY")
    registry_timeout_seconds: float = Field(
        default=30.0, gt=0, validation_alias="OMS_PHARMACY_REGISTRY_TIMEOUT_SECONDS"
    )
    registry_concurrency: int = Field(
        default=8, ge=1, le=64, validation_alias="OMS_PHARMACY_REGISTRY_CONCURRENCY"
    )
