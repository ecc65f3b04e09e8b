import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

ClientRole = Literal["mis", "accounting", "tfoms_exchange", "foms_exchange"]


class ApiKeyCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    name: str = Field(min_length=2, max_length=200, description="Чей это ключ: система и её владелец")
    org_id: uuid.UUID = Field(description="Организация, от имени которой работает система")
    client_role: ClientRole = Field(description="Роль внешней системы")
    scopes: list[str] | None = Field(
        default=None,
        description="Права ключа — подмножество прав роли; если не указаны, все права роли",
    )
    rate_per_minute: int = Field(default=600, ge=1, le=100_000, description="Запросов в минуту")


class ApiKeyRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    prefix: str = Field(description="Начало ключа, по которому его можно узнать")
    name: str
    org_id: uuid.UUID
    client_role: ClientRole
    scopes: list[str]
    rate_per_minute: int
    created_at: datetime
    revoked_at: datetime | None
    last_used_at: datetime | None


class ApiKeyCreated(ApiKeyRead):
    key: str = Field(description="Ключ целиком. Показывается один раз и нигде не хранится")
