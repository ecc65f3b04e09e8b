import uuid
from typing import Annotated, Any

from fastapi import Depends, Query, status

from gateway.models import Organization
from gateway.models.organization import OrganizationKind
from gateway.organization import service
from gateway.organization.schemas import OrganizationCreate, OrganizationRead
from gateway.runtime import Session
from oms_kit.app import secure_router
from oms_kit.auth import Principal, require_permission
from oms_kit.errors import problem_responses
from oms_kit.pagination import Page, Paging, sorting

router = secure_router(
    prefix="/api/admin/organizations", tags=["organization"], responses=problem_responses(401, 403)
)

CanRead = Annotated[Principal, Depends(require_permission("gateway.organization:read"))]
CanWrite = Annotated[Principal, Depends(require_permission("gateway.organization:write"))]
Sort = Annotated[
    list[Any],
    Depends(
        sorting(
            {
                "name": Organization.name,
                "kind": Organization.kind,
                "code": Organization.code,
                "created_at": Organization.created_at,
            },
            "name",
        )
    ),
]


@router.post(
    "",
    operation_id="organization-register",
    summary="Зарегистрировать организацию",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(409, 422),
)
async def register_organization(
    session: Session, principal: CanWrite, data: OrganizationCreate
) -> OrganizationRead:
    return await service.register_organization(session, principal, data)


@router.get("", operation_id="organization-list", summary="Организации, видимые пользователю")
async def list_organizations(
    session: Session,
    principal: CanRead,
    paging: Paging,
    sort: Sort,
    kind: Annotated[OrganizationKind | None, Query(description="Вид организации")] = None,
) -> Page[OrganizationRead]:
    return await service.list_organizations(
        session, principal, paging, kind=kind.value if kind else None, order_by=sort
    )


@router.get(
    "/{org_id}", operation_id="organization-get", summary="Организация", responses=problem_responses(404)
)
async def get_organization(session: Session, principal: CanRead, org_id: uuid.UUID) -> OrganizationRead:
    return await service.get_organization(session, principal, org_id)
