"""The drug catalogue: search, one drug, lookup by GTIN (the scanner's first question), create and
update.

Who: everyone who works with drugs reads it (``pharmacy.stock:read``, ``pharmacy.prescription:read``
or ``pharmacy.beneficiary:read``); the warehouse operator keeps it (``pharmacy.catalogue:write``,
gateway/access/roles.py)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Path, Query, Request, status

from oms_kit.app import secure_router
from oms_kit.auth import Principal, require_permission
from oms_kit.db import DbSession
from oms_kit.errors import InvalidInput, problem_responses
from oms_kit.jobs import upload_request_body
from oms_kit.pagination import Page, Paging, sorting
from pharmacy.catalogue import service
from pharmacy.catalogue.repository import DrugFilter
from pharmacy.catalogue.schemas import CatalogueLoadRead, DrugIn, DrugRead
from pharmacy.models import Drug
from pharmacy.permissions import require_any_permission

UPLOAD_TYPES = ["text/csv", "text/plain", "application/octet-stream"]
MAX_FILE = 20 * 1024 * 1024
READ_PERMISSIONS = ("pharmacy.stock:read", "pharmacy.prescription:read", "pharmacy.beneficiary:read")


router = secure_router(tags=["catalogue"], responses=problem_responses(401, 403))
CanRead = Annotated[Principal, Depends(require_any_permission(*READ_PERMISSIONS))]
CanWrite = Annotated[Principal, Depends(require_permission("pharmacy.catalogue:write"))]
DrugId = Annotated[uuid.UUID, Path(description="Идентификатор препарата в справочнике")]

SORTS = {
    "inn": Drug.inn,
    "trade_name": Drug.trade_name,
    "dosage_form": Drug.dosage_form,
    "valid_from": Drug.valid_from,
    "updated_at": Drug.updated_at,
}
Sorting = Annotated[list[Any], Depends(sorting(SORTS, "inn"))]


def _filter(
    inn: Annotated[str | None, Query(max_length=300, description="Начало МНН")] = None,
    trade_name: Annotated[
        str | None, Query(max_length=300, description="Начало торгового наименования")
    ] = None,
    gtin: Annotated[str | None, Query(max_length=14, description="GTIN упаковки")] = None,
    drug_list: Annotated[
        str | None, Query(max_length=20, description="Код перечня: onls, vzn, regional")
    ] = None,
    dosage_form: Annotated[
        str | None, Query(max_length=200, description="Начало лекарственной формы")
    ] = None,
    valid_on: Annotated[date | None, Query(description="Только записи НСИ, действующие на дату")] = None,
) -> DrugFilter:
    return DrugFilter(inn, trade_name, gtin, drug_list, dosage_form, valid_on)


@router.get("/drugs", operation_id="catalogue-drug-list", summary="Справочник препаратов: поиск")
async def list_drugs(
    session: DbSession,
    principal: CanRead,
    paging: Paging,
    order: Sorting,
    f: Annotated[DrugFilter, Depends(_filter)],
) -> Page[DrugRead]:
    items, total = await service.search(session, f, order, paging.limit, paging.offset)
    return Page(items=items, total=total, limit=paging.limit, offset=paging.offset)


@router.get(
    "/drugs/by-gtin/{gtin}",
    operation_id="catalogue-drug-by-gtin",
    summary="Препарат по GTIN упаковки",
    responses=problem_responses(404, 422),
)
async def drug_by_gtin(
    session: DbSession, principal: CanRead, gtin: Annotated[str, Path(max_length=14, description="GTIN")]
) -> DrugRead:
    return await service.by_gtin(session, gtin)


@router.get(
    "/drugs/{drug_id}",
    operation_id="catalogue-drug-get",
    summary="Препарат справочника",
    responses=problem_responses(404),
)
async def get_drug(session: DbSession, principal: CanRead, drug_id: DrugId) -> DrugRead:
    return await service.one(session, drug_id)


@router.post(
    "/drugs",
    operation_id="catalogue-drug-create",
    summary="Внести препарат в справочник",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(409, 422),
)
async def create_drug(session: DbSession, principal: CanWrite, body: DrugIn) -> DrugRead:
    return await service.create(session, body)


@router.put(
    "/drugs/{drug_id}",
    operation_id="catalogue-drug-update",
    summary="Изменить препарат справочника (GTIN и перечни заменяются целиком)",
    responses=problem_responses(404, 409, 422),
)
async def update_drug(session: DbSession, principal: CanWrite, drug_id: DrugId, body: DrugIn) -> DrugRead:
    return await service.update(session, drug_id, body)


@router.post(
    "/drugs/loads",
    operation_id="catalogue-drug-load",
    summary="Загрузка справочника препаратов из CSV (выгрузка ЕСКЛП/ГРЛС)",
    description=(
        "Тело — CSV-файл (docs/formats.md, «Аптека: справочник лекарственных препаратов»), «;», "
        "windows-1251 или UTF-8, до 20 МБ. Строка на GTIN упаковки: известный GTIN обновляет свой "
        "препарат, новый — присоединяется к препарату с тем же МНН, наименованием, формой, дозировкой и "
        "упаковкой или создаёт новый. Ошибочные строки перечислены в ответе (номер, столбец), остальные "
        "применяются; повторная загрузка того же файла ничего не меняет."
    ),
    openapi_extra=upload_request_body(UPLOAD_TYPES),
    responses=problem_responses(422),
)
async def load_drugs(session: DbSession, principal: CanWrite, request: Request) -> CatalogueLoadRead:
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_FILE:
            raise InvalidInput("Файл справочника больше 20 МБ: разделите его на части")
        chunks.append(chunk)
    if size == 0:
        raise InvalidInput("Пустое тело запроса: нужен CSV-файл справочника")
    return await service.load_file(session, b"".join(chunks), today=date.today())
