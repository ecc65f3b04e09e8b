"""``/deviations``: the list (``finance.budget:read``; scoped, FOMS 403), one deviation, its
acknowledgement (``finance.deviation:write``) and the region's search job (``finance.deviation:search``)."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Body, Depends, Query

from finance.deviations import jobs, service
from finance.deviations.schemas import AcknowledgeIn, DeviationPage, DeviationRead, Kind, SearchIn, Status
from oms_kit.app import secure_router
from oms_kit.auth import Principal, require_permission
from oms_kit.db import DbSession
from oms_kit.errors import problem_responses
from oms_kit.jobs import JobRead
from oms_kit.pagination import Paging

router = secure_router(prefix="/deviations", tags=["deviations"], responses=problem_responses(401, 403))
CanRead = Annotated[Principal, Depends(require_permission("finance.budget:read"))]
CanWrite = Annotated[Principal, Depends(require_permission("finance.deviation:write"))]
# The search runs over every MO of the region: the fund and the health authority start it, not an MO.
CanSearch = Annotated[Principal, Depends(require_permission("finance.deviation:search"))]


@router.get(
    "",
    operation_id="deviations-list",
    summary="Отклонения: выбросы месяц к месяцу и среди сопоставимых МО, нарушения правил",
    responses=problem_responses(404, 422),
)
async def list_deviations(
    session: DbSession,
    principal: CanRead,
    paging: Paging,
    mo_id: Annotated[uuid.UUID | None, Query(description="МО")] = None,
    month: Annotated[str | None, Query(description="Месяц, ГГГГ-ММ")] = None,
    kind: Annotated[Kind | None, Query(description="Вид отклонения")] = None,
    status: Annotated[Status | None, Query(description="Состояние")] = None,
) -> DeviationPage:
    return await service.list_deviations(
        session, principal, paging, mo_id=mo_id, month=month, kind=kind, status=status
    )


@router.post(
    "/searches",
    operation_id="deviations-search",
    summary="Запустить поиск отклонений по всем МО региона (задание с ходом выполнения)",
    status_code=202,
    responses=problem_responses(422),
)
async def start_search(
    session: DbSession, principal: CanSearch, body: Annotated[SearchIn | None, Body()] = None
) -> JobRead:
    return await jobs.start_search(session, principal, (body or SearchIn()).model_dump())


@router.get(
    "/{deviation_id}",
    operation_id="deviations-get",
    summary="Отклонение",
    responses=problem_responses(404),
)
async def get_deviation(session: DbSession, principal: CanRead, deviation_id: uuid.UUID) -> DeviationRead:
    return await service.get_deviation(session, principal, deviation_id)


@router.post(
    "/{deviation_id}/acknowledge",
    operation_id="deviations-acknowledge",
    summary="Отметить отклонение рассмотренным (кто, когда, комментарий)",
    responses=problem_responses(404, 409, 422),
)
async def acknowledge(
    session: DbSession,
    principal: CanWrite,
    deviation_id: uuid.UUID,
    body: Annotated[AcknowledgeIn | None, Body()] = None,
) -> DeviationRead:
    return await service.acknowledge(session, principal, deviation_id, body or AcknowledgeIn())
