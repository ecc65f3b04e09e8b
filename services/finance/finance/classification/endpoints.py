"""``/classification``: the review list of payments the rules and the model are not sure of,
people's decisions (confirm or correct; bulk confirm), the decisions log of a payment, the
current classifier's card and its training (a job)."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Annotated, Literal

from fastapi import Depends, Query, status

from finance.classification import service
from finance.classification.schemas import (
    BulkConfirmIn,
    BulkConfirmRead,
    ClassifierRead,
    DecisionIn,
    DecisionRead,
    ReviewPage,
)
from oms_kit.app import secure_router
from oms_kit.auth import Principal, require_permission
from oms_kit.db import DbSession
from oms_kit.errors import problem_responses
from oms_kit.jobs import JobRead
from oms_kit.pagination import Paging

router = secure_router(
    prefix="/classification", tags=["classification"], responses=problem_responses(401, 403)
)
CanRead = Annotated[Principal, Depends(require_permission("finance.payment_order:read"))]
CanWrite = Annotated[Principal, Depends(require_permission("finance.payment_order:write"))]
# One classifier serves every MO: the fund retrains it, not one MO's economist.
CanTrain = Annotated[Principal, Depends(require_permission("finance.classifier:train"))]


@router.get(
    "/review",
    operation_id="classification-review-list",
    summary="Платежи на проверке: классификация с уверенностью ниже порога — предложенные КВФО/КОСГУ "
    "и альтернативы модели; наименее уверенные (или крупные) первыми",
    responses=problem_responses(404, 422),
)
async def review_list(
    session: DbSession,
    principal: CanRead,
    paging: Paging,
    mo_id: Annotated[uuid.UUID | None, Query(description="Только платежи этой МО")] = None,
    date_from: Annotated[date | None, Query(description="Дата документа не раньше")] = None,
    date_to: Annotated[date | None, Query(description="Дата документа раньше")] = None,
    order: Annotated[
        Literal["confidence", "amount"],
        Query(description="confidence — наименее уверенные первыми, amount — крупные первыми"),
    ] = "confidence",
) -> ReviewPage:
    return await service.review_list(
        session, principal, paging, mo_id=mo_id, month_from=date_from, month_to=date_to, order=order
    )


@router.post(
    "/review/confirm",
    operation_id="classification-review-confirm",
    summary="Подтвердить предложенную классификацию нескольких платежей (всё или ничего)",
    responses=problem_responses(404, 409, 422),
)
async def bulk_confirm(session: DbSession, principal: CanWrite, body: BulkConfirmIn) -> BulkConfirmRead:
    return await service.bulk_confirm(session, principal, body)


@router.post(
    "/payments/{payment_id}/decision",
    operation_id="classification-decide",
    summary="Решение по платежу: подтвердить предложенные КВФО/КОСГУ или исправить их "
    "(исправление войдёт в следующее обучение)",
    status_code=status.HTTP_201_CREATED,
    responses=problem_responses(404, 409, 422),
)
async def decide(
    session: DbSession, principal: CanWrite, payment_id: uuid.UUID, body: DecisionIn
) -> DecisionRead:
    return await service.decide_payment(session, principal, payment_id, body)


@router.get(
    "/payments/{payment_id}/decisions",
    operation_id="classification-decisions",
    summary="История решений по классификации платежа: кто, когда, было → стало",
    responses=problem_responses(404),
)
async def decisions(session: DbSession, principal: CanRead, payment_id: uuid.UUID) -> list[DecisionRead]:
    return await service.decisions_of(session, principal, payment_id)


@router.get(
    "/model",
    operation_id="classification-model",
    summary="Текущий классификатор: когда обучен, на скольких платежах, macro-F1 на отложенной выборке "
    "и точность/полнота по каждой статье",
    responses=problem_responses(404),
)
async def model_card(session: DbSession, principal: CanRead) -> ClassifierRead:
    return await service.model_card(session, principal)


@router.post(
    "/model/trainings",
    operation_id="classification-train",
    summary="Обучить классификатор заново на подтверждённых платежах (фоновая задача; затем "
    "неподтверждённые платежи переклассифицируются). Ход — /jobs/{job_id}",
    status_code=status.HTTP_202_ACCEPTED,
)
async def train(session: DbSession, principal: CanTrain) -> JobRead:
    return await service.start_training(session, principal)
