"""``organization_router``: a service's ``/organizations`` endpoints over its own copy."""

# No ``from __future__ import annotations`` here: the endpoints are built in a closure, and
# FastAPI can only read their annotations when they are evaluated eagerly.
import uuid
from typing import Annotated

from fastapi import APIRouter, Depends

from oms_kit.app import secure_router
from oms_kit.auth import Principal, require_permission
from oms_kit.db import DbSession
from oms_kit.errors import problem_responses
from oms_kit.pagination import Page, Paging
from oms_kit.tenancy import service
from oms_kit.tenancy.model import OrganizationCopyMixin
from oms_kit.tenancy.schemas import OrganizationRead


def organization_router(
    model: type[OrganizationCopyMixin],
    permission: str,
    *,
    tag: str = "organization",
    prefix: str = "/organizations",
) -> APIRouter:
    """``GET {prefix}`` (``{tag}-list``) and ``GET {prefix}/{org_id}`` (``{tag}-get``): the
    organizations the caller may see, each needing ``permission`` (e.g.
    ``"pharmacy.organization:read"``). Another organization's id is a 404, not a 403."""
    router = secure_router(prefix=prefix, tags=[tag], responses=problem_responses(401, 403))
    can_read = require_permission(permission)

    @router.get("", operation_id=f"{tag}-list", summary="Организации, видимые пользователю")
    async def list_organizations(
        session: DbSession, principal: Annotated[Principal, Depends(can_read)], paging: Paging
    ) -> Page[OrganizationRead]:
        return await service.list_organizations(session, model, principal, paging)

    @router.get(
        "/{org_id}", operation_id=f"{tag}-get", summary="Организация", responses=problem_responses(404)
    )
    async def get_organization(
        session: DbSession, principal: Annotated[Principal, Depends(can_read)], org_id: uuid.UUID
    ) -> OrganizationRead:
        return await service.get_organization(session, model, principal, org_id)

    return router
