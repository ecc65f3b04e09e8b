"""Payment orders: import from an accounting system (1C, CSV, XLSX) in two phases, the list
with filters, one order, exports and the template."""

import uuid
from datetime import date
from decimal import Decimal
from typing import Annotated, Any, Literal

from fastapi import Depends, Query, Request, status
from fastapi.responses import Response

from finance.exchange import repository, service
from finance.exchange.jobs import import_by_job
from finance.exchange.repository import OrderFilter
from finance.exchange.schemas import FileFormat, PaymentImportRead, PaymentImportSummary, PaymentOrderRead
from finance.models import PaymentOrder
from oms_kit.app import secure_router
from oms_kit.auth import Principal, require_permission
from oms_kit.db import DbSession
from oms_kit.errors import problem_responses
from oms_kit.jobs import receive_upload, upload_request_body
from oms_kit.jobs.disposition import attachment, filename_from
from oms_kit.jobs.kinds import EmptyUpload, UnsupportedUploadType
from oms_kit.pagination import Page, Paging, sorting

router = secure_router(
    prefix="/payment-orders", tags=["payment_order"], responses=problem_responses(401, 403)
)
CanRead = Annotated[Principal, Depends(require_permission("finance.payment_order:read"))]
CanWrite = Annotated[Principal, Depends(require_permission("finance.payment_order:write"))]

IMPORT_MEDIA_TYPES = [
    "text/plain",
    "text/csv",
    "application/octet-stream",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
]
INLINE_MAX_BYTES = 1024 * 1024  # larger files (or of unknown size) are read by a job
SORTS = {
    "doc_date": PaymentOrder.doc_date,
    "amount": PaymentOrder.amount,
    "doc_number": PaymentOrder.doc_number,
    "counterparty": repository.counterparty_name(),
    "kosgu": PaymentOrder.kosgu,
    "confidence": PaymentOrder.confidence,
    "created_at": PaymentOrder.created_at,
}
Sorting = Annotated[list[Any], Depends(sorting(SORTS, "-doc_date,-amount"))]
_FILE = {"schema": {"type": "string", "format": "binary"}}


def _filter(
    mo_id: Annotated[uuid.UUID | None, Query(description="МО (для ролей, видящих несколько МО)")] = None,
    date_from: Annotated[date | None, Query(description="Дата документа с")] = None,
    date_to: Annotated[date | None, Query(description="Дата документа по")] = None,
    direction: Annotated[
        Literal["out", "in"] | None, Query(description="out — списание, in — поступление")
    ] = None,
    counterparty: Annotated[
        str | None, Query(max_length=200, description="ИНН контрагента (цифры) или часть наименования")
    ] = None,
    amount_min: Annotated[Decimal | None, Query(description="Сумма от")] = None,
    amount_max: Annotated[Decimal | None, Query(description="Сумма до")] = None,
    kvfo: Annotated[int | None, Query(description="КВФО")] = None,
    kosgu: Annotated[str | None, Query(max_length=3, description="КОСГУ")] = None,
    needs_review: Annotated[
        bool | None, Query(description="Только требующие проверки (или только не требующие)")
    ] = None,
    classified: Annotated[
        bool | None, Query(description="Только классифицированные (или только нет)")
    ] = None,
    q: Annotated[str | None, Query(max_length=200, description="Часть назначения платежа")] = None,
    import_id: Annotated[uuid.UUID | None, Query(description="Только загруженные этим импортом")] = None,
) -> OrderFilter:
    return OrderFilter(
        mo_id=mo_id,
        date_from=date_from,
        date_to=date_to,
        direction=direction,
        counterparty=counterparty,
        amount_min=amount_min,
        amount_max=amount_max,
        kvfo=kvfo,
        kosgu=kosgu,
        needs_review=needs_review,
        classified=classified,
        q=q,
        import_id=import_id,
    )


Filter = Annotated[OrderFilter, Depends(_filter)]


def _check_media_type(request: Request) -> None:
    media_type = request.headers.get("content-type", "application/octet-stream").split(";")[0].strip().lower()
    if media_type and media_type not in IMPORT_MEDIA_TYPES:
        raise UnsupportedUploadType(
            f"Тип «{media_type}» не принимается; можно: {', '.join(IMPORT_MEDIA_TYPES)}"
        )


