"""Medico-economic control: start a control run (a job with progress), its summary and
violations, the registry of dispensed prescriptions (JSON, CSV for the fund, XLSX), expertise
acts (draw up, list, one, PDF/XLSX, the period's acts as CSV for the fund).

Who: ``pharmacy.control:read`` / ``:write`` (the fund's analyst and the health authority —
region-wide; a pharmacy with the permission — its own dispenses). Every read or export of
person-level rows is audited."""

from __future__ import annotations

import asyncio
import uuid
from datetime import date
from typing import Annotated, Any, Literal

from fastapi import Depends, Path, Query, Response, status

from oms_kit.app import secure_router
from oms_kit.auth import Principal, require_permission
from oms_kit.db import DbSession
from oms_kit.errors import problem_responses
from oms_kit.jobs import JobRead, job_read, submit_job
from oms_kit.jobs.disposition import attachment
from oms_kit.pagination import Paging, sorting
from pharmacy.control import exports, service
from pharmacy.control.jobs import CONTROL_RUN
from pharmacy.control.repository import ResultFilter
from pharmacy.control.schemas import (
    ActCard,
    ActIn,
    ActPage,
    ControlRunIn,
    ControlRunRead,
    ControlSummary,
    RegistryPage,
    ViolationPage,
)
from pharmacy.models import ControlResult, ControlViolation, Dispense

router = secure_router(tags=["control"], responses=problem_responses(401, 403))
CanRead = Annotated[Principal, Depends(require_permission("pharmacy.control:read"))]
CanWrite = Annotated[Principal, Depends(require_permission("pharmacy.control:write"))]
RunId = Annotated[uuid.UUID, Path(description="Идентификатор контроля")]
ActId = Annotated[uuid.UUID, Path(description="Идентификатор акта")]
PeriodFrom = Annotated[date, Query(description="Начало периода (дата отпуска)")]
PeriodTo = Annotated[date, Query(description="Конец периода (включительно)")]
PharmacyQ = Annotated[uuid.UUID | None, Query(description="Аптека")]
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSV = "text/csv; charset=utf-8"

VIOLATION_SORTS = {
    "dispensed_on": ControlResult.dispensed_on,
    "code": ControlViolation.code,
    "amount": ControlViolation.amount,
    "withheld": ControlResult.withheld,
}
REGISTRY_SORTS = {"dispensed_at": Dispense.dispensed_at, "amount": Dispense.amount}
ViolationSorting = Annotated[list[Any], Depends(sorting(VIOLATION_SORTS, "dispensed_on"))]
RegistrySorting = Annotated[list[Any], Depends(sorting(REGISTRY_SORTS, "dispensed_at"))]


def _file(content: bytes, media: str, name: str) -> Response:
    return Response(content, media_type=media, headers={"Content-Disposition": attachment(name)})


@router.post(
    "/control/runs",
    operation_id="control-run-start",
    summary="Провести медико-экономический контроль за период (фоновая задача)",
    description=(
        "Проверки при отпуске повторяются по всем отпускам периода (и аптеки), к ним добавляются "
        "проверки, возможные только по реестру: отпуск после срока действия и после даты смерти, "
        "повторный отпуск того же рецепта в другой аптеке, сумма ≠ сумме цен упаковок, выбытие не "
        "передано в МДЛП или отклонено. Повторный контроль заменяет прежние результаты тех же отпусков. "
        "Ход — /jobs/{job_id}."
    ),
    status_code=status.HTTP_202_ACCEPTED,
    responses=problem_responses(404, 422),
)
async def start_run(session: DbSession, principal: CanWrite, body: ControlRunIn) -> ControlRunRead:
    run = await service.start_run(session, principal, body.period_from, body.period_to, body.pharmacy_id)
    job = await submit_job(
        session,
        CONTROL_RUN,
        principal,
        params={"run_id": str(run.id)},
        title=f"МЭК за {body.period_from:%d.%m.%Y}—{body.period_to:%d.%m.%Y}",
    )
    run.job_id = job.id
    await session.flush()
    return ControlRunRead.model_validate(run)


@router.get("/control/runs", operation_id="control-run-list", summary="Проведённые контроли")
async def list_runs(session: DbSession, principal: CanRead, paging: Paging) -> list[ControlRunRead]:
    rows = await service.list_runs(session, principal, paging.limit, paging.offset)
    return [ControlRunRead.model_validate(r) for r in rows]


@router.get(
    "/control/runs/{run_id}",
    operation_id="control-run-get",
    summary="Контроль: статус и итоги",
    responses=problem_responses(404),
)
async def get_run(session: DbSession, principal: CanRead, run_id: RunId) -> ControlRunRead:
    return ControlRunRead.model_validate(await service.run_read(session, principal, run_id))


@router.get(
    "/control/runs/{run_id}/job",
    operation_id="control-run-job",
    summary="Фоновая задача контроля (ход выполнения)",
    responses=problem_responses(404),
)
async def get_run_job(session: DbSession, principal: CanRead, run_id: RunId) -> JobRead:
    return await job_read(session, await service.run_job(session, principal, run_id))


@router.get(
    "/control/summary",
    operation_id="control-summary",
    summary="Итоги контроля за период: суммы и нарушения по видам",
    responses=problem_responses(404),
)
async def get_summary(
    session: DbSession,
    principal: CanRead,
    period_from: PeriodFrom,
    period_to: PeriodTo,
    pharmacy_id: PharmacyQ = None,
) -> ControlSummary:
    return await service.summary(session, principal, ResultFilter(period_from, period_to, pharmacy_id))


