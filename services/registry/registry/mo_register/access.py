"""Organization scope of the MO register: an MO's users read and change only their own MO;
region-wide roles (health authority, TFOMS, FOMS) read every MO. Another MO is a 404, never
a 403, like every scoped resource of the platform."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.auth import Principal, ensure_same_org, require_permission
from oms_kit.errors import Forbidden, NotFound
from oms_kit.tenancy import OrganizationCopyRepository
from registry.models import Organization

MO_KIND = "mo"


async def require_mo(session: AsyncSession, principal: Principal, mo_id: uuid.UUID) -> Organization:
    """The MO ``mo_id`` if the caller may see it (404 otherwise, also for a non-MO organization)."""
    ensure_same_org(mo_id, principal, "Медицинская организация")
    org = await OrganizationCopyRepository(session, Organization).of_kind(mo_id, MO_KIND)
    if org is None:
        raise NotFound("Медицинская организация не найдена")
    return org


def require_region_wide(principal: Principal) -> None:
    """Region structure (territories, demographics) is kept by the region, not by an MO."""
    if not principal.region_wide:
        raise Forbidden("Структуру территорий региона ведёт орган управления здравоохранением")


CanRead = Annotated[Principal, Depends(require_permission("registry.mo_passport:read"))]
CanWrite = Annotated[Principal, Depends(require_permission("registry.mo_passport:write"))]
TAG = "mo_register"
