from typing import ClassVar

from pydantic import Field

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
