"""Benefit prescriptions: the search within the caller's rights (and its XLSX), one prescription
with its reservation, dispense and deferred service, issue by a doctor (checked, numbered,
signed, optionally reserved), cancel, copy, the print form (PDF) and the signature's check;
what the doctor's form offers (forms and terms, the drugs allowed with the attached pharmacies'
stock).

Who: ``pharmacy.prescription:read`` — doctors (their MO's), pharmacists (their pharmacy's, and
one looked up by series and number or by the person), the fund and the health authority (all),
patients (their own); ``pharmacy.prescription:write`` — doctors of an MO and its MIS keys
(gateway/access/roles.py)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import Depends, Path, Query, Request, Response, status

from oms_kit.app import secure_router
from oms_kit.auth import Principal, require_permission
from oms_kit.db import DbSession
from oms_kit.errors import problem_responses
from oms_kit.jobs.disposition import attachment
from oms_kit.pagination import Page, Paging, sorting
from pharmacy.config import Settings
from pharmacy.models import Prescription
from pharmacy.prescriptions import service
from pharmacy.prescriptions.pdf import render_pdf
from pharmacy.prescriptions.repository import PrescriptionFilter, effective_status
from pharmacy.prescriptions.schemas import (
    CancelIn,
    CopyIn,
    DrugOptions,
    FormOption,
    PrescriptionIn,
    PrescriptionRead,
    PrescriptionSummary,
    SignatureInfo,
    Status,
)
from pharmacy.prescriptions.xlsx import XLSX, render_xlsx

router = secure_router(tags=["prescription"], responses=problem_responses(401, 403))
CanRead = Annotated[Principal, Depends(require_permission("pharmacy.prescription:read"))]
CanWrite = Annotated[Principal, Depends(require_permission("pharmacy.prescription:write"))]
PrescriptionId = Annotated[uuid.UUID, Path(description="Идентификатор рецепта")]

SORTS: dict[str, Any] = {
    "issued_on": Prescription.issued_on,
    "valid_until": Prescription.valid_until,
    "series": Prescription.series,
    "number": Prescription.number,
    "status": effective_status(),
    "form": Prescription.form,
    "mo_code": Prescription.mo_code,
    "doctor_name": Prescription.doctor_name,
    "patient_full_name": Prescription.patient_full_name,
    "category_code": Prescription.category_code,
    "funding_source": Prescription.funding_source,
    "diagnosis_code": Prescription.diagnosis_code,
    "inn": Prescription.inn,
    "quantity": Prescription.quantity,
    "created_at": Prescription.created_at,
}
Sorting = Annotated[list[Any], Depends(sorting(SORTS, "-issued_on,-number"))]


def _settings(request: Request) -> Settings:
    settings = request.app.state.settings
    assert isinstance(settings, Settings)
    return settings


AppSettings = Annotated[Settings, Depends(_settings)]


def _filter(
    status_: Annotated[
        Status | None,
        Query(alias="status", description="Статус; expired — выписан, но срок истёк (вычисляется)"),
    ] = None,
    issued_from: Annotated[date | None, Query(description="Выписан не раньше")] = None,
    issued_to: Annotated[date | None, Query(description="Выписан не позже")] = None,
    mo_id: Annotated[uuid.UUID | None, Query(description="Медицинская организация")] = None,
    person_id: Annotated[uuid.UUID | None, Query(description="Пациент (идентификатор в регистре)")] = None,
    inn: Annotated[str | None, Query(max_length=300, description="Начало МНН")] = None,
    category: Annotated[str | None, Query(max_length=30, description="Код категории льготы")] = None,
    funding_source: Annotated[Literal["federal", "regional"] | None, Query(description="Источник")] = None,
    series: Annotated[str | None, Query(pattern=r"^\d{7}$", description="Серия (7 цифр)")] = None,
    number: Annotated[int | None, Query(ge=1, description="Номер")] = None,
    doctor: Annotated[str | None, Query(max_length=300, description="Врач: часть Ф.И.О. или логин")] = None,
    pharmacy_id: Annotated[
        uuid.UUID | None, Query(description="Аптека: резерв, отсроченное обслуживание или отпуск в ней")
    ] = None,
    form: Annotated[Literal["148-1/у-04(л)", "148-1/у-06(л)"] | None, Query(description="Форма")] = None,
) -> PrescriptionFilter:
    return PrescriptionFilter(
        status=status_,
        issued_from=issued_from,
        issued_to=issued_to,
        mo_id=mo_id,
        person_id=person_id,
        inn=inn,
        category=category,
        funding_source=funding_source,
        series=series,
        number=number,
        doctor=doctor,
        pharmacy_id=pharmacy_id,
        form=form,
    )


Filter = Annotated[PrescriptionFilter, Depends(_filter)]


@router.get(
    "/prescriptions",
    operation_id="prescription-list",
    summary="Поиск рецептов в пределах прав, с фильтрами и сортировкой",
    description=(
        "Врач — рецепты своей МО; аптека — зарезервированные, отсроченные и отпущенные в ней, а также "
        "найденные точно по серии и номеру или по пациенту; ТФОМС и орган управления здравоохранением — все. "
        "Каждое лицо страницы записывается в журнал доступа к персональным данным."
    ),
    responses=problem_responses(422),
)
async def list_prescriptions(
    session: DbSession, principal: CanRead, paging: Paging, order: Sorting, f: Filter
) -> Page[PrescriptionSummary]:
    items, total = await service.search(session, principal, f, order, paging.limit, paging.offset)
    return Page(items=items, total=total, limit=paging.limit, offset=paging.offset)


@router.get(
    "/prescriptions/export.xlsx",
    operation_id="prescription-export",
    summary="Найденные рецепты в XLSX (до 50 000 строк)",
    response_class=Response,
    responses={**problem_responses(422), 200: {"content": {XLSX: {}}}},
)
async def export_prescriptions(session: DbSession, principal: CanRead, order: Sorting, f: Filter) -> Response:
    rows = await service.export_rows(session, principal, f, order)
    content = await asyncio.to_thread(render_xlsx, rows)
    return Response(
        content, media_type=XLSX, headers={"Content-Disposition": attachment(f"рецепты-{date.today()}.xlsx")}
    )


@router.get(
    "/prescriptions/forms",
    operation_id="prescription-forms",
    summary="Формы льготных рецептов и сроки действия по основаниям",
)
async def list_forms(principal: CanRead) -> list[FormOption]:
    return service.form_options()


@router.get(
    "/prescriptions/drug-options",
    operation_id="prescription-drug-options",
    summary="Препараты, которые можно выписать лицу на дату, со свободным остатком прикреплённых аптек",
    description=(
        "Перечни действующих категорий лица (или одной категории) ∩ справочник (запись НСИ действует "
        "на дату); по каждому препарату — свободные упаковки в аптеках, прикреплённых к МО врача. Обращение "
        "записывается в журнал доступа."
    ),
    responses=problem_responses(422),
)
async def drug_options(
    session: DbSession,
    principal: CanWrite,
    person_id: Annotated[uuid.UUID, Query(description="Пациент")],
    on: Annotated[date | None, Query(description="Дата (по умолчанию сегодня)")] = None,
    category: Annotated[str | None, Query(max_length=30, description="Только эта категория")] = None,
) -> DrugOptions:
    return await service.drug_options(session, principal, person_id, on or date.today(), category)


@router.post(
    "/prescriptions",
    operation_id="prescription-issue",
    summary="Выписать льготный рецепт (148-1/у-04(л) или 148-1/у-06(л))",
    description=(
        "Проверки: право лица на дату по категории, препарат в перечне категории и действует в НСИ, диагноз "
        "относится к категории, количество больше нуля, лицо живо, основание срока допустимо для формы. "
        "Отказ — 422 со всеми непройденными проверками (errors[].type — код проверки). Серия — код региона "
        "и пять цифр кода МО, номер — следующий в серии без пропусков. Рецепт подписывается. Резерв в "
        "прикреплённой аптеке — если выбрана аптека (нет свободного остатка — 409, рецепт не выписан)."
    ),
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(409, 422),
)
async def issue_prescription(
    session: DbSession, principal: CanWrite, settings: AppSettings, body: PrescriptionIn
) -> PrescriptionRead:
    return await service.issue(session, principal, body, settings=settings)


@router.get(
    "/prescriptions/{prescription_id}",
    operation_id="prescription-get",
    summary="Рецепт: реквизиты, подпись, резерв, отпуск, отсроченное обслуживание",
    responses=problem_responses(404),
)
async def get_prescription(
    session: DbSession, principal: CanRead, settings: AppSettings, prescription_id: PrescriptionId
) -> PrescriptionRead:
    return await service.get(session, principal, prescription_id, settings=settings)


@router.post(
    "/prescriptions/{prescription_id}/cancel",
    operation_id="prescription-cancel",
    summary="Аннулировать рецепт своей МО (резерв снимается)",
    responses=problem_responses(404, 409, 422),
)
async def cancel_prescription(
    session: DbSession,
    principal: CanWrite,
    settings: AppSettings,
    prescription_id: PrescriptionId,
    body: CancelIn,
) -> PrescriptionRead:
    return await service.cancel(session, principal, prescription_id, body.reason, settings=settings)


@router.post(
    "/prescriptions/{prescription_id}/copy",
    operation_id="prescription-copy",
    summary="Выписать новый рецепт копированием ранее выписанного (новый номер, сегодняшняя дата)",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(404, 409, 422),
)
async def copy_prescription(
    session: DbSession,
    principal: CanWrite,
    settings: AppSettings,
    prescription_id: PrescriptionId,
    body: CopyIn,
) -> PrescriptionRead:
    return await service.copy(session, principal, prescription_id, body, settings=settings)


@router.get(
    "/prescriptions/{prescription_id}/print.pdf",
    operation_id="prescription-print",
    summary="Печатная форма рецепта (PDF)",
    response_class=Response,
    responses={**problem_responses(404, 503), 200: {"content": {"application/pdf": {}}}},
)
async def print_prescription(
    session: DbSession, principal: CanRead, prescription_id: PrescriptionId
) -> Response:
    row, mo, cat, d = await service.for_print(session, principal, prescription_id)
    content = await asyncio.to_thread(render_pdf, row, mo, cat, d)
    name = f"рецепт-{row.series}-{row.number:07d}.pdf"
    return Response(content, media_type="application/pdf", headers={"Content-Disposition": attachment(name)})


@router.get(
    "/prescriptions/{prescription_id}/signature",
    operation_id="prescription-signature",
    summary="Проверка электронной подписи рецепта",
    responses=problem_responses(404),
)
async def verify_signature(
    session: DbSession, principal: CanRead, settings: AppSettings, prescription_id: PrescriptionId
) -> SignatureInfo:
    return await service.verify(session, principal, prescription_id, settings=settings)
