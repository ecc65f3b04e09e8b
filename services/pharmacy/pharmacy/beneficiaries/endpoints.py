"""The register of beneficiaries: categories, the list, a person's card and entitlement on a date,
registration and changes, the federal register's load.

Who: doctors and pharmacists read region-wide (the counter serves any beneficiary of the
region) and every read is audited; registry operators (and TFOMS) write
(``pharmacy.beneficiary:read`` / ``:write``, gateway/access/roles.py)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import Depends, Path, Query, Request, status

from oms_kit.app import secure_router
from oms_kit.auth import Principal, require_permission
from oms_kit.db import DbSession
from oms_kit.errors import NotFound, problem_responses
from oms_kit.jobs import JobRead, job_read, receive_upload, submit_job, upload_request_body
from oms_kit.pagination import Page, Paging, sorting
from pharmacy.beneficiaries import repository, service
from pharmacy.beneficiaries.jobs import FEDERAL_REGISTER_LOAD, FEDERAL_REGISTER_MATCH
from pharmacy.beneficiaries.repository import BeneficiaryFilter
from pharmacy.beneficiaries.schemas import (
    BeneficiaryCard,
    BeneficiaryIn,
    BeneficiarySummary,
    CategoryRead,
    DiagnosisIn,
    DrugListRead,
    EntitlementAnswer,
    EntitlementIn,
    EntitlementRead,
    RegisterLoadRead,
)
from pharmacy.models import Beneficiary

router = secure_router(tags=["beneficiary"], responses=problem_responses(401, 403))
CanRead = Annotated[Principal, Depends(require_permission("pharmacy.beneficiary:read"))]
CanWrite = Annotated[Principal, Depends(require_permission("pharmacy.beneficiary:write"))]
PersonId = Annotated[uuid.UUID, Path(description="Идентификатор лица в регистре застрахованных")]

UPLOAD_TYPES = ["text/csv", "text/plain", "application/xml", "text/xml", "application/octet-stream"]
SORTS = {
    "surname": Beneficiary.surname,
    "birth_date": Beneficiary.birth_date,
    "created_at": Beneficiary.created_at,
    "updated_at": Beneficiary.updated_at,
}
Sorting = Annotated[list[Any], Depends(sorting(SORTS, "surname"))]


@router.get(
    "/benefit-categories",
    operation_id="beneficiary-categories",
    summary="Категории льгот: федеральные (ОНЛС, ВЗН) и региональные",
)
async def list_categories(session: DbSession, principal: CanRead) -> list[CategoryRead]:
    return [CategoryRead.model_validate(c) for c in await repository.categories(session)]


@router.get("/drug-lists", operation_id="beneficiary-drug-lists", summary="Перечни лекарственных препаратов")
async def list_drug_lists(session: DbSession, principal: CanRead) -> list[DrugListRead]:
    return [DrugListRead.model_validate(d) for d in await repository.drug_lists(session)]


def _filter(
    category: Annotated[str | None, Query(max_length=30, description="Код категории льготы")] = None,
    funding_source: Annotated[
        Literal["federal", "regional"] | None, Query(description="Федеральные или региональные льготы")
    ] = None,
    active_on: Annotated[date | None, Query(description="Только с льготой, действующей на дату")] = None,
    refused_year: Annotated[
        int | None, Query(ge=2000, le=2100, description="Только отказавшиеся от НСУ на этот год")
    ] = None,
    other_region: Annotated[bool | None, Query(description="Только иногородние (или только свои)")] = None,
    q: Annotated[
        str | None, Query(max_length=200, description="Начало ФИО или СНИЛС (цифры, можно с дефисами)")
    ] = None,
) -> BeneficiaryFilter:
    return BeneficiaryFilter(category, funding_source, active_on, refused_year, other_region, q)


@router.get(
    "/beneficiaries",
    operation_id="beneficiary-list",
    summary="Регистр льготников с фильтрами и сортировкой",
    description="Каждое лицо страницы записывается в журнал доступа к персональным данным.",
)
async def list_beneficiaries(
    session: DbSession,
    principal: CanRead,
    paging: Paging,
    order: Sorting,
    f: Annotated[BeneficiaryFilter, Depends(_filter)],
) -> Page[BeneficiarySummary]:
    items, total = await service.search(
        session, principal, f, order, paging.limit, paging.offset, f.active_on or date.today()
    )
    return Page(items=items, total=total, limit=paging.limit, offset=paging.offset)


@router.post(
    "/beneficiaries",
    operation_id="beneficiary-create",
    summary="Внести лицо в регистр льготников",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(409, 422),
)
async def create_beneficiary(session: DbSession, principal: CanWrite, body: BeneficiaryIn) -> BeneficiaryCard:
    return await service.register(session, principal, body)


@router.get(
    "/beneficiaries/{person_id}",
    operation_id="beneficiary-get",
    summary="Карточка льготника: льготы, отказы от НСУ, диагнозы",
    responses=problem_responses(404),
)
async def get_beneficiary(session: DbSession, principal: CanRead, person_id: PersonId) -> BeneficiaryCard:
    return await service.card(session, principal, person_id)


@router.get(
    "/beneficiaries/{person_id}/entitlement",
    operation_id="beneficiary-entitlement",
    summary="Право на льготное обеспечение на дату",
    description=(
        "Имеет ли лицо право на дату (по перечню лекарств и диагнозу, если заданы), по каким категориям, "
        "а если нет — почему: не в регистре, умер, льгота не началась или окончилась, отказ от НСУ на год, "
        "другой перечень, диагноз не покрывается. Обращение записывается в журнал доступа."
    ),
    responses=problem_responses(404, 422),
)
async def get_entitlement(
    session: DbSession,
    principal: CanRead,
    person_id: PersonId,
    on: Annotated[date, Query(description="Дата (ГГГГ-ММ-ДД)")],
    drug_list: Annotated[str | None, Query(max_length=20, description="Код перечня ЛП")] = None,
    diagnosis: Annotated[
        str | None, Query(pattern=r"^[A-Za-z]\d{2}(\.\d{1,2})?$", description="Код МКБ-10")
    ] = None,
) -> EntitlementAnswer:
    return await service.entitlement(
        session, principal, person_id, on, drug_list=drug_list, diagnosis=diagnosis
    )


@router.post(
    "/beneficiaries/{person_id}/entitlements",
    operation_id="beneficiary-entitlement-add",
    summary="Добавить льготу (категория, период, документ)",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(404, 409, 422),
)
async def add_entitlement(
    session: DbSession, principal: CanWrite, person_id: PersonId, body: EntitlementIn
) -> EntitlementRead:
    return await service.add_entitlement(session, principal, person_id, body)


@router.put(
    "/beneficiaries/{person_id}/refusals/{year}",
    operation_id="beneficiary-refusal-set",
    summary="Отказ от натуральной льготы (НСУ) на год",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(404, 422),
)
async def set_refusal(
    session: DbSession,
    principal: CanWrite,
    person_id: PersonId,
    year: Annotated[int, Path(ge=2000, le=2100)],
) -> None:
    await service.set_refusal(session, principal, person_id, year)


@router.post(
    "/beneficiaries/{person_id}/diagnoses",
    operation_id="beneficiary-diagnosis-set",
    summary="Диагноз (МКБ-10), относящийся к льготе по заболеванию",
    status_code=status.HTTP_204_NO_CONTENT,
    responses=problem_responses(404, 422),
)
async def set_diagnosis(
    session: DbSession, principal: CanWrite, person_id: PersonId, body: DiagnosisIn
) -> None:
    await service.set_diagnosis(session, principal, person_id, body)


@router.post(
    "/federal-register/loads",
    operation_id="beneficiary-federal-register-load",
    summary="Загрузка федерального регистра льготников (CSV или XML)",
    description=(
        "Тело — файл федерального регистра (docs/formats.md, «Аптека: федеральный регистр льготников»), "
        "windows-1251 или UTF-8. Загружается фоновой задачей (ход — /jobs/{job_id}); результат — "
        "различия с регистром (новые, изменённые, окончившиеся льготы) и ошибки по строкам. "
        "Повторная загрузка того же файла ничего не меняет."
    ),
    status_code=status.HTTP_202_ACCEPTED,
    openapi_extra=upload_request_body(UPLOAD_TYPES),
    responses=problem_responses(413, 415, 422),
)
async def start_load(
    session: DbSession,
    request: Request,
    principal: CanWrite,
    as_of: Annotated[
        date | None, Query(description="Дата, на которую сформирован регистр (для XML — из файла)")
    ] = None,
) -> JobRead:
    job = await submit_job(
        session,
        FEDERAL_REGISTER_LOAD,
        principal,
        params={"as_of": (as_of or date.today()).isoformat()},
    )
    await receive_upload(session, job, request, allowed_media_types=UPLOAD_TYPES)
    return await job_read(session, job)


@router.post(
    "/federal-register/matching",
    operation_id="beneficiary-federal-register-match",
    summary="Сопоставить с регистром застрахованных льготников без лица",
    description=(
        "Льготники федерального регистра, которым при загрузке не нашлось лица в регистре "
        "застрахованных (не найден, несколько лиц, другая дата рождения, регистр был недоступен), "
        "сопоставляются по СНИЛС снова. Фоновая задача (ход — /jobs/{job_id}); результат — "
        "сопоставленные и оставшиеся без лица, файл matching-report.csv."
    ),
    status_code=status.HTTP_202_ACCEPTED,
)
async def start_matching(session: DbSession, principal: CanWrite) -> JobRead:
    job = await submit_job(session, FEDERAL_REGISTER_MATCH, principal)
    return await job_read(session, job)


@router.get(
    "/federal-register/loads/{load_id}",
    operation_id="beneficiary-federal-register-load-get",
    summary="Отчёт загрузки: различия и ошибки по строкам",
    responses=problem_responses(404),
)
async def get_load(session: DbSession, principal: CanRead, load_id: uuid.UUID) -> RegisterLoadRead:
    load = await repository.get_load(session, load_id)
    if load is None:
        raise NotFound("Загрузка не найдена")
    return RegisterLoadRead.model_validate(load)
