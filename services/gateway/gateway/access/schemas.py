from typing import Literal

from pydantic import BaseModel


class RoleRead(BaseModel):
    role: str
    kind: Literal["user", "client"]  # a person's role, or an API key's client role
    organization_kinds: list[str]  # the kinds of organization the role may belong to
    permissions: list[str]
