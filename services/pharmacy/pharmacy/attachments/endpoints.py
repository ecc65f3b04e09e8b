"""The MO–pharmacy attachment: the pharmacies (with the MOs they serve and, on request, their
stock), one MO's pharmacies, and the MO's list replaced as a whole.

Who: whoever reads stock or prescriptions reads it, within their scope (``pharmacy.scope``: a
doctor the pharmacies of their MO, a pharmacist their own, the fund and the health authority
everything); the fund and the health authority change it (``pharmacy.attachment:write``,
gateway/access/roles.py)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Path, Query

from oms_kit.app import secure_router
from oms_kit.auth import Principal, require_permission
from oms_kit.db import DbSession
from oms_kit.errors import problem_responses
from oms_kit.pagination import Page, Paging, sorting
from pharmacy.attachments import service
from pharmacy.attachments.schemas import MoPharmacies, MoPharmaciesIn, PharmacyRead
from pharmacy.models import Organization
from pharmacy.permissions import require_any_permission

READ_PERMISSIONS = ("pharmacy.stock:read", "pharmacy.prescription:read")


router = secure_router(tags=["attachment"], responses=problem_responses(401, 403))
CanRead = Annotated[Principal, Depends(require_any_permission(*READ_PERMISSIONS))]
CanWrite = Annotated[Principal, Depends(require_permission("pharmacy.attachment:write"))]
MoId = Annotated[uuid.UUID, Path(description="Идентификатор медицинской организации")]
WithStock = Annotated[bool, Query(description="Добавить сводку остатков аптеки")]
On = Annotated[date | None, Query(description="Дата сводки остатков (по умолчанию — сегодня)")]

SORTS = {"code": Organization.code, "name": Organization.name}
Sorting = Annotated[list[Any], Depends(sorting(SORTS, "code"))]


@router.get(
    "/pharmacies",
    operation_id="attachment-pharmacy-list",
    summary="Аптеки, обслуживающие льготные рецепты: прикреплённые МО и остатки",
)
async def list_pharmacies(
    session: DbSession,
    principal: CanRead,
    paging: Paging,
    order: Sorting,
    q: Annotated[str | None, Query(max_length=200, description="Часть названия или кода аптеки")] = None,
    mo_id: Annotated[uuid.UUID | None, Query(description="Только аптеки, прикреплённые к этой МО")] = None,
    with_stock: WithStock = False,
    on: On = None,
) -> Page[PharmacyRead]:
    items, total = await service.list_pharmacies(
        session,
        principal,
        q=q,
        mo_id=mo_id,
        with_stock=with_stock,
        on=on or date.today(),
        order=order,
        limit=paging.limit,
        offset=paging.offset,
    )
    return Page(items=items, total=total, limit=paging.limit, offset=paging.offset)


@router.get(
    "/mos/{mo_id}/pharmacies",
    operation_id="attachment-mo-pharmacies",
    summary="Аптеки, прикреплённые к МО",
    responses=problem_responses(404),
)
async def get_mo_pharmacies(
    session: DbSession, principal: CanRead, mo_id: MoId, with_stock: WithStock = False, on: On = None
) -> MoPharmacies:
    return await service.mo_pharmacies(
        session, principal, mo_id, with_stock=with_stock, on=on or date.today()
    )


@router.put(
    "/mos/{mo_id}/pharmacies",
    operation_id="attachment-mo-pharmacies-set",
    summary="Задать аптеки, прикреплённые к МО (список заменяется целиком)",
    description=(
        "Неизвестные справочнику организаций МО или аптеки — 422 с их идентификаторами; "
        "тогда ничего не меняется. Пустой список открепляет все аптеки."
    ),
    responses=problem_responses(422),
    openapi_extra={"x-upsert": True},
)
async def set_mo_pharmacies(
    session: DbSession, principal: CanWrite, mo_id: MoId, body: MoPharmaciesIn
) -> MoPharmacies:
    return await service.set_mo_pharmacies(session, principal, mo_id, body, on=date.today())
