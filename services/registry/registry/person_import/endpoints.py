"""Bulk import and export of the register as jobs (before ``/persons/{person_id}`` in the app)."""

import uuid
from datetime import date
from typing import Annotated

from fastapi import Depends, Query, Request, status

from oms_kit.app import secure_router
from oms_kit.auth import Principal, require_permission
from oms_kit.db import DbSession
from oms_kit.errors import problem_responses
from oms_kit.jobs import JobRead, upload_request_body
from registry.person.schemas import NonWorkingPage
from registry.person_import import non_working, service
from registry.person_import.service import IMPORT_MEDIA_TYPES, ExportFormat

router = secure_router(prefix="/persons", tags=["person"], responses=problem_responses(401, 403))
CanRead = Annotated[Principal, Depends(require_permission("registry.person:read"))]
CanWrite = Annotated[Principal, Depends(require_permission("registry.person:write"))]


@router.post(
    "/imports",
    operation_id="person-import",
    summary="Импорт файла регистра застрахованных лиц (CSV или XLSX) — фоновое задание",
    status_code=status.HTTP_202_ACCEPTED,
    openapi_extra=upload_request_body(IMPORT_MEDIA_TYPES),
    responses=problem_responses(413, 415, 422),
)
async def start_import(session: DbSession, request: Request, principal: CanWrite) -> JobRead:
    return await service.start_import(session, principal, request)


@router.get(
    "/export",
    operation_id="person-export",
    summary="Выгрузка регистра застрахованных лиц (CSV или XLSX) — фоновое задание",
    status_code=status.HTTP_202_ACCEPTED,
    responses=problem_responses(404, 422),
)
async def start_export(
    session: DbSession,
    principal: CanRead,
    format: Annotated[ExportFormat, Query(description="Формат файла")] = ExportFormat.csv,
    mo_id: Annotated[uuid.UUID | None, Query(description="Только прикреплённые к МО")] = None,
    on: Annotated[date | None, Query(description="На какую дату (по умолчанию — сегодня)")] = None,
) -> JobRead:
    return await service.start_export(session, principal, file_format=format, mo_id=mo_id, on=on)


@router.get(
    "/non-working",
    operation_id="person-non-working-register",
    summary="Реестр неработающих застрахованных лиц на дату (для сверки) — постранично",
    description=(
        "Персоны, у которых на дату on статус занятости «неработающий», застрахованные на эту дату "
        "и не умершие до неё, в колонках реестра сверки. Постранично по идентификатору персоны: "
        "следующая страница — after=next_after. Только для ролей уровня региона; каждая выданная "
        "персона записывается в журнал доступа."
    ),
    responses=problem_responses(422),
)
async def non_working_register(
    session: DbSession,
    principal: CanRead,
    on: Annotated[date, Query(description="На какую дату")],
    after: Annotated[uuid.UUID | None, Query(description="next_after предыдущей страницы")] = None,
    limit: Annotated[
        int, Query(ge=1, le=non_working.MAX_LIMIT, description="Персон на странице")
    ] = non_working.DEFAULT_LIMIT,
) -> NonWorkingPage:
    return await non_working.non_working_page(session, principal, on=on, after=after, limit=limit)
