"""Service areas of an MO and their attached population by age and sex."""

import uuid
from datetime import date
from typing import Annotated

from fastapi import Query, status

from oms_kit.app import secure_router
from oms_kit.db import DbSession
from oms_kit.errors import problem_responses
from oms_kit.pagination import Page, Paging
from registry.mo_register.access import TAG, CanRead, CanWrite
from registry.mo_register.areas import service
from registry.mo_register.areas.schemas import (
    AreaCreate,
    AreaKind,
    AreaPopulation,
    AreaRead,
    AreaUpdate,
    MoPopulation,
)

router = secure_router(prefix="/mo-register", tags=[TAG], responses=problem_responses(401, 403))
READ = problem_responses(404, 422)
On = Annotated[date, Query(description="Дата, на которую считается прикреплённое население")]


@router.get("/mos/{mo_id}/areas", operation_id="mo_register-list-areas", summary="Участки МО", responses=READ)
async def list_areas(
    session: DbSession,
    principal: CanRead,
    mo_id: uuid.UUID,
    paging: Paging,
    kind: Annotated[AreaKind | None, Query(description="Вид участка")] = None,
    department_id: Annotated[uuid.UUID | None, Query(description="Отделение")] = None,
) -> Page[AreaRead]:
    return await service.list_areas(
        session, principal, mo_id, paging, kind=kind.value if kind else None, department_id=department_id
    )


@router.post(
    "/mos/{mo_id}/areas",
    operation_id="mo_register-create-area",
    summary="Добавить участок",
    status_code=status.HTTP_201_CREATED,
    responses=READ,
)
async def create_area(
    session: DbSession, principal: CanWrite, mo_id: uuid.UUID, data: AreaCreate
) -> AreaRead:
    return await service.create_area(session, principal, mo_id, data)


@router.get(
    "/mos/{mo_id}/population",
    operation_id="mo_register-mo-population",
    summary="Прикреплённое население МО по участкам, полу и возрасту",
    responses=READ,
)
async def mo_population(session: DbSession, principal: CanRead, mo_id: uuid.UUID, on: On) -> MoPopulation:
    return await service.mo_attached(session, principal, mo_id, on)


@router.get("/areas/{area_id}", operation_id="mo_register-get-area", summary="Участок", responses=READ)
async def get_area(session: DbSession, principal: CanRead, area_id: uuid.UUID) -> AreaRead:
    return await service.get_area(session, principal, area_id)


@router.patch(
    "/areas/{area_id}", operation_id="mo_register-update-area", summary="Изменить участок", responses=READ
)
async def update_area(
    session: DbSession, principal: CanWrite, area_id: uuid.UUID, data: AreaUpdate
) -> AreaRead:
    return await service.update_area(session, principal, area_id, data)


@router.delete(
    "/areas/{area_id}",
    operation_id="mo_register-delete-area",
    summary="Удалить участок",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=READ,
)
async def delete_area(session: DbSession, principal: CanWrite, area_id: uuid.UUID) -> None:
    await service.delete_area(session, principal, area_id)


@router.get(
    "/areas/{area_id}/population",
    operation_id="mo_register-area-population",
    summary="Прикреплённое население участка по полу и возрасту",
    responses=READ,
)
async def area_population(
    session: DbSession, principal: CanRead, area_id: uuid.UUID, on: On
) -> AreaPopulation:
    return await service.area_attached(session, principal, area_id, on)
