"""Persons: registration, the person on a date, corrections as explicit operations, history."""

import uuid
from datetime import date, datetime
from typing import Annotated

from fastapi import Depends, Path, Query, status

from oms_kit.app import secure_router
from oms_kit.auth import Principal, require_permission
from oms_kit.db import DbSession
from oms_kit.errors import problem_responses
from registry.matching.registration import PROBABLE_DUPLICATE_RESPONSE
from registry.person import drafts, exclusions, service
from registry.person.facts import FactDraft
from registry.person.schemas import (
    AddressIn,
    BirthIn,
    ContactIn,
    DeathIn,
    DocumentIn,
    EmploymentIn,
    EnpIn,
    NameIn,
    PersonCreate,
    PersonExclusions,
    PersonHistory,
    PersonRead,
    SexIn,
    SnilsIn,
)

router = secure_router(prefix="/persons", tags=["person"], responses=problem_responses(401, 403))

CanRead = Annotated[Principal, Depends(require_permission("registry.person:read"))]
CanWrite = Annotated[Principal, Depends(require_permission("registry.person:write"))]
PersonId = Annotated[uuid.UUID, Path(description="Идентификатор персоны")]
On = Annotated[date | None, Query(description="На какую дату (по умолчанию — сегодня)")]
AsOf = Annotated[
    datetime | None, Query(description="По состоянию знаний регистра на момент (по умолчанию — сейчас)")
]
CHANGE = problem_responses(404, 409, 422)


@router.post(
    "",
    operation_id="person-register",
    summary="Зарегистрировать застрахованное лицо",
    status_code=status.HTTP_201_CREATED,
    responses={**problem_responses(422), **PROBABLE_DUPLICATE_RESPONSE},
)
async def register_person(session: DbSession, principal: CanWrite, data: PersonCreate) -> PersonRead:
    return await service.register_person(session, principal, data)


@router.get(
    "/by-oip/{oip}",
    operation_id="person-get-by-oip",
    summary="Персона по ОИП (с переходом к персоне-продолжателю после объединения)",
    responses=problem_responses(404),
)
async def get_by_oip(
    session: DbSession, principal: CanRead, oip: Annotated[int, Path(description="ОИП", ge=1)]
) -> PersonRead:
    return await service.get_by_oip(session, principal, oip)


@router.get(
    "/{person_id}",
    operation_id="person-get",
    summary="Сведения о персоне на дату",
    responses=problem_responses(404),
)
async def get_person(
    session: DbSession, principal: CanRead, person_id: PersonId, on: On = None, as_of: AsOf = None
) -> PersonRead:
    return await service.get_person(session, principal, person_id, on=on, as_of=as_of)


@router.get(
    "/{person_id}/history",
    operation_id="person-history",
    summary="История сведений о персоне (периоды действия и учёта)",
    responses=problem_responses(404),
)
async def get_history(session: DbSession, principal: CanRead, person_id: PersonId) -> PersonHistory:
    return await service.history(session, principal, person_id)


@router.get(
    "/{person_id}/exclusions",
    operation_id="person-exclusions",
    summary="Исключения персоны из регистра неработающих застрахованных лиц (по итогам сверок)",
    responses=problem_responses(404),
)
async def get_exclusions(session: DbSession, principal: CanRead, person_id: PersonId) -> PersonExclusions:
    return await exclusions.exclusions_of(session, principal, person_id)


async def _record(
    session: DbSession, principal: Principal, person_id: uuid.UUID, draft: FactDraft, reason: str
) -> PersonRead:
    return await service.record(session, principal, person_id, draft, reason=reason)


@router.post(
    "/{person_id}/names",
    operation_id="person-record-name",
    summary="ФИО (смена или исправление)",
    responses=CHANGE,
)
async def record_name(
    session: DbSession, principal: CanWrite, person_id: PersonId, data: NameIn
) -> PersonRead:
    birth = await service.birth_date_of(session, principal, person_id)
    return await _record(session, principal, person_id, drafts.name_draft(data, birth), "Изменение ФИО")


