import uuid
from typing import Annotated

from fastapi import Depends, Query, status

from gateway.api_key import service
from gateway.api_key.schemas import ApiKeyCreate, ApiKeyCreated, ApiKeyRead
from gateway.runtime import GatewayState, Session
from oms_kit.app import secure_router
from oms_kit.auth import Principal, require_permission
from oms_kit.errors import problem_responses
from oms_kit.pagination import Page, Paging

router = secure_router(prefix="/api/admin/api-keys", tags=["api_key"], responses=problem_responses(401, 403))

CanRead = Annotated[Principal, Depends(require_permission("gateway.api_key:read"))]
CanWrite = Annotated[Principal, Depends(require_permission("gateway.api_key:write"))]


@router.post(
    "",
    operation_id="api_key-create",
    summary="Выпустить ключ API (ключ показывается один раз)",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(404, 422),
)
async def create_api_key(session: Session, principal: CanWrite, data: ApiKeyCreate) -> ApiKeyCreated:
    return await service.create_api_key(session, principal, data)


@router.get("", operation_id="api_key-list", summary="Ключи API (без секретов)")
async def list_api_keys(
    session: Session,
    principal: CanRead,
    paging: Paging,
    org_id: Annotated[uuid.UUID | None, Query(description="Только ключи этой организации")] = None,
    include_revoked: Annotated[bool, Query(description="Показать и отозванные")] = False,
) -> Page[ApiKeyRead]:
    return await service.list_api_keys(
        session, principal, paging, org_id=org_id, include_revoked=include_revoked
    )


@router.post(
    "/{key_id}/revoke",
    operation_id="api_key-revoke",
    summary="Отозвать ключ API",
    responses=problem_responses(404),
)
async def revoke_api_key(
    session: Session, gateway: GatewayState, principal: CanWrite, key_id: uuid.UUID
) -> ApiKeyRead:
    revoked = await service.revoke_api_key(session, principal, key_id)
    gateway.machine_access.forget(key_id)
    return revoked
