"""``/forms``: the form templates and the consolidated forms of the caller's scope;
``/reports``: the reports of MOs and their workflow (draft → submitted → accepted | returned),
history and exports (XLSX, PDF, JSON for the FOMS/ministry exchange)."""

import asyncio
import uuid
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import Depends, Query, Request, Response, status
from fastapi.encoders import jsonable_encoder
from fastapi.responses import JSONResponse
from sqlalchemy.ext.asyncio import AsyncSession

from finance.forms import export
from finance.forms.engine import Values
from finance.forms.export import Document, ExchangeReport, ExchangeScope, FormExchange
from finance.forms.pdf import render_pdf
from finance.forms.repository import ReportFilter
from finance.forms.schemas import (
    CommentIn,
    ConsolidatedRead,
    FormCode,
    FormSummary,
    HistoryRead,
    OverdueRead,
    ReportCreate,
    ReportRead,
    ReportSummary,
    Status,
    SubmitIn,
    TemplateRead,
    ValidationRead,
    ValuesIn,
    ViolationsProblem,
)
from finance.forms.service import STATUS_TITLES, ControlRatiosFailed, FormService, list_forms, template_for
from finance.forms.xlsx import render_xlsx
from finance.scope import FOUNDER_ROLES
from oms_kit.app import secure_router
from oms_kit.audit import audit_access
from oms_kit.auth import Principal, require_permission
from oms_kit.db import DbSession
from oms_kit.errors import PROBLEM_JSON, Problem, problem_responses
from oms_kit.jobs.disposition import attachment
from oms_kit.logging import REQUEST_ID_HEADER, current_request_id
from oms_kit.pagination import Page, Paging

forms_router = secure_router(prefix="/forms", tags=["forms"], responses=problem_responses(401, 403))
reports_router = secure_router(prefix="/reports", tags=["reports"], responses=problem_responses(401, 403))
CanRead = Annotated[Principal, Depends(require_permission("finance.report:read"))]
CanWrite = Annotated[Principal, Depends(require_permission("finance.report:write"))]
CanAccept = Annotated[Principal, Depends(require_permission("finance.report:accept"))]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Format = Literal["xlsx", "pdf"]
Year = Annotated[int, Query(ge=2014, le=2100, description="Отчётный год")]
Quarter = Annotated[int | None, Query(ge=1, le=4, description="Квартал (для квартальных форм: 14-Ф)")]
VIOLATIONS_RESPONSE: dict[int | str, dict[str, Any]] = {
    422: {
        "model": ViolationsProblem,
        "content": {PROBLEM_JSON: {"schema": {"$ref": "#/components/schemas/ViolationsProblem"}}},
    }
}


async def on_control_ratios(request: Request, exc: Exception) -> JSONResponse:
    """The problem+json of a refused submit with the ``violations`` extension member."""
    assert isinstance(exc, ControlRatiosFailed)
    rid = current_request_id()
    body = Problem(
        type=f"urn:oms:problem:{exc.code}",
        title=exc.title,
        status=exc.status,
        detail=exc.detail,
        instance=request.url.path,
        request_id=rid,
        errors=[
            {"field": f"{c.row}:{c.column}", "message": f"{v.code}: {v.message}", "type": v.code}
            for v in exc.violations
            for c in v.cells[:1]
        ],
    ).model_dump(exclude_none=True)
    body["violations"] = jsonable_encoder(exc.violations)
    headers = {REQUEST_ID_HEADER: rid} if rid else None
    return JSONResponse(body, status_code=exc.status, media_type=PROBLEM_JSON, headers=headers)


def _file(content: bytes, kind: str, name: str) -> Response:
    media = XLSX if kind == "xlsx" else "application/pdf"
    return Response(content, media_type=media, headers={"Content-Disposition": attachment(name)})


async def _render(doc: Document, kind: str) -> bytes:
    return await asyncio.to_thread(render_pdf if kind == "pdf" else render_xlsx, doc)


def _values(cells: list) -> Values:  # type: ignore[type-arg]
    return {(c.row, c.column): c.value for c in cells}


# --- /forms ------------------------------------------------------------------------------------


@forms_router.get("", operation_id="forms-list", summary="Регламентированные формы и их версии")
async def forms(principal: CanRead) -> list[FormSummary]:
    return list_forms()


@forms_router.get(
    "/{form}/template",
    operation_id="forms-template",
    summary="Шаблон формы: строки, графы, формулы и контрольные соотношения (версия для периода)",
    responses=problem_responses(404, 422),
)
async def template(
    principal: CanRead,
    form: FormCode,
    year: Annotated[int | None, Query(ge=2014, le=2100, description="Без года — действующая версия")] = None,
    quarter: Quarter = None,
) -> TemplateRead:
    return template_for(form, year, quarter)


