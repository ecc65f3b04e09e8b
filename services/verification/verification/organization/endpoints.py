import uuid
from typing import Annotated

from fastapi import Depends

from oms_kit.app import secure_router
from oms_kit.auth import Principal, require_permission
from oms_kit.db import DbSession as Session
from oms_kit.errors import problem_responses
from oms_kit.pagination import Page, Paging
from verification.organization import service
from verification.organization.schemas import OrganizationRead

router = secure_router(prefix="/organizations", tags=["organization"], responses=problem_responses(401, 403))

CanRead = Annotated[Principal, Depends(require_permission("verification.organization:read"))]


@router.get("", operation_id="organization-list", summary="Организации, видимые пользователю")
async def list_organizations(session: Session, principal: CanRead, paging: Paging) -> Page[OrganizationRead]:
    return await service.list_organizations(session, principal, paging)


@router.get(
    "/{org_id}", operation_id="organization-get", summary="Организация", responses=problem_responses(404)
)
async def get_organization(session: Session, principal: CanRead, org_id: uuid.UUID) -> OrganizationRead:
    return await service.get_organization(session, principal, org_id)
