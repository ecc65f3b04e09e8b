"""``/classifiers``, ``/mos`` and ``/budget``: the collected data of MOs — a month's cells (read,
replace), a year's grid, the consolidated figures, XLSX exports and template uploads."""

from __future__ import annotations

import uuid
from typing import Annotated, Literal

from fastapi import Body, Depends, FastAPI, Path, Query, Request, Response
from fastapi.responses import JSONResponse

from finance.budget import service
from finance.budget.cells import CellErrors
from finance.budget.schemas import (
    BudgetCellIn,
    BudgetConsolidatedRead,
    BudgetMonthRead,
    BudgetUploadRead,
    BudgetYearRead,
    ClassifiersRead,
    MoRead,
)
from finance.months import parse_month_text
from oms_kit.app import secure_router
from oms_kit.auth import Principal, require_permission
from oms_kit.db import DbSession
from oms_kit.errors import problem_response, problem_responses
from oms_kit.jobs import upload_request_body
from oms_kit.jobs.disposition import attachment, filename_from

router = secure_router(tags=["budget"], responses=problem_responses(401, 403))
CanRead = Annotated[Principal, Depends(require_permission("finance.budget:read"))]
CanWrite = Annotated[Principal, Depends(require_permission("finance.budget:write"))]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MonthParam = Annotated[str, Path(description="Месяц, ГГГГ-ММ", pattern=r"^\d{4}-\d{2}$")]
YearParam = Annotated[int, Path(ge=2000, le=2100, description="Год")]
UPLOAD_TYPES = ["text/csv", XLSX, "application/octet-stream"]


@router.get(
    "/classifiers",
    operation_id="budget-classifiers",
    summary="Классификаторы: виды показателей, КВФО, КОСГУ (с разделом, группой и допустимостью для ОМС)",
)
async def get_classifiers(principal: CanRead) -> ClassifiersRead:
    return service.classifiers()


@router.get(
    "/mos",
    operation_id="budget-mos",
    summary="МО, данные которых видит пользователь: коды, форма, учредитель, койки, прикреплённые, "
    "последний месяц с данными (ФОМС — 403: ему доступны только сводные данные)",
)
async def list_mos(session: DbSession, principal: CanRead) -> list[MoRead]:
    return await service.list_mos(session, principal)


@router.get(
    "/budget/consolidated",
    operation_id="budget-consolidated",
    summary="Сводные данные за год по МО в области видимости: регион (ТФОМС, ФОМС), подведомственные "
    "(орган управления здравоохранением), своя МО",
)
async def get_consolidated(
    session: DbSession, principal: CanRead, year: Annotated[int, Query(ge=2000, le=2100)]
) -> BudgetConsolidatedRead:
    return await service.consolidated(session, principal, year)


@router.get(
    "/budget/consolidated/export.xlsx",
    operation_id="budget-consolidated-xlsx",
    summary="Сводные данные за год в XLSX (листы «Факт» и «План», месяцы столбцами)",
    response_class=Response,
    responses={**problem_responses(422), 200: {"content": {XLSX: {}}}},
)
async def export_consolidated(
    session: DbSession, principal: CanRead, year: Annotated[int, Query(ge=2000, le=2100)]
) -> Response:
    content = await service.consolidated_xlsx(session, principal, year)
    return Response(
        content,
        media_type=XLSX,
        headers={"Content-Disposition": attachment(f"доходы-расходы-свод-{year}.xlsx")},
    )


@router.get(
    "/budget/template",
    operation_id="budget-template",
    summary="Пустой шаблон доходов и расходов с примером (CSV или XLSX)",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}, XLSX: {}}}},
)
async def get_template(
    principal: CanRead, format: Annotated[Literal["csv", "xlsx"], Query(description="Формат")] = "xlsx"
) -> Response:
    return Response(
        service.template(format),
        media_type="text/csv; charset=utf-8" if format == "csv" else XLSX,
        headers={"Content-Disposition": attachment(f"шаблон-доходы-расходы.{format}")},
    )


@router.get(
    "/budget/{mo_id}/months/{month}",
    operation_id="budget-month",
    summary="Месяц МО: все ячейки (план, факт), платёжные поручения за ними и разница, закрыт ли период, "
    "кто менял последним",
    responses=problem_responses(404, 422),
)
async def get_month(
    session: DbSession, principal: CanRead, mo_id: uuid.UUID, month: MonthParam
) -> BudgetMonthRead:
    return await service.get_month(session, principal, mo_id, parse_month_text(month, "month"))


@router.put(
    "/budget/{mo_id}/months/{month}",
    operation_id="budget-month-put",
    summary="Заменить ячейки месяца МО (не переданные удаляются); суммы — числа или «1 234,56»; "
    "все ошибочные ячейки — в одном ответе 422; закрытый период — 409",
    openapi_extra={"x-upsert": True},
    responses=problem_responses(404, 409, 422),
)
async def put_month(
    session: DbSession,
    principal: CanWrite,
    mo_id: uuid.UUID,
    month: MonthParam,
    cells: Annotated[list[BudgetCellIn], Body(description="Ячейки месяца")],
) -> BudgetMonthRead:
    return await service.put_month(session, principal, mo_id, parse_month_text(month, "month"), cells)


