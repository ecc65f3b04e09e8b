"""Licenses of an MO."""

import uuid
from datetime import date
from typing import Annotated

from fastapi import Query, status

from oms_kit.app import secure_router
from oms_kit.db import DbSession
from oms_kit.errors import problem_responses
from oms_kit.pagination import Page, Paging
from registry.mo_register.access import TAG, CanRead, CanWrite
from registry.mo_register.licenses import service
from registry.mo_register.licenses.schemas import LicenseCreate, LicenseRead, LicenseUpdate

router = secure_router(prefix="/mo-register", tags=[TAG], responses=problem_responses(401, 403))
READ = problem_responses(404, 422)
WRITE = problem_responses(404, 422)


@router.get(
    "/mos/{mo_id}/licenses", operation_id="mo_register-list-licenses", summary="Лицензии МО", responses=READ
)
async def list_licenses(
    session: DbSession,
    principal: CanRead,
    mo_id: uuid.UUID,
    paging: Paging,
    on: Annotated[date | None, Query(description="Только действующие на дату")] = None,
) -> Page[LicenseRead]:
    return await service.list_licenses(session, principal, mo_id, paging, on=on)


@router.post(
    "/mos/{mo_id}/licenses",
    operation_id="mo_register-create-license",
    summary="Добавить лицензию",
    status_code=status.HTTP_201_CREATED,
    responses=WRITE,
)
async def create_license(
    session: DbSession, principal: CanWrite, mo_id: uuid.UUID, data: LicenseCreate
) -> LicenseRead:
    return await service.create_license(session, principal, mo_id, data)


@router.get(
    "/licenses/{license_id}", operation_id="mo_register-get-license", summary="Лицензия", responses=READ
)
async def get_license(session: DbSession, principal: CanRead, license_id: uuid.UUID) -> LicenseRead:
    return await service.get_license(session, principal, license_id)


@router.patch(
    "/licenses/{license_id}",
    operation_id="mo_register-update-license",
    summary="Изменить лицензию",
    responses=WRITE,
)
async def update_license(
    session: DbSession, principal: CanWrite, license_id: uuid.UUID, data: LicenseUpdate
) -> LicenseRead:
    return await service.update_license(session, principal, license_id, data)


@router.delete(
    "/licenses/{license_id}",
    operation_id="mo_register-delete-license",
    summary="Удалить ошибочно внесённую лицензию",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=WRITE,
)
async def delete_license(session: DbSession, principal: CanWrite, license_id: uuid.UUID) -> None:
    await service.delete_license(session, principal, license_id)
