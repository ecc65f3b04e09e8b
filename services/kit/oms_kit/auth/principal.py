"""Who is calling: a user or a machine client, its organization, roles and permissions."""

from __future__ import annotations

import uuid
from typing import Literal

from pydantic import BaseModel, Field

# Roles whose data scope is the whole region rather than their own organization.
REGION_WIDE_ROLES = frozenset(
    {"admin", "tfoms_analyst", "foms_viewer", "health_authority", "tfoms_exchange", "foms_exchange"}
)


class Principal(BaseModel):
    subject: str
    kind: Literal["user", "api_key"] = "user"
    org_id: uuid.UUID
    org_type: str = ""
    roles: frozenset[str] = Field(default_factory=frozenset)
    permissions: frozenset[str] = Field(default_factory=frozenset)
    person_id: uuid.UUID | None = None  # set for patients: they see only themselves
    token_id: str | None = None

    @property
    def region_wide(self) -> bool:
        return bool(self.roles & REGION_WIDE_ROLES)

    def has(self, permission: str) -> bool:
        return permission in self.permissions or "*" in self.permissions
