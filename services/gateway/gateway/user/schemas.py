import re
import uuid
from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from gateway.access.roles import USER_ROLES

LOGIN_PATTERN = r"^[a-z0-9][a-z0-9._-]{1,99}$"


def _known_roles(roles: list[str]) -> list[str]:
    unknown = sorted(set(roles) - set(USER_ROLES))
    if unknown:
        raise ValueError(f"Неизвестные роли: {', '.join(unknown)}")
    return sorted(set(roles))


class UserCreate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    login: str = Field(min_length=2, max_length=100, description="Логин (латиница, цифры, . _ -)")
    password: str = Field(min_length=10, max_length=200, description="Пароль, не короче 10 символов")
    full_name: str = Field(min_length=2, max_length=300, description="ФИО")
    roles: list[str] = Field(min_length=1, description="Роли пользователя")
    org_id: uuid.UUID = Field(description="Организация пользователя")
    person_id: uuid.UUID | None = Field(default=None, description="Пациент: его идентификатор в регистре")

    @field_validator("login")
    @classmethod
    def _login(cls, value: str) -> str:
        value = value.lower()
        if not re.fullmatch(LOGIN_PATTERN, value):
            raise ValueError("Логин: латинские буквы, цифры и знаки . _ -, не короче 2 символов")
        return value

    @field_validator("roles")
    @classmethod
    def _roles(cls, value: list[str]) -> list[str]:
        return _known_roles(value)


class UserUpdate(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    full_name: str | None = Field(default=None, min_length=2, max_length=300)
    roles: list[str] | None = Field(default=None, min_length=1)
    active: bool | None = None
    password: str | None = Field(default=None, min_length=10, max_length=200)

    @field_validator("roles")
    @classmethod
    def _roles(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else _known_roles(value)


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    login: str
    full_name: str
    roles: list[str]
    org_id: uuid.UUID
    person_id: uuid.UUID | None
    active: bool
    created_at: datetime