@router.get(
    "/control/violations",
    operation_id="control-violation-list",
    summary="Нарушения, выявленные контролем",
    description="Каждое лицо страницы записывается в журнал доступа к персональным данным.",
    responses=problem_responses(404),
)
async def list_violations(
    session: DbSession,
    principal: CanRead,
    paging: Paging,
    order: ViolationSorting,
    period_from: PeriodFrom,
    period_to: PeriodTo,
    pharmacy_id: PharmacyQ = None,
    code: Annotated[str | None, Query(max_length=40, description="Код нарушения")] = None,
) -> ViolationPage:
    items, total = await service.violations(
        session,
        principal,
        ResultFilter(period_from, period_to, pharmacy_id, code),
        order,
        paging.limit,
        paging.offset,
    )
    return ViolationPage(items=items, total=total, limit=paging.limit, offset=paging.offset)


@router.get(
    "/control/registry",
    operation_id="control-registry",
    summary="Реестр отпущенных рецептов за период",
    description="Каждое лицо страницы записывается в журнал доступа к персональным данным.",
    responses=problem_responses(404),
)
async def get_registry(
    session: DbSession,
    principal: CanRead,
    paging: Paging,
    order: RegistrySorting,
    period_from: PeriodFrom,
    period_to: PeriodTo,
    pharmacy_id: PharmacyQ = None,
) -> RegistryPage:
    items, total = await service.registry_rows(
        session, principal, period_from, period_to, pharmacy_id, order, paging.limit, paging.offset
    )
    return RegistryPage(items=items, total=total, limit=paging.limit, offset=paging.offset)


@router.get(
    "/control/registry.{kind}",
    operation_id="control-registry-file",
    summary="Реестр отпущенных рецептов: CSV для фонда или XLSX",
    response_class=Response,
    responses={**problem_responses(404, 422), 200: {"content": {XLSX: {}, "text/csv": {}}}},
)
async def registry_file(
    session: DbSession,
    principal: CanRead,
    kind: Annotated[Literal["csv", "xlsx"], Path(description="csv или xlsx")],
    period_from: PeriodFrom,
    period_to: PeriodTo,
    pharmacy_id: PharmacyQ = None,
) -> Response:
    rows, _ = await service.registry_rows(
        session,
        principal,
        period_from,
        period_to,
        pharmacy_id,
        [Dispense.dispensed_at.asc()],
        None,
        action="export",
    )
    name = f"реестр-рецептов-{period_from:%Y%m%d}-{period_to:%Y%m%d}.{kind}"
    if kind == "csv":
        return _file(exports.registry_csv(rows), CSV, name)
    title = f"Реестр отпущенных рецептов за {period_from:%d.%m.%Y} — {period_to:%d.%m.%Y}"
    return _file(await asyncio.to_thread(exports.registry_xlsx, rows, title), XLSX, name)


@router.post(
    "/control/acts",
    operation_id="control-act-create",
    summary="Составить акт медико-экономического контроля по аптеке за период",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(404, 409, 422),
)
async def create_act(session: DbSession, principal: CanWrite, body: ActIn) -> ActCard:
    return await service.draw_up_act(session, principal, body.pharmacy_id, body.period_from, body.period_to)


@router.get("/control/acts", operation_id="control-act-list", summary="Акты медико-экономического контроля")
async def list_acts(
    session: DbSession,
    principal: CanRead,
    paging: Paging,
    period_from: Annotated[date | None, Query(description="Акты периодов, заканчивающихся не раньше")] = None,
    period_to: Annotated[date | None, Query(description="Акты периодов, начинающихся не позже")] = None,
    pharmacy_id: PharmacyQ = None,
) -> ActPage:
    items, total = await service.list_acts(
        session, principal, period_from, period_to, pharmacy_id, paging.limit, paging.offset
    )
    return ActPage(items=items, total=total, limit=paging.limit, offset=paging.offset)


@router.get(
    "/control/acts.csv",
    operation_id="control-act-export",
    summary="Акты за период для фонда (CSV, строка на рецепт с нарушениями)",
    response_class=Response,
    responses={**problem_responses(422), 200: {"content": {"text/csv": {}}}},
)
async def export_acts(
    session: DbSession,
    principal: CanRead,
    period_from: Annotated[date, Query(description="Акты периодов, заканчивающихся не раньше")],
    period_to: Annotated[date, Query(description="Акты периодов, начинающихся не позже")],
    pharmacy_id: PharmacyQ = None,
) -> Response:
    rows, _ = await service.list_acts(session, principal, period_from, period_to, pharmacy_id, None)
    cards = [await service.act_card(session, principal, a.id, action="export") for a in rows]
    return _file(exports.acts_csv(cards), CSV, f"акты-мэк-{period_from:%Y%m%d}-{period_to:%Y%m%d}.csv")


@router.get(
    "/control/acts/{act_id}.{kind}",
    operation_id="control-act-file",
    summary="Акт медико-экономического контроля: PDF или XLSX",
    response_class=Response,
    responses={**problem_responses(404, 503), 200: {"content": {XLSX: {}, "application/pdf": {}}}},
)
async def act_file(
    session: DbSession,
    principal: CanRead,
    act_id: ActId,
    kind: Annotated[Literal["pdf", "xlsx"], Path(description="pdf или xlsx")],
) -> Response:
    card = await service.act_card(session, principal, act_id, action="export")
    if kind == "pdf":
        return _file(
            await asyncio.to_thread(exports.act_pdf, card), "application/pdf", f"акт-{card.number}.pdf"
        )
    return _file(await asyncio.to_thread(exports.act_xlsx, card), XLSX, f"акт-{card.number}.xlsx")


@router.get(
    "/control/acts/{act_id}",
    operation_id="control-act-get",
    summary="Акт медико-экономического контроля со строками",
    responses=problem_responses(404),
)
async def get_act(session: DbSession, principal: CanRead, act_id: ActId) -> ActCard:
    return await service.act_card(session, principal, act_id)
