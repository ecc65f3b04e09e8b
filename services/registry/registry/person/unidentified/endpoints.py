"""НИЛ endpoints: register, search, get, link to a person."""

import uuid
from datetime import date
from typing import Annotated

from fastapi import Depends, Path, Query, status

from oms_kit.app import secure_router
from oms_kit.auth import Principal, require_permission
from oms_kit.db import DbSession
from oms_kit.errors import problem_responses
from oms_kit.pagination import Page, Paging
from registry.person.unidentified import service
from registry.person.unidentified.schemas import UnidentifiedCreate, UnidentifiedLink, UnidentifiedRead

router = secure_router(
    prefix="/unidentified-persons", tags=["unidentified_person"], responses=problem_responses(401, 403)
)
CanRead = Annotated[Principal, Depends(require_permission("registry.person:read"))]
CanWrite = Annotated[Principal, Depends(require_permission("registry.person:write"))]
RecordId = Annotated[uuid.UUID, Path(description="Идентификатор НИЛ")]


@router.post(
    "",
    operation_id="unidentified_person-register",
    summary="Зарегистрировать неидентифицированное лицо (НИЛ)",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(409, 422),
)
async def register(session: DbSession, principal: CanWrite, data: UnidentifiedCreate) -> UnidentifiedRead:
    return await service.register(session, principal, data)


@router.get("", operation_id="unidentified_person-list", summary="НИЛ по параметрам")
async def search(
    session: DbSession,
    principal: CanRead,
    paging: Paging,
    sheet_number: Annotated[str | None, Query(max_length=40, description="Номер листа регистрации")] = None,
    oip: Annotated[int | None, Query(ge=1, description="ОИП установленной персоны")] = None,
    mo_id: Annotated[uuid.UUID | None, Query(description="МО")] = None,
    linked: Annotated[bool | None, Query(description="Связан ли с персоной")] = None,
    admitted_from: Annotated[date | None, Query(description="Поступил не раньше")] = None,
    admitted_to: Annotated[date | None, Query(description="Поступил не позже")] = None,
) -> Page[UnidentifiedRead]:
    return await service.search(
        session,
        principal,
        paging,
        sheet_number=sheet_number,
        oip=oip,
        mo_id=mo_id,
        linked=linked,
        admitted_from=admitted_from,
        admitted_to=admitted_to,
    )


@router.get(
    "/{record_id}", operation_id="unidentified_person-get", summary="НИЛ", responses=problem_responses(404)
)
async def get(session: DbSession, principal: CanRead, record_id: RecordId) -> UnidentifiedRead:
    return await service.get(session, principal, record_id)


@router.post(
    "/{record_id}/link",
    operation_id="unidentified_person-link",
    summary="Связать НИЛ с установленной персоной",
    responses=problem_responses(404, 409, 422),
)
async def link(
    session: DbSession, principal: CanWrite, record_id: RecordId, data: UnidentifiedLink
) -> UnidentifiedRead:
    return await service.link(session, principal, record_id, data)