@router.post(
    "/imports",
    operation_id="payment_order-import-start",
    summary="Загрузка выписки или платёжных поручений (1С, CSV, XLSX)",
    description=(
        "Тело запроса — файл: обмен с 1С (1CClientBankExchange 1.02/1.03, windows-1251 или UTF-8), "
        "CSV или XLSX по шаблону. Все документы проверяются; если все корректны — сразу записываются "
        "(status=imported), повторы уже загруженных не дублируются (duplicates). Если есть ошибки — "
        "ничего не записывается, импорт ждёт решения (awaiting_decision) с отчётом по строкам: "
        "POST …/apply загружает только корректные, POST …/discard — отказ. Файл больше 1 МБ "
        "разбирается фоновой задачей (status=processing, ход — /jobs/{job_id})."
    ),
    status_code=status.HTTP_201_CREATED,
    openapi_extra=upload_request_body(IMPORT_MEDIA_TYPES),
    responses=problem_responses(404, 409, 413, 415, 422),
)
async def start_import(
    session: DbSession,
    request: Request,
    principal: CanWrite,
    mo_id: Annotated[uuid.UUID | None, Query(description="МО (для ролей уровня региона)")] = None,
    file_name: Annotated[
        str | None, Query(max_length=255, description="Имя файла (если нет Content-Disposition)")
    ] = None,
) -> PaymentImportRead:
    target = await service.import_mo(session, principal, mo_id)
    name = filename_from(request.headers.get("content-disposition")) or file_name or "upload"
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) <= INLINE_MAX_BYTES:
        _check_media_type(request)
        data = await request.body()
        if not data:
            raise EmptyUpload("Файл пуст: тело запроса не содержит данных")
        return service.import_read(await service.import_now(session, principal, target, name, data))
    imp, job = await import_by_job(session, principal, target, name)
    await receive_upload(session, job, request, name=name, allowed_media_types=IMPORT_MEDIA_TYPES)
    await service.audit_import(session, principal, imp, "upload")
    return service.import_read(imp)


@router.get(
    "/imports",
    operation_id="payment_order-import-list",
    summary="Импорты платёжных документов, новые первые",
    responses=problem_responses(404),
)
async def list_imports(
    session: DbSession,
    principal: CanRead,
    paging: Paging,
    mo_id: Annotated[uuid.UUID | None, Query(description="МО")] = None,
) -> Page[PaymentImportSummary]:
    return await service.list_imports(session, principal, mo_id, paging)


@router.get(
    "/imports/{import_id}",
    operation_id="payment_order-import-get",
    summary="Импорт и его отчёт по строкам",
    responses=problem_responses(404),
)
async def get_import(session: DbSession, principal: CanRead, import_id: uuid.UUID) -> PaymentImportRead:
    return service.import_read(await service.visible_import(session, principal, import_id))


@router.post(
    "/imports/{import_id}/apply",
    operation_id="payment_order-import-apply",
    summary="Загрузить только корректные документы импорта с ошибками",
    responses=problem_responses(404, 409),
)
async def apply_import(session: DbSession, principal: CanWrite, import_id: uuid.UUID) -> PaymentImportRead:
    return service.import_read(await service.decide(session, principal, import_id, apply=True))


@router.post(
    "/imports/{import_id}/discard",
    operation_id="payment_order-import-discard",
    summary="Отказаться от импорта с ошибками (ничего не записывается)",
    responses=problem_responses(404, 409),
)
async def discard_import(session: DbSession, principal: CanWrite, import_id: uuid.UUID) -> PaymentImportRead:
    return service.import_read(await service.decide(session, principal, import_id, apply=False))


@router.get(
    "/template",
    operation_id="payment_order-template",
    summary="Пустой шаблон платёжных поручений (CSV или XLSX)",
    response_class=Response,
    responses={200: {"content": {"text/csv": _FILE, service.MEDIA_TYPES[FileFormat.xlsx]: _FILE}}},
)
async def get_template(
    principal: CanRead,
    format: Annotated[Literal["csv", "xlsx"], Query(description="Формат")] = "xlsx",
) -> Response:
    file_format = FileFormat(format)
    name = f"payment-orders-template.{service.SUFFIXES[file_format]}"
    return Response(
        service.template(file_format),
        media_type=service.MEDIA_TYPES[file_format],
        headers={"Content-Disposition": attachment(name)},
    )


@router.get(
    "/export",
    operation_id="payment_order-export",
    summary="Выгрузка отобранных платёжных поручений: 1С (windows-1251), CSV или XLSX",
    response_class=Response,
    responses={
        200: {
            "content": {"text/plain": _FILE, "text/csv": _FILE, service.MEDIA_TYPES[FileFormat.xlsx]: _FILE}
        },
        **problem_responses(404),
    },
)
async def export_orders(
    session: DbSession,
    principal: CanRead,
    f: Filter,
    order_by: Sorting,
    format: Annotated[FileFormat, Query(description="1c — файл обмена 1С, csv, xlsx")] = FileFormat.onec,
) -> Response:
    content, name = await service.export_orders(session, principal, f, order_by, format)
    return Response(
        content, media_type=service.MEDIA_TYPES[format], headers={"Content-Disposition": attachment(name)}
    )


@router.get(
    "",
    operation_id="payment_order-list",
    summary="Платёжные поручения с отбором",
    responses=problem_responses(404),
)
async def list_orders(
    session: DbSession, principal: CanRead, paging: Paging, f: Filter, order_by: Sorting
) -> Page[PaymentOrderRead]:
    return await service.list_orders(session, principal, f, order_by, paging)


@router.get(
    "/{order_id}",
    operation_id="payment_order-get",
    summary="Платёжное поручение",
    responses=problem_responses(404),
)
async def get_order(session: DbSession, principal: CanRead, order_id: uuid.UUID) -> PaymentOrderRead:
    return await service.get_order(session, principal, order_id)