@router.post(
    "/{person_id}/sex", operation_id="person-record-sex", summary="Пол (исправление)", responses=CHANGE
)
async def record_sex(session: DbSession, principal: CanWrite, person_id: PersonId, data: SexIn) -> PersonRead:
    birth = await service.birth_date_of(session, principal, person_id)
    return await _record(session, principal, person_id, drafts.sex_draft(data, birth), "Изменение пола")


@router.post(
    "/{person_id}/birth",
    operation_id="person-record-birth",
    summary="Дата и место рождения (исправление)",
    responses=CHANGE,
)
async def record_birth(
    session: DbSession, principal: CanWrite, person_id: PersonId, data: BirthIn
) -> PersonRead:
    return await _record(session, principal, person_id, drafts.birth_draft(data), "Исправление даты рождения")


@router.post("/{person_id}/snils", operation_id="person-record-snils", summary="СНИЛС", responses=CHANGE)
async def record_snils(
    session: DbSession, principal: CanWrite, person_id: PersonId, data: SnilsIn
) -> PersonRead:
    birth = await service.birth_date_of(session, principal, person_id)
    return await _record(session, principal, person_id, drafts.snils_draft(data, birth), "Изменение СНИЛС")


@router.post("/{person_id}/enp", operation_id="person-record-enp", summary="ЕНП", responses=CHANGE)
async def record_enp(session: DbSession, principal: CanWrite, person_id: PersonId, data: EnpIn) -> PersonRead:
    birth = await service.birth_date_of(session, principal, person_id)
    return await _record(session, principal, person_id, drafts.enp_draft(data, birth), "Изменение ЕНП")


@router.post(
    "/{person_id}/documents",
    operation_id="person-record-document",
    summary="Документ, удостоверяющий личность",
    responses=CHANGE,
)
async def record_document(
    session: DbSession, principal: CanWrite, person_id: PersonId, data: DocumentIn
) -> PersonRead:
    return await _record(session, principal, person_id, drafts.document_draft(data), "Изменение ДУДЛ")


@router.post(
    "/{person_id}/addresses", operation_id="person-record-address", summary="Адрес", responses=CHANGE
)
async def record_address(
    session: DbSession, principal: CanWrite, person_id: PersonId, data: AddressIn
) -> PersonRead:
    return await _record(session, principal, person_id, drafts.address_draft(data), "Изменение адреса")


@router.post(
    "/{person_id}/contacts", operation_id="person-record-contact", summary="Контакт", responses=CHANGE
)
async def record_contact(
    session: DbSession, principal: CanWrite, person_id: PersonId, data: ContactIn
) -> PersonRead:
    return await _record(session, principal, person_id, drafts.contact_draft(data), "Изменение контактов")


@router.post(
    "/{person_id}/employment",
    operation_id="person-record-employment",
    summary="Статус занятости (работающий / неработающий)",
    responses=CHANGE,
)
async def record_employment(
    session: DbSession, principal: CanWrite, person_id: PersonId, data: EmploymentIn
) -> PersonRead:
    return await _record(
        session, principal, person_id, drafts.employment_draft(data), "Изменение статуса занятости"
    )


@router.post("/{person_id}/death", operation_id="person-record-death", summary="Смерть", responses=CHANGE)
async def record_death(
    session: DbSession, principal: CanWrite, person_id: PersonId, data: DeathIn
) -> PersonRead:
    return await _record(session, principal, person_id, drafts.death_draft(data), "Регистрация смерти")


@router.delete(
    "/{person_id}/facts/{fact_id}",
    operation_id="person-retract-fact",
    summary="Отозвать ошибочную запись (остаётся в истории)",
    responses=problem_responses(404),
)
async def retract_fact(
    session: DbSession, principal: CanWrite, person_id: PersonId, fact_id: Annotated[int, Path(ge=1)]
) -> PersonRead:
    return await service.retract(session, principal, person_id, fact_id)
