import uuid
from typing import Annotated, Any

from fastapi import Depends, Query, status

from gateway.models import UserAccount
from gateway.runtime import Session
from gateway.user import service
from gateway.user.schemas import UserCreate, UserRead, UserUpdate
from oms_kit.app import secure_router
from oms_kit.auth import Principal, require_permission
from oms_kit.errors import problem_responses
from oms_kit.pagination import Page, Paging, sorting

router = secure_router(prefix="/api/admin/users", tags=["user"], responses=problem_responses(401, 403))

CanRead = Annotated[Principal, Depends(require_permission("gateway.user:read"))]
CanWrite = Annotated[Principal, Depends(require_permission("gateway.user:write"))]
Sort = Annotated[
    list[Any],
    Depends(
        sorting(
            {
                "login": UserAccount.login,
                "full_name": UserAccount.full_name,
                "created_at": UserAccount.created_at,
            },
            "login",
        )
    ),
]


@router.post(
    "",
    operation_id="user-create",
    summary="Создать пользователя",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(404, 409, 422),
)
async def create_user(session: Session, principal: CanWrite, data: UserCreate) -> UserRead:
    return await service.create_user(session, principal, data)


@router.get("", operation_id="user-list", summary="Пользователи, видимые администратору")
async def list_users(
    session: Session,
    principal: CanRead,
    paging: Paging,
    sort: Sort,
    org_id: Annotated[uuid.UUID | None, Query(description="Только пользователи этой организации")] = None,
) -> Page[UserRead]:
    return await service.list_users(session, principal, paging, org_id=org_id, order_by=sort)


@router.get("/{user_id}", operation_id="user-get", summary="Пользователь", responses=problem_responses(404))
async def get_user(session: Session, principal: CanRead, user_id: uuid.UUID) -> UserRead:
    return await service.get_user(session, principal, user_id)


@router.patch(
    "/{user_id}",
    operation_id="user-update",
    summary="Изменить пользователя (роли, ФИО, пароль, блокировка)",
    responses=problem_responses(404, 422),
)
async def update_user(
    session: Session, principal: CanWrite, user_id: uuid.UUID, data: UserUpdate
) -> UserRead:
    return await service.update_user(session, principal, user_id, data)
