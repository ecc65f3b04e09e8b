"""The equipment register of an MO: units, state changes, monthly use, inventory."""

import uuid
from datetime import date
from typing import Annotated

from fastapi import Query, status

from oms_kit.app import secure_router
from oms_kit.db import DbSession
from oms_kit.errors import problem_responses
from oms_kit.pagination import Page, Paging
from registry.mo_register.access import TAG, CanRead, CanWrite
from registry.mo_register.equipment import service
from registry.mo_register.equipment.schemas import (
    EquipmentCard,
    EquipmentCreate,
    EquipmentRead,
    EquipmentStateKind,
    EquipmentUpdate,
    InventoryCreate,
    InventoryRead,
    StateChange,
    UsageRead,
    UsageUpdate,
)

router = secure_router(prefix="/mo-register", tags=[TAG], responses=problem_responses(401, 403))
READ = problem_responses(404, 422)
WRITE = problem_responses(404, 409, 422)


@router.get(
    "/mos/{mo_id}/equipment",
    operation_id="mo_register-list-equipment",
    summary="Оборудование МО",
    responses=READ,
)
async def list_equipment(
    session: DbSession,
    principal: CanRead,
    mo_id: uuid.UUID,
    paging: Paging,
    type_code: Annotated[str | None, Query(description="Вид или группа видов (НСИ equipment_type)")] = None,
    state: Annotated[EquipmentStateKind | None, Query(description="Состояние")] = None,
    department_id: Annotated[uuid.UUID | None, Query(description="Отделение")] = None,
    q: Annotated[
        str | None, Query(max_length=100, description="Модель, заводской или инвентарный номер")
    ] = None,
) -> Page[EquipmentRead]:
    return await service.list_equipment(
        session, principal, mo_id, paging, type_code=type_code, state=state, department_id=department_id, q=q
    )


@router.post(
    "/mos/{mo_id}/equipment",
    operation_id="mo_register-create-equipment",
    summary="Внести оборудование в реестр (ввод в эксплуатацию)",
    status_code=status.HTTP_201_CREATED,
    responses=WRITE,
)
async def create_equipment(
    session: DbSession, principal: CanWrite, mo_id: uuid.UUID, data: EquipmentCreate
) -> EquipmentCard:
    return await service.create_equipment(session, principal, mo_id, data)


@router.get(
    "/equipment/{equipment_id}",
    operation_id="mo_register-get-equipment",
    summary="Карточка оборудования: состояния, использование, инвентаризации",
    responses=READ,
)
async def get_equipment(session: DbSession, principal: CanRead, equipment_id: uuid.UUID) -> EquipmentCard:
    return await service.card(session, principal, equipment_id)


@router.patch(
    "/equipment/{equipment_id}",
    operation_id="mo_register-update-equipment",
    summary="Изменить сведения или размещение оборудования",
    responses=WRITE,
)
async def update_equipment(
    session: DbSession, principal: CanWrite, equipment_id: uuid.UUID, data: EquipmentUpdate
) -> EquipmentCard:
    return await service.update_equipment(session, principal, equipment_id, data)


@router.post(
    "/equipment/{equipment_id}/state",
    operation_id="mo_register-change-equipment-state",
    summary="Сменить состояние оборудования (ремонт, возврат в работу, списание)",
    responses=WRITE,
)
async def change_state(
    session: DbSession, principal: CanWrite, equipment_id: uuid.UUID, data: StateChange
) -> EquipmentCard:
    return await service.change_state(session, principal, equipment_id, data)


@router.get(
    "/equipment/{equipment_id}/usage",
    operation_id="mo_register-list-equipment-usage",
    summary="Использование оборудования по месяцам",
    responses=READ,
)
async def list_usage(session: DbSession, principal: CanRead, equipment_id: uuid.UUID) -> list[UsageRead]:
    return await service.usage(session, principal, equipment_id)


@router.put(
    "/equipment/{equipment_id}/usage/{month}",
    operation_id="mo_register-put-equipment-usage",
    summary="Часы работы оборудования за месяц",
    responses=WRITE,
)
async def put_usage(
    session: DbSession, principal: CanWrite, equipment_id: uuid.UUID, month: date, data: UsageUpdate
) -> UsageRead:
    return await service.put_usage(session, principal, equipment_id, month, data)


@router.get(
    "/equipment/{equipment_id}/inventory",
    operation_id="mo_register-list-equipment-inventory",
    summary="Инвентаризации оборудования",
    responses=READ,
)
async def list_inventory(
    session: DbSession, principal: CanRead, equipment_id: uuid.UUID
) -> list[InventoryRead]:
    return await service.inventory(session, principal, equipment_id)


@router.post(
    "/equipment/{equipment_id}/inventory",
    operation_id="mo_register-add-equipment-inventory",
    summary="Записать результат инвентаризации",
    status_code=status.HTTP_201_CREATED,
    responses=WRITE,
)
async def add_inventory(
    session: DbSession, principal: CanWrite, equipment_id: uuid.UUID, data: InventoryCreate
) -> InventoryRead:
    return await service.add_inventory(session, principal, equipment_id, data)
