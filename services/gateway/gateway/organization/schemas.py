import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from gateway.models.organization import OrganizationKind
from gateway.organization.identifiers import inn_is_valid, ogrn_is_valid


def _inn(value: str) -> str:
    if not inn_is_valid(value):
        raise ValueError("ИНН должен состоять из 10 или 12 цифр с верной контрольной суммой")
    return value


def _ogrn(value: str) -> str:
    if not ogrn_is_valid(value):
        raise ValueError("ОГРН должен состоять из 13 или 15 цифр с верной контрольной суммой")
    return value


Inn = Annotated[str, AfterValidator(_inn)]
Ogrn = Annotated[str, AfterValidator(_ogrn)]


class OrganizationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=3, max_length=500, description="Полное наименование")
    kind: OrganizationKind = Field(description="Вид организации")
    code: str | None = Field(
        default=None,
        min_length=1,
        max_length=40,
        pattern=r"^[0-9A-Za-zА-Яа-я.\-]+$",
        description="Код в реестре своего вида (например, код МО)",
    )
    inn: Inn | None = Field(default=None, description="ИНН")
    ogrn: Ogrn | None = Field(default=None, description="ОГРН")


class OrganizationRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    kind: OrganizationKind
    code: str | None
    inn: str | None
    ogrn: str | None
    created_at: datetime
