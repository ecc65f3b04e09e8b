"""Dispensing at the pharmacy counter: the scan of a package, the presented prescription, the
dispense, the deferred-service list.

Who: the pharmacist of the pharmacy (``pharmacy.prescription:dispense``; writes only in their
own pharmacy — ``scope.ensure_pharmacy_writable``); the deferred list and a dispense are read
with ``pharmacy.prescription:read`` (the fund and the health authority region-wide)."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import Depends, Path, Query, status

from oms_kit.app import secure_router
from oms_kit.auth import Principal, require_permission
from oms_kit.db import DbSession
from oms_kit.errors import problem_responses
from oms_kit.pagination import Page, Paging
from pharmacy.dispensing import service
from pharmacy.dispensing.schemas import (
    DeferredIn,
    DeferredRead,
    DispenseIn,
    DispenseRead,
    PrescriptionAtCounter,
    ScanIn,
    ScanRead,
)
from pharmacy.prescriptions.rules import DeferredServiceKind

router = secure_router(tags=["dispensing"], responses=problem_responses(401, 403))
CanDispense = Annotated[Principal, Depends(require_permission("pharmacy.prescription:dispense"))]
CanRead = Annotated[Principal, Depends(require_permission("pharmacy.prescription:read"))]
PharmacyParam = Annotated[uuid.UUID | None, Query(description="Аптека; по умолчанию — своя")]


@router.post(
    "/dispensing/scan",
    operation_id="dispensing-scan",
    summary="Скан кода маркировки: разбор и что известно об упаковке в аптеке",
    responses=problem_responses(404, 422),
)
async def scan(session: DbSession, principal: CanDispense, body: ScanIn) -> ScanRead:
    return await service.scan(session, principal, body)


@router.get(
    "/dispensing/prescription",
    operation_id="dispensing-prescription-find",
    summary="Рецепт у первого стола: по серии и номеру (как набраны или отсканированы)",
    responses=problem_responses(404, 422),
)
async def find_prescription(
    session: DbSession,
    principal: CanDispense,
    q: Annotated[str, Query(min_length=1, max_length=60, description="«Серия 7701234 № 0000123»")],
    pharmacy_id: PharmacyParam = None,
) -> PrescriptionAtCounter:
    return await service.at_counter(session, principal, text=q, pharmacy_id=pharmacy_id)


@router.get(
    "/dispensing/prescriptions/{prescription_id}",
    operation_id="dispensing-prescription-get",
    summary="Рецепт у первого стола: по идентификатору",
    responses=problem_responses(404, 422),
)
async def get_prescription(
    session: DbSession,
    principal: CanDispense,
    prescription_id: Annotated[uuid.UUID, Path(description="Идентификатор рецепта")],
    pharmacy_id: PharmacyParam = None,
) -> PrescriptionAtCounter:
    return await service.at_counter(
        session, principal, prescription_id=prescription_id, pharmacy_id=pharmacy_id
    )


@router.post(
    "/dispensing/dispenses",
    operation_id="dispensing-dispense",
    summary="Отпустить по рецепту (все проверки; остаток и коды маркировки списываются)",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(404, 409, 422),
)
async def dispense(session: DbSession, principal: CanDispense, body: DispenseIn) -> DispenseRead:
    return await service.dispense(session, principal, body)


@router.get(
    "/dispensing/dispenses/{dispense_id}",
    operation_id="dispensing-dispense-get",
    summary="Отпуск по рецепту",
    responses=problem_responses(404),
)
async def get_dispense(
    session: DbSession,
    principal: CanRead,
    dispense_id: Annotated[uuid.UUID, Path(description="Идентификатор отпуска")],
) -> DispenseRead:
    return await service.dispense_read(session, principal, dispense_id)


@router.post(
    "/dispensing/deferred",
    operation_id="dispensing-defer",
    summary="Поставить рецепт на отсроченное обслуживание",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(404, 409, 422),
)
async def defer(session: DbSession, principal: CanDispense, body: DeferredIn) -> DeferredRead:
    return await service.defer(session, principal, body)


@router.get(
    "/dispensing/deferred",
    operation_id="dispensing-deferred-list",
    summary="Отсроченное обслуживание: срок, рабочие дни до срока, просроченные; готовые к выдаче первыми",
    responses=problem_responses(404),
)
async def deferred_list(
    session: DbSession,
    principal: CanRead,
    paging: Paging,
    pharmacy_id: PharmacyParam = None,
    state: Annotated[
        Literal["open", "waiting", "ready", "served", "cancelled", "all"],
        Query(description="open — ждут или готовы к выдаче"),
    ] = "open",
    kind: Annotated[DeferredServiceKind | None, Query(description="Вид (срок 5/10/15 рабочих дней)")] = None,
    inn: Annotated[str | None, Query(max_length=300, description="Начало МНН")] = None,
    overdue: Annotated[bool | None, Query(description="Только просроченные (или только в срок)")] = None,
) -> Page[DeferredRead]:
    statuses = {
        "open": ("waiting", "ready"),
        "all": ("waiting", "ready", "served", "cancelled"),
    }.get(state, (state,))
    items = await service.deferred_list(
        session,
        principal,
        pharmacy_id=pharmacy_id,
        statuses=statuses,
        kind=kind.value if kind else None,
        inn=inn,
        overdue=overdue,
    )
    return Page(
        items=items[paging.offset : paging.offset + paging.limit],
        total=len(items),
        limit=paging.limit,
        offset=paging.offset,
    )
