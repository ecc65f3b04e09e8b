"""Pharmacies' stock: receipts, transfers, returns, write-offs, inventory counts; the stock list
(with XLSX export), the stock card of a drug, a marked package's whereabouts; the free stock
for the doctor's prescription form.

Who: ``pharmacy.stock:read`` reads within the caller's scope (a pharmacist or warehouse — their
own; a doctor — the pharmacies attached to their MO; TFOMS and the health authority — all);
``pharmacy.stock:write`` moves stock, only in the caller's own pharmacy or warehouse."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import Depends, Path, Query, Response, status
from sqlalchemy import column

from oms_kit.app import secure_router
from oms_kit.auth import Principal, require_permission
from oms_kit.db import DbSession
from oms_kit.errors import problem_responses
from oms_kit.jobs.disposition import attachment
from oms_kit.pagination import MAX_LIMIT, Page, Paging, sorting
from pharmacy.scope import scope_of
from pharmacy.stock import export, service
from pharmacy.stock.repository import StockFilter
from pharmacy.stock.schemas import (
    AvailabilityRead,
    CounterpartyRead,
    DocumentRead,
    InventoryCreate,
    InventoryLinesIn,
    InventoryRead,
    MarkedPackageRead,
    ReceiptIn,
    ReturnIn,
    StockCard,
    StockRow,
    TransferIn,
    WriteOffIn,
)

router = secure_router(tags=["stock"], responses=problem_responses(401, 403))
CanRead = Annotated[Principal, Depends(require_permission("pharmacy.stock:read"))]
CanWrite = Annotated[Principal, Depends(require_permission("pharmacy.stock:write"))]
PharmacyId = Annotated[uuid.UUID, Path(description="Аптека")]
DrugId = Annotated[uuid.UUID, Path(description="Препарат")]
DocumentId = Annotated[uuid.UUID, Path(description="Документ")]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Sorting names the columns of the stock list's subquery (rebound in the service).
_SORTABLE = (
    "inn",
    "trade_name",
    "pharmacy_name",
    "series",
    "expiry_date",
    "funding_source",
    "quantity",
    "reserved",
    "free",
    "drug_free",
    "unit_price",
)


SORTS: dict[str, Any] = {name: column(name) for name in _SORTABLE}
Sorting = Annotated[list[Any], Depends(sorting(SORTS, "expiry_date,inn"))]


def _filter(
    pharmacy_id: Annotated[uuid.UUID | None, Query(description="Аптека")] = None,
    q: Annotated[
        str | None, Query(max_length=300, description="МНН или торговое наименование (часть)")
    ] = None,
    drug_id: Annotated[uuid.UUID | None, Query(description="Препарат")] = None,
    funding_source: Annotated[
        Literal["federal", "regional"] | None, Query(description="Источник финансирования")
    ] = None,
    expiring_within_days: Annotated[
        int | None,
        Query(ge=0, le=3650, description="Срок годности истекает в пределах N дней (и просроченные)"),
    ] = None,
    below_threshold: Annotated[bool, Query(description="Только препараты ниже порога остатка")] = False,
    include_empty: Annotated[bool, Query(description="Показывать нулевые партии")] = False,
) -> StockFilter:
    return StockFilter(
        pharmacy_id, q, drug_id, funding_source, expiring_within_days, below_threshold, include_empty
    )


Filter = Annotated[StockFilter, Depends(_filter)]


@router.get("/stock", operation_id="stock-list", summary="Остатки по партиям")
async def list_stock(
    session: DbSession, principal: CanRead, paging: Paging, order: Sorting, f: Filter
) -> Page[StockRow]:
    scope = await scope_of(session, principal)
    items, total = await service.stock_list(session, scope, f, order, paging.limit, paging.offset)
    return Page(items=items, total=total, limit=paging.limit, offset=paging.offset)


@router.get(
    "/stock/export.xlsx",
    operation_id="stock-export",
    summary="Остатки по партиям в XLSX (те же фильтры)",
    response_class=Response,
    responses={200: {"content": {XLSX: {}}}},
)
async def export_stock(session: DbSession, principal: CanRead, order: Sorting, f: Filter) -> Response:
    scope = await scope_of(session, principal)
    items, _ = await service.stock_list(session, scope, f, order, None, 0)
    return Response(
        export.stock_xlsx(items, date.today()),
        media_type=XLSX,
        headers={"Content-Disposition": attachment(f"остатки-{date.today():%Y-%m-%d}.xlsx")},
    )


@router.get(
    "/stock/availability",
    operation_id="stock-availability",
    summary="Свободный остаток по аптекам (для выписки рецепта)",
    description=(
        "Доктор видит аптеки, прикреплённые к своей МО; аптека — себя; фонд и орган управления — все."
    ),
    responses=problem_responses(404),
)
async def get_availability(
    session: DbSession,
    principal: CanRead,
    inn: Annotated[str | None, Query(max_length=300, description="МНН (без учёта регистра)")] = None,
    drug_id: Annotated[uuid.UUID | None, Query(description="Препарат")] = None,
    pharmacy_id: Annotated[uuid.UUID | None, Query(description="Одна аптека")] = None,
    on: Annotated[date | None, Query(description="На дату (по умолчанию — сегодня)")] = None,
) -> list[AvailabilityRead]:
    scope = await scope_of(session, principal)
    return await service.available(
        session, scope, pharmacy_id=pharmacy_id, inn=inn, drug_id=drug_id, on=on or date.today()
    )


@router.get(
    "/stock/cards/{pharmacy_id}/{drug_id}",
    operation_id="stock-card",
    summary="Карточка товара: все движения препарата в аптеке с остатком",
    responses=problem_responses(404),
)
async def get_card(
    session: DbSession,
    principal: CanRead,
    pharmacy_id: PharmacyId,
    drug_id: DrugId,
    since: Annotated[datetime | None, Query(alias="from", description="С момента")] = None,
    until: Annotated[datetime | None, Query(alias="to", description="До момента (не включая)")] = None,
    limit: Annotated[int, Query(ge=1, le=MAX_LIMIT)] = 200,
    offset: Annotated[int, Query(ge=0)] = 0,
    last: Annotated[bool, Query(description="Последние limit движений (offset вычисляется)")] = False,
) -> StockCard:
    scope = await scope_of(session, principal)
    return await service.card(session, scope, pharmacy_id, drug_id, since, until, limit, offset, last)


@router.get(
    "/stock/packages/{code}",
    operation_id="stock-package",
    summary="Маркированная упаковка: где она и её история",
    responses=problem_responses(404, 422),
)
async def get_package(
    session: DbSession,
    principal: CanRead,
    code: Annotated[str, Path(max_length=200, description="SGTIN (27 символов) или отсканированный код")],
) -> MarkedPackageRead:
    scope = await scope_of(session, principal)
    return await service.package(session, scope, code)


@router.get("/stock/documents", operation_id="stock-document-list", summary="Документы движения товара")
async def list_documents(
    session: DbSession,
    principal: CanRead,
    paging: Paging,
    pharmacy_id: Annotated[uuid.UUID | None, Query(description="Аптека")] = None,
    kind: Annotated[
        Literal["receipt", "transfer", "return", "write_off", "inventory"] | None, Query(description="Вид")
    ] = None,
) -> Page[DocumentRead]:
    scope = await scope_of(session, principal)
    items, total = await service.list_documents(
        session, scope, pharmacy_id, kind, paging.limit, paging.offset
    )
    return Page(items=items, total=total, limit=paging.limit, offset=paging.offset)


@router.get(
    "/stock/documents/{document_id}",
    operation_id="stock-document-get",
    summary="Документ движения с его движениями",
    responses=problem_responses(404),
)
async def get_document(session: DbSession, principal: CanRead, document_id: DocumentId) -> DocumentRead:
    scope = await scope_of(session, principal)
    return await service.one_document(session, scope, document_id)


@router.post(
    "/stock/receipts",
    operation_id="stock-receipt",
    summary="Приход по накладной (маркированные — по кодам)",
    description=(
        "Повтор накладной (тот же номер и дата в той же аптеке) — 409 duplicate-document: "
        "приход не проводится второй раз."
    ),
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(404, 409, 422),
)
async def post_receipt(session: DbSession, principal: CanWrite, body: ReceiptIn) -> DocumentRead:
    scope = await scope_of(session, principal)
    return await service.receive(session, scope, principal, body)


@router.get(
    "/stock/counterparties",
    operation_id="stock-counterparty-list",
    summary="Аптеки и склады региона — куда переместить или вернуть товар",
    description="Код, название и вид; без остатков. Своя аптека в список не входит.",
)
async def list_counterparties(session: DbSession, principal: CanWrite) -> list[CounterpartyRead]:
    scope = await scope_of(session, principal)
    return await service.counterparties(session, scope)


@router.post(
    "/stock/transfers",
    operation_id="stock-transfer",
    summary="Перемещение в другую аптеку",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(404, 409, 422),
)
async def post_transfer(session: DbSession, principal: CanWrite, body: TransferIn) -> DocumentRead:
    scope = await scope_of(session, principal)
    return await service.transfer(session, scope, principal, body)


@router.post(
    "/stock/returns",
    operation_id="stock-return",
    summary="Возврат поставщику",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(404, 409, 422),
)
async def post_return(session: DbSession, principal: CanWrite, body: ReturnIn) -> DocumentRead:
    scope = await scope_of(session, principal)
    return await service.return_to_supplier(session, scope, principal, body)


@router.post(
    "/stock/write-offs",
    operation_id="stock-write-off",
    summary="Списание с причиной",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(404, 409, 422),
)
async def post_write_off(session: DbSession, principal: CanWrite, body: WriteOffIn) -> DocumentRead:
    scope = await scope_of(session, principal)
    return await service.write_off(session, scope, principal, body)


@router.post(
    "/stock/inventories",
    operation_id="stock-inventory-create",
    summary="Начать инвентаризацию (черновик описи)",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(404, 422),
)
async def create_inventory(session: DbSession, principal: CanWrite, body: InventoryCreate) -> InventoryRead:
    scope = await scope_of(session, principal)
    return await service.start_inventory(session, scope, principal, body)


@router.get(
    "/stock/inventories/{document_id}",
    operation_id="stock-inventory-get",
    summary="Инвентаризация: посчитанное и расхождения",
    responses=problem_responses(404),
)
async def get_inventory(session: DbSession, principal: CanRead, document_id: DocumentId) -> InventoryRead:
    scope = await scope_of(session, principal)
    return await service.inventory(session, scope, document_id)


@router.post(
    "/stock/inventories/{document_id}/lines",
    operation_id="stock-inventory-count",
    summary="Записать подсчёт (количество или отсканированные коды) по партиям",
    responses=problem_responses(404, 409, 422),
)
async def count_inventory(
    session: DbSession, principal: CanWrite, document_id: DocumentId, body: InventoryLinesIn
) -> InventoryRead:
    scope = await scope_of(session, principal)
    return await service.count_inventory(session, scope, document_id, body)


@router.post(
    "/stock/inventories/{document_id}/post",
    operation_id="stock-inventory-post",
    summary="Провести инвентаризацию: расхождения — движениями",
    responses=problem_responses(404, 409, 422),
)
async def post_inventory(session: DbSession, principal: CanWrite, document_id: DocumentId) -> InventoryRead:
    scope = await scope_of(session, principal)
    return await service.post_inventory(session, scope, principal, document_id)
