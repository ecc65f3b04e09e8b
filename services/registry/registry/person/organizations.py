"""Organizations a fact refers to (the insurer, the MO), checked against this service's copy
of the gateway's organization directory."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.tenancy import OrganizationCopyRepository
from registry.models import Organization
from registry.person.errors import field_error

KIND_NAMES = {"insurer": "страховая медицинская организация", "mo": "медицинская организация"}


async def require_organization(session: AsyncSession, org_id: uuid.UUID, kind: str, *, field: str) -> None:
    if await OrganizationCopyRepository(session, Organization).of_kind(org_id, kind) is None:
        raise field_error(field, f"Не найдена {KIND_NAMES.get(kind, kind)} с таким идентификатором")
