"""Territories of the region, their demographics and the MOs placed in them."""

import uuid
from typing import Annotated

from fastapi import Query, status

from oms_kit.app import secure_router
from oms_kit.db import DbSession
from oms_kit.errors import problem_responses
from oms_kit.pagination import Page, Paging
from registry.mo_register.access import TAG, CanRead, CanWrite
from registry.mo_register.structure.schemas import MoSummary
from registry.mo_register.territory import service
from registry.mo_register.territory.schemas import (
    PopulationLoad,
    TerritoryCreate,
    TerritoryPopulationRead,
    TerritoryRead,
    TerritoryUpdate,
)

router = secure_router(prefix="/mo-register/territories", tags=[TAG], responses=problem_responses(401, 403))
READ = problem_responses(404, 422)


@router.get("", operation_id="mo_register-list-territories", summary="Территории региона")
async def list_territories(
    session: DbSession,
    principal: CanRead,
    paging: Paging,
    q: Annotated[str | None, Query(max_length=100, description="Часть наименования или начало ОКТМО")] = None,
) -> Page[TerritoryRead]:
    return await service.list_territories(session, paging, q=q)


@router.post(
    "",
    operation_id="mo_register-create-territory",
    summary="Добавить территорию",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(422),
)
async def create_territory(session: DbSession, principal: CanWrite, data: TerritoryCreate) -> TerritoryRead:
    return await service.create_territory(session, principal, data)


@router.get("/{territory_id}", operation_id="mo_register-get-territory", summary="Территория", responses=READ)
async def get_territory(session: DbSession, principal: CanRead, territory_id: uuid.UUID) -> TerritoryRead:
    return await service.get_territory(session, territory_id)


@router.patch(
    "/{territory_id}",
    operation_id="mo_register-update-territory",
    summary="Изменить территорию",
    responses=READ,
)
async def update_territory(
    session: DbSession, principal: CanWrite, territory_id: uuid.UUID, data: TerritoryUpdate
) -> TerritoryRead:
    return await service.update_territory(session, principal, territory_id, data)


@router.get(
    "/{territory_id}/population",
    operation_id="mo_register-territory-population",
    summary="Численность населения территории по полу и возрасту",
    responses=READ,
)
async def get_population(
    session: DbSession,
    principal: CanRead,
    territory_id: uuid.UUID,
    year: Annotated[int | None, Query(description="Год (на 1 января); пусто — последний загруженный")] = None,
) -> TerritoryPopulationRead:
    return await service.population(session, territory_id, year)


@router.put(
    "/{territory_id}/population/{year}",
    operation_id="mo_register-load-territory-population",
    summary="Загрузить численность населения территории за год",
    responses=READ,
)
async def load_population(
    session: DbSession, principal: CanWrite, territory_id: uuid.UUID, year: int, data: PopulationLoad
) -> TerritoryPopulationRead:
    return await service.load_population(session, principal, territory_id, year, data)


@router.get(
    "/{territory_id}/mos",
    operation_id="mo_register-list-territory-mos",
    summary="Медицинские организации территории",
    responses=READ,
)
async def list_territory_mos(
    session: DbSession, principal: CanRead, territory_id: uuid.UUID, paging: Paging
) -> Page[MoSummary]:
    return await service.mos_in(session, principal, territory_id, paging)
