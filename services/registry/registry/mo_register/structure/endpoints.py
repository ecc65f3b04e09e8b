"""The MO card, its tree and the CRUD of branches, departments and rooms."""

import uuid
from typing import Annotated

from fastapi import Query, status

from oms_kit.app import secure_router
from oms_kit.db import DbSession
from oms_kit.errors import problem_responses
from oms_kit.pagination import Page, Paging
from registry.mo_register.access import TAG, CanRead, CanWrite
from registry.mo_register.structure import service
from registry.mo_register.structure.schemas import (
    BranchCreate,
    BranchRead,
    BranchUpdate,
    DepartmentCreate,
    DepartmentRead,
    DepartmentUpdate,
    MoCard,
    MoPassportUpdate,
    MoSummary,
    MoTree,
    RoomCreate,
    RoomRead,
    RoomUpdate,
)

router = secure_router(prefix="/mo-register", tags=[TAG], responses=problem_responses(401, 403))
READ = problem_responses(404, 422)
WRITE = problem_responses(404, 409, 422)


@router.get("/mos", operation_id="mo_register-list-mos", summary="Медицинские организации реестра")
async def list_mos(
    session: DbSession,
    principal: CanRead,
    paging: Paging,
    territory_id: Annotated[uuid.UUID | None, Query(description="Территория размещения")] = None,
    q: Annotated[str | None, Query(max_length=100, description="Часть наименования или кода")] = None,
) -> Page[MoSummary]:
    return await service.list_mos(session, principal, paging, territory_id=territory_id, q=q)


@router.get("/mos/{mo_id}", operation_id="mo_register-get-mo", summary="Паспорт МО", responses=READ)
async def get_mo(session: DbSession, principal: CanRead, mo_id: uuid.UUID) -> MoCard:
    return await service.card(session, principal, mo_id)


@router.put(
    "/mos/{mo_id}", operation_id="mo_register-update-mo", summary="Изменить паспорт МО", responses=WRITE
)
async def update_mo(
    session: DbSession, principal: CanWrite, mo_id: uuid.UUID, data: MoPassportUpdate
) -> MoCard:
    return await service.update_passport(session, principal, mo_id, data)


@router.get(
    "/mos/{mo_id}/tree",
    operation_id="mo_register-get-tree",
    summary="Структура МО: филиалы, отделения, кабинеты",
    responses=READ,
)
async def get_tree(session: DbSession, principal: CanRead, mo_id: uuid.UUID) -> MoTree:
    return await service.tree(session, principal, mo_id)


# --- branches -----------------------------------------------------------------------------


@router.get(
    "/mos/{mo_id}/branches", operation_id="mo_register-list-branches", summary="Филиалы МО", responses=READ
)
async def list_branches(
    session: DbSession, principal: CanRead, mo_id: uuid.UUID, paging: Paging
) -> Page[BranchRead]:
    return await service.list_branches(session, principal, mo_id, paging)


@router.post(
    "/mos/{mo_id}/branches",
    operation_id="mo_register-create-branch",
    summary="Добавить филиал",
    status_code=status.HTTP_201_CREATED,
    responses=WRITE,
)
async def create_branch(
    session: DbSession, principal: CanWrite, mo_id: uuid.UUID, data: BranchCreate
) -> BranchRead:
    return await service.create_branch(session, principal, mo_id, data)


@router.patch(
    "/branches/{branch_id}",
    operation_id="mo_register-update-branch",
    summary="Изменить филиал",
    responses=WRITE,
)
async def update_branch(
    session: DbSession, principal: CanWrite, branch_id: uuid.UUID, data: BranchUpdate
) -> BranchRead:
    return await service.update_branch(session, principal, branch_id, data)


@router.delete(
    "/branches/{branch_id}",
    operation_id="mo_register-delete-branch",
    summary="Удалить филиал без отделений",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=WRITE,
)
async def delete_branch(session: DbSession, principal: CanWrite, branch_id: uuid.UUID) -> None:
    await service.delete_branch(session, principal, branch_id)


# --- departments --------------------------------------------------------------------------


@router.get(
    "/mos/{mo_id}/departments",
    operation_id="mo_register-list-departments",
    summary="Отделения МО",
    responses=READ,
)
async def list_departments(
    session: DbSession,
    principal: CanRead,
    mo_id: uuid.UUID,
    paging: Paging,
    branch_id: Annotated[uuid.UUID | None, Query(description="Только отделения филиала")] = None,
    department_type: Annotated[str | None, Query(description="Вид отделения")] = None,
) -> Page[DepartmentRead]:
    return await service.list_departments(
        session, principal, mo_id, paging, branch_id=branch_id, department_type=department_type
    )


@router.post(
    "/mos/{mo_id}/departments",
    operation_id="mo_register-create-department",
    summary="Добавить отделение",
    status_code=status.HTTP_201_CREATED,
    responses=WRITE,
)
async def create_department(
    session: DbSession, principal: CanWrite, mo_id: uuid.UUID, data: DepartmentCreate
) -> DepartmentRead:
    return await service.create_department(session, principal, mo_id, data)


@router.patch(
    "/departments/{department_id}",
    operation_id="mo_register-update-department",
    summary="Изменить отделение",
    responses=WRITE,
)
async def update_department(
    session: DbSession, principal: CanWrite, department_id: uuid.UUID, data: DepartmentUpdate
) -> DepartmentRead:
    return await service.update_department(session, principal, department_id, data)


@router.delete(
    "/departments/{department_id}",
    operation_id="mo_register-delete-department",
    summary="Удалить пустое отделение",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=WRITE,
)
async def delete_department(session: DbSession, principal: CanWrite, department_id: uuid.UUID) -> None:
    await service.delete_department(session, principal, department_id)


# --- rooms --------------------------------------------------------------------------------


@router.get(
    "/departments/{department_id}/rooms",
    operation_id="mo_register-list-rooms",
    summary="Кабинеты отделения",
    responses=READ,
)
async def list_rooms(
    session: DbSession, principal: CanRead, department_id: uuid.UUID, paging: Paging
) -> Page[RoomRead]:
    return await service.list_rooms(session, principal, department_id, paging)


@router.post(
    "/departments/{department_id}/rooms",
    operation_id="mo_register-create-room",
    summary="Добавить кабинет",
    status_code=status.HTTP_201_CREATED,
    responses=WRITE,
)
async def create_room(
    session: DbSession, principal: CanWrite, department_id: uuid.UUID, data: RoomCreate
) -> RoomRead:
    return await service.create_room(session, principal, department_id, data)


@router.patch(
    "/rooms/{room_id}", operation_id="mo_register-update-room", summary="Изменить кабинет", responses=WRITE
)
async def update_room(
    session: DbSession, principal: CanWrite, room_id: uuid.UUID, data: RoomUpdate
) -> RoomRead:
    return await service.update_room(session, principal, room_id, data)


@router.delete(
    "/rooms/{room_id}",
    operation_id="mo_register-delete-room",
    summary="Удалить кабинет без оборудования",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=WRITE,
)
async def delete_room(session: DbSession, principal: CanWrite, room_id: uuid.UUID) -> None:
    await service.delete_room(session, principal, room_id)
