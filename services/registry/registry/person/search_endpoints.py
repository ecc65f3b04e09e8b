"""Search in the register and newborns by mother (before ``/persons/{id}`` in the app)."""

import uuid
from datetime import date
from typing import Annotated

from fastapi import Depends, Query

from oms_kit.app import secure_router
from oms_kit.auth import Principal, require_permission
from oms_kit.db import DbSession
from oms_kit.errors import problem_responses
from oms_kit.pagination import Page, Paging
from registry.person import search
from registry.person.schemas import PersonSummary

router = secure_router(prefix="/persons", tags=["person"], responses=problem_responses(401, 403))
CanRead = Annotated[Principal, Depends(require_permission("registry.person:read"))]
Text = Annotated[str | None, Query(max_length=100)]


@router.get(
    "",
    operation_id="person-search",
    summary="Поиск персон: по СНИЛС, ЕНП, полису, документу или ФИО с датой рождения",
    responses=problem_responses(422),
)
async def search_persons(
    session: DbSession,
    principal: CanRead,
    paging: Paging,
    snils: Annotated[str | None, Query(max_length=14, description="СНИЛС")] = None,
    enp: Annotated[str | None, Query(pattern=r"^\d{16}$", description="ЕНП")] = None,
    policy: Annotated[str | None, Query(max_length=30, description="Номер полиса (ЕНП или прежний)")] = None,
    document_type: Annotated[str | None, Query(max_length=10, description="Вид документа (F011)")] = None,
    document_series: Text = None,
    document_number: Text = None,
    surname: Text = None,
    first_name: Text = None,
    patronymic: Text = None,
    birth_date: Annotated[date | None, Query(description="Дата рождения")] = None,
) -> Page[PersonSummary]:
    query = search.PersonQuery(
        snils=snils,
        enp=enp,
        policy=policy,
        document_type=document_type,
        document_series=document_series,
        document_number=document_number,
        surname=surname,
        first_name=first_name,
        patronymic=patronymic,
        birth_date=birth_date,
    )
    return await search.search_persons(session, principal, query, paging)


@router.get(
    "/newborns",
    operation_id="person-newborns",
    summary="Новорождённые по матери и дате рождения",
    responses=problem_responses(404),
)
async def find_newborns(
    session: DbSession,
    principal: CanRead,
    paging: Paging,
    mother_id: Annotated[uuid.UUID, Query(description="Мать")],
    birth_date: Annotated[date | None, Query(description="Дата рождения")] = None,
) -> Page[PersonSummary]:
    return await search.newborns(session, principal, mother_id, birth_date, paging)