async def _consolidated(
    session: AsyncSession, principal: Principal, form: str, year: int, quarter: int | None
) -> tuple[ConsolidatedRead, Document]:
    read, version, values = await FormService(session, principal).consolidated(form, year, quarter)
    title = _consolidated_title(principal, read.mos)
    doc = Document(version, values, read.period, title, None, read.violations)
    return read, doc


def _consolidated_title(principal: Principal, mos: int | None) -> str:
    """Whose sum the file is: the region's only for a caller who sees every MO."""
    if mos is None:
        return "Свод по региону"
    if principal.roles & FOUNDER_ROLES:
        return f"Свод по подведомственным МО ({mos})"
    return "Своя медицинская организация"


@forms_router.get(
    "/{form}/consolidated",
    operation_id="forms-consolidated",
    summary="Сводная форма по МО в вашей области видимости (ФОМС, ТФОМС — по региону)",
    responses=problem_responses(404, 422),
)
async def consolidated(
    session: DbSession, principal: CanRead, form: FormCode, year: Year, quarter: Quarter = None
) -> ConsolidatedRead:
    read, _ = await _consolidated(session, principal, form, year, quarter)
    return read


@forms_router.get(
    "/{form}/consolidated.json",
    operation_id="forms-consolidated-exchange",
    summary="Сводная форма в формате обмена с ФОМС и Минздравом (JSON)",
    responses=problem_responses(404, 422),
)
async def consolidated_json(
    session: DbSession, principal: CanRead, form: FormCode, year: Year, quarter: Quarter = None
) -> FormExchange:
    service = FormService(session, principal)
    read, doc = await _consolidated(session, principal, form, year, quarter)
    await audit_access(session, principal, action="export", resource=f"finance_form:{form}:consolidated.json")
    scope = ExchangeScope(kind="region", mo_id=None, mo_name=None, mos=read.mos)
    return export.exchange(doc, scope, None, await service.repo.now())


@forms_router.get(
    "/{form}/consolidated.{kind}",
    operation_id="forms-consolidated-file",
    summary="Сводная форма в макете формы: XLSX или PDF",
    response_class=Response,
    responses={
        **problem_responses(404, 422, 503),
        200: {"content": {XLSX: {}, "application/pdf": {}}},
    },
)
async def consolidated_file(
    session: DbSession, principal: CanRead, form: FormCode, kind: Format, year: Year, quarter: Quarter = None
) -> Response:
    _, doc = await _consolidated(session, principal, form, year, quarter)
    content = await _render(doc, kind)
    await audit_access(
        session, principal, action="export", resource=f"finance_form:{form}:consolidated.{kind}"
    )
    return _file(content, kind, export.file_name(doc, kind))


# --- /reports ----------------------------------------------------------------------------------


@reports_router.get(
    "", operation_id="reports-list", summary="Отчёты МО: фильтры по форме, периоду, статусу, МО"
)
async def list_reports(
    session: DbSession,
    principal: CanRead,
    paging: Paging,
    form: Annotated[FormCode | None, Query(description="Форма")] = None,
    year: Annotated[int | None, Query(ge=2014, le=2100)] = None,
    quarter: Quarter = None,
    status_: Annotated[Status | None, Query(alias="status", description="Статус")] = None,
    mo_id: Annotated[uuid.UUID | None, Query(description="МО")] = None,
    overdue: Annotated[
        bool, Query(description="Только просроченные (черновик или возвращён после срока)")
    ] = False,
) -> Page[ReportSummary]:
    service = FormService(session, principal)
    f = ReportFilter(
        form=form,
        year=year,
        quarter=quarter,
        status=status_,
        mo_id=mo_id,
        overdue_on=service.today if overdue else None,
    )
    return await service.list_reports(f, paging)


@reports_router.get(
    "/overdue",
    operation_id="reports-overdue",
    summary="Просроченные отчёты: МО × форма × период после срока без сданного отчёта, дней просрочки",
)
async def overdue(
    session: DbSession,
    principal: CanRead,
    form: Annotated[FormCode | None, Query(description="Форма")] = None,
    since: Annotated[
        date | None,
        Query(description="Периоды, закончившиеся не раньше (по умолчанию — с 1 января прошлого года)"),
    ] = None,
) -> list[OverdueRead]:
    return await FormService(session, principal).overdue(form, since)


@reports_router.post(
    "",
    operation_id="reports-create",
    summary="Начать отчёт МО за период (черновик, заполненный из данных)",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(404, 409, 422),
)
async def create_report(session: DbSession, principal: CanWrite, body: ReportCreate) -> ReportRead:
    return await FormService(session, principal).create(body)


@reports_router.get(
    "/{report_id}",
    operation_id="reports-get",
    summary="Отчёт: ячейки (черновик — пересчитан из данных при открытии), нарушения соотношений, действия",
    responses=problem_responses(404),
)
async def get_report(session: DbSession, principal: CanRead, report_id: uuid.UUID) -> ReportRead:
    return await FormService(session, principal).get(report_id)


