"""``/runs``: start a verification run on a TFOMS register file or on the registry's non-working
persons (a background job), its state, outcomes and rejected rows. Cancelling is the job's:
``POST /jobs/{job_id}/cancel``."""

import uuid
from datetime import date
from typing import Annotated, Literal

from fastapi import Depends, Query, Request, status

from oms_kit.app import secure_router
from oms_kit.auth import Principal, require_permission
from oms_kit.db import DbSession
from oms_kit.errors import problem_responses
from oms_kit.jobs import upload_request_body
from oms_kit.pagination import Page, Paging
from verification.runs import service
from verification.runs.schemas import OutcomeRead, RegistryRunStart, RejectionRead, RunRead

router = secure_router(prefix="/runs", tags=["runs"], responses=problem_responses(401, 403))
CanRead = Annotated[Principal, Depends(require_permission("verification.run:read"))]
CanWrite = Annotated[Principal, Depends(require_permission("verification.run:write"))]
OutcomeKind = Literal["keep", "exclude", "update", "review"]


@router.post(
    "",
    operation_id="runs-start",
    summary="Запустить проверку регистра неработающего населения по файлу ТФОМС (фоновое задание)",
    status_code=status.HTTP_202_ACCEPTED,
    openapi_extra=upload_request_body(service.REGISTER_MEDIA_TYPES),
    responses=problem_responses(413, 415, 422),
)
async def start_run(
    session: DbSession,
    request: Request,
    principal: CanWrite,
    period_from: Annotated[
        date | None, Query(description="Начало проверяемого периода (1 января года as_of)")
    ] = None,
    period_to: Annotated[date | None, Query(description="Конец проверяемого периода (31 декабря)")] = None,
    as_of: Annotated[date | None, Query(description="Дата, на которую проверяется регистр (сегодня)")] = None,
    previous_run_id: Annotated[
        uuid.UUID | None, Query(description="Предыдущая проверка: повторная проверка только изменившегося")
    ] = None,
) -> RunRead:
    return await service.start_run(
        session,
        principal,
        request,
        period_from=period_from,
        period_to=period_to,
        as_of=as_of,
        previous_run_id=previous_run_id,
    )


@router.post(
    "/from-registry",
    operation_id="runs-start-from-registry",
    summary="Запустить проверку по регистру застрахованных: неработающие на дату (фоновое задание)",
    description=(
        "Регистр проверки — лица, неработающие на дату as_of по регистру застрахованных (сервис registry, "
        "через шлюз с ключом API роли tfoms_exchange). 503 — регистр не подключён, 502 — регистр "
        "недоступен или отказал в доступе."
    ),
    status_code=status.HTTP_202_ACCEPTED,
    responses=problem_responses(422, 502, 503),
)
async def start_run_from_registry(
    session: DbSession, request: Request, principal: CanWrite, data: RegistryRunStart
) -> RunRead:
    registry = getattr(request.app.state, "registry_register", None)
    return await service.start_registry_run(session, principal, registry, data)


@router.get("", operation_id="runs-list", summary="Проверки регистра, новые первыми")
async def list_runs(session: DbSession, principal: CanRead, paging: Paging) -> Page[RunRead]:
    return await service.list_runs(session, principal, paging)


@router.get(
    "/{run_id}",
    operation_id="runs-get",
    summary="Проверка: этап, ход и итоги",
    responses=problem_responses(404),
)
async def get_run(session: DbSession, principal: CanRead, run_id: uuid.UUID) -> RunRead:
    return await service.get_run(session, principal, run_id)


@router.get(
    "/{run_id}/outcomes",
    operation_id="runs-outcomes",
    summary="Итоги проверки по лицам регистра с доказательствами",
    responses=problem_responses(404),
)
async def list_outcomes(
    session: DbSession,
    principal: CanRead,
    run_id: uuid.UUID,
    paging: Paging,
    outcome: Annotated[OutcomeKind | None, Query(description="Итог: keep, exclude, update, review")] = None,
    reason: Annotated[str | None, Query(description="Основание (dead, employed, duplicate, …)")] = None,
    district: Annotated[str | None, Query(description="Код района")] = None,
) -> Page[OutcomeRead]:
    return await service.list_outcomes(
        session, principal, run_id, paging, outcome=outcome, reason=reason, district=district
    )


@router.get(
    "/{run_id}/rejections",
    operation_id="runs-rejections",
    summary="Отклонённые строки файла регистра с причинами",
    responses=problem_responses(404),
)
async def list_rejections(
    session: DbSession, principal: CanRead, run_id: uuid.UUID, paging: Paging
) -> Page[RejectionRead]:
    return await service.list_rejections(session, principal, run_id, paging)
