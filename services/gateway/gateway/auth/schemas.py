import uuid
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from gateway.organization.schemas import OrganizationRead


class LoginRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    login: str = Field(min_length=1, max_length=100)
    password: str = Field(min_length=1, max_length=200)


class RefreshRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    refresh_token: str = Field(min_length=1, max_length=200)


class TokenPair(BaseModel):
    access_token: str
    token_type: Literal["Bearer"] = "Bearer"  # noqa: S105  (a token type, not a secret)
    expires_in: int = Field(description="Секунд до истечения токена доступа")
    refresh_token: str
    refresh_expires_in: int = Field(description="Секунд до истечения токена обновления")


class Me(BaseModel):
    id: uuid.UUID
    login: str
    full_name: str
    roles: list[str]
    permissions: list[str]
    organization: OrganizationRead
    person_id: uuid.UUID | None


class Jwks(BaseModel):
    keys: list[dict[str, str]]