@reports_router.get(
    "/{report_id}/history",
    operation_id="reports-history",
    summary="История отчёта: кто, когда, что изменил (значения, статус, комментарии)",
    responses=problem_responses(404),
)
async def history(session: DbSession, principal: CanRead, report_id: uuid.UUID) -> list[HistoryRead]:
    return await FormService(session, principal).history(report_id)


@reports_router.post(
    "/{report_id}/recalculate",
    operation_id="reports-recalculate",
    summary="Пересчитать вычисляемые ячейки по данным и сохранить",
    responses=problem_responses(404, 409),
)
async def recalculate(session: DbSession, principal: CanWrite, report_id: uuid.UUID) -> ReportRead:
    return await FormService(session, principal).recalculate(report_id)


@reports_router.patch(
    "/{report_id}/values",
    operation_id="reports-edit",
    summary="Сохранить ручные ячейки (черновик или возвращённый отчёт; с ошибками — можно)",
    responses=problem_responses(404, 409, 422),
)
async def edit_values(
    session: DbSession, principal: CanWrite, report_id: uuid.UUID, body: ValuesIn
) -> ReportRead:
    return await FormService(session, principal).edit(report_id, body)


@reports_router.post(
    "/{report_id}/validate",
    operation_id="reports-validate",
    summary="Проверить контрольные соотношения с введёнными значениями, не сохраняя",
    responses=problem_responses(404, 422),
)
async def validate(
    session: DbSession, principal: CanRead, report_id: uuid.UUID, body: ValuesIn
) -> ValidationRead:
    return await FormService(session, principal).validate(report_id, body)


@reports_router.post(
    "/{report_id}/submit",
    operation_id="reports-submit",
    summary="Сдать отчёт: контрольные соотношения; с ошибками — 422 со списком нарушений",
    responses={**problem_responses(404, 409), **VIOLATIONS_RESPONSE},
)
async def submit(
    session: DbSession, principal: CanWrite, report_id: uuid.UUID, body: SubmitIn | None = None
) -> ReportRead:
    return await FormService(session, principal).submit(report_id, body.expected_revision if body else None)


@reports_router.post(
    "/{report_id}/accept",
    operation_id="reports-accept",
    summary="Принять отчёт: он больше не меняется, месяцы периода МО закрываются",
    responses=problem_responses(404, 409),
)
async def accept(session: DbSession, principal: CanAccept, report_id: uuid.UUID) -> ReportRead:
    return await FormService(session, principal).accept(report_id)


@reports_router.post(
    "/{report_id}/return",
    operation_id="reports-return",
    summary="Вернуть отчёт на доработку с комментарием",
    responses=problem_responses(404, 409, 422),
)
async def return_report(
    session: DbSession, principal: CanAccept, report_id: uuid.UUID, body: CommentIn
) -> ReportRead:
    return await FormService(session, principal).return_(report_id, body.comment)


@reports_router.post(
    "/{report_id}/comments",
    operation_id="reports-comment",
    summary="Комментарий к отчёту (МО или принимающий)",
    responses=problem_responses(404, 409, 422),
)
async def comment(
    session: DbSession, principal: CanRead, report_id: uuid.UUID, body: CommentIn
) -> list[HistoryRead]:
    return await FormService(session, principal).comment(report_id, body.comment)


async def _report_doc(
    session: AsyncSession, principal: Principal, report_id: uuid.UUID
) -> tuple[ReportRead, Document]:
    read, version = await FormService(session, principal).values_for_export(report_id)
    doc = Document(
        version,
        _values(read.cells),
        read.period,
        read.mo_name or str(read.mo_id),
        STATUS_TITLES[read.status],
        read.violations,
    )
    return read, doc


@reports_router.get(
    "/{report_id}/export.json",
    operation_id="reports-exchange",
    summary="Отчёт в формате обмена с ФОМС и Минздравом (JSON)",
    responses=problem_responses(404),
)
async def report_json(session: DbSession, principal: CanRead, report_id: uuid.UUID) -> FormExchange:
    read, doc = await _report_doc(session, principal, report_id)
    scope = ExchangeScope(kind="mo", mo_id=read.mo_id, mo_name=read.mo_name, mos=1)
    report = ExchangeReport(
        id=read.id, status=read.status, submitted_at=read.submitted_at, decided_at=read.decided_at
    )
    return export.exchange(doc, scope, report, read.updated_at)


@reports_router.get(
    "/{report_id}/export.{kind}",
    operation_id="reports-export",
    summary="Отчёт в макете формы: XLSX или PDF",
    response_class=Response,
    responses={**problem_responses(404, 503), 200: {"content": {XLSX: {}, "application/pdf": {}}}},
)
async def report_file(session: DbSession, principal: CanRead, report_id: uuid.UUID, kind: Format) -> Response:
    _, doc = await _report_doc(session, principal, report_id)
    content = await _render(doc, kind)
    return _file(content, kind, export.file_name(doc, kind))