@router.get(
    "/budget/{mo_id}/months/{month}/export.xlsx",
    operation_id="budget-month-xlsx",
    summary="Месяц МО в XLSX",
    response_class=Response,
    responses={**problem_responses(404, 422), 200: {"content": {XLSX: {}}}},
)
async def export_month(
    session: DbSession, principal: CanRead, mo_id: uuid.UUID, month: MonthParam
) -> Response:
    content = await service.month_xlsx(session, principal, mo_id, parse_month_text(month, "month"))
    return Response(
        content, media_type=XLSX, headers={"Content-Disposition": attachment(f"доходы-расходы-{month}.xlsx")}
    )


@router.get(
    "/budget/{mo_id}/year/{year}",
    operation_id="budget-year",
    summary="Год МО: строки (показатель, КВФО, КОСГУ) × 12 месяцев, план и факт; закрытые месяцы",
    responses=problem_responses(404, 422),
)
async def get_year(
    session: DbSession, principal: CanRead, mo_id: uuid.UUID, year: YearParam
) -> BudgetYearRead:
    return await service.get_year(session, principal, mo_id, year)


@router.get(
    "/budget/{mo_id}/year/{year}/export.xlsx",
    operation_id="budget-year-xlsx",
    summary="Год МО в XLSX (листы «Факт» и «План», месяцы столбцами)",
    response_class=Response,
    responses={**problem_responses(404, 422), 200: {"content": {XLSX: {}}}},
)
async def export_year(session: DbSession, principal: CanRead, mo_id: uuid.UUID, year: YearParam) -> Response:
    content = await service.year_xlsx(session, principal, mo_id, year)
    return Response(
        content, media_type=XLSX, headers={"Content-Disposition": attachment(f"доходы-расходы-{year}.xlsx")}
    )


@router.post(
    "/budget/{mo_id}/uploads",
    operation_id="budget-upload",
    summary="Загрузить шаблон доходов и расходов (CSV/XLSX, тело запроса — файл): все строки верны — "
    "записано; есть ошибки — ничего не записано, отчёт по строкам, можно загрузить только верные",
    status_code=201,
    openapi_extra=upload_request_body(UPLOAD_TYPES),
    responses=problem_responses(404, 409, 422),
)
async def upload(
    session: DbSession, principal: CanWrite, request: Request, mo_id: uuid.UUID
) -> BudgetUploadRead:
    name = filename_from(request.headers.get("content-disposition")) or "budget"
    return await service.upload(session, principal, mo_id, name, request.stream())


@router.get(
    "/budget/{mo_id}/uploads",
    operation_id="budget-uploads",
    summary="Последние загрузки шаблонов МО",
    responses=problem_responses(404),
)
async def list_uploads(session: DbSession, principal: CanRead, mo_id: uuid.UUID) -> list[BudgetUploadRead]:
    return await service.list_uploads(session, principal, mo_id)


@router.get(
    "/budget/{mo_id}/uploads/{upload_id}",
    operation_id="budget-upload-get",
    summary="Загрузка шаблона: отчёт по строкам",
    responses=problem_responses(404),
)
async def get_upload(
    session: DbSession, principal: CanRead, mo_id: uuid.UUID, upload_id: uuid.UUID
) -> BudgetUploadRead:
    return await service.get_upload(session, principal, mo_id, upload_id)


@router.post(
    "/budget/{mo_id}/uploads/{upload_id}/apply",
    operation_id="budget-upload-apply",
    summary="Загрузить только верные строки файла с ошибками",
    responses=problem_responses(404, 409),
)
async def apply_upload(
    session: DbSession, principal: CanWrite, mo_id: uuid.UUID, upload_id: uuid.UUID
) -> BudgetUploadRead:
    return await service.decide_upload(session, principal, mo_id, upload_id, apply=True)


@router.post(
    "/budget/{mo_id}/uploads/{upload_id}/discard",
    operation_id="budget-upload-discard",
    summary="Отменить загрузку файла с ошибками",
    responses=problem_responses(404, 409),
)
async def discard_upload(
    session: DbSession, principal: CanWrite, mo_id: uuid.UUID, upload_id: uuid.UUID
) -> BudgetUploadRead:
    return await service.decide_upload(session, principal, mo_id, upload_id, apply=False)


async def _on_cell_errors(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, CellErrors)
    return problem_response(
        exc.status,
        "Ошибки в ячейках",
        detail=exc.detail,
        type_="urn:oms:problem:invalid-cells",
        request=request,
        errors=exc.errors,
    )


def install(app: FastAPI) -> FastAPI:
    """The budget's problem for many bad cells at once (one 422 listing every cell)."""
    app.add_exception_handler(CellErrors, _on_cell_errors)
    return app
