"""``/runs/{run_id}/reviews``: the review queue of a run and the operator's decision on a pair."""

import uuid
from typing import Annotated, Literal

from fastapi import Depends, Query, Request

from oms_kit.app import secure_router
from oms_kit.auth import Principal, require_permission
from oms_kit.db import DbSession
from oms_kit.errors import problem_responses
from oms_kit.pagination import Page, Paging
from verification.review import service
from verification.review.schemas import DecisionIn, DecisionRead, ReviewItem
from verification.rules import Thresholds

router = secure_router(prefix="/runs", tags=["review"], responses=problem_responses(401, 403))
CanRead = Annotated[Principal, Depends(require_permission("verification.run:read"))]
CanWrite = Annotated[Principal, Depends(require_permission("verification.run:write"))]
Reason = Literal[
    "dead",
    "employed",
    "entrepreneur",
    "military",
    "missing",
    "duplicate",
    "personal_data_changed",
    "invalid_document",
]


@router.get(
    "/{run_id}/reviews",
    operation_id="review-list",
    summary="Очередь проверки: пограничные пары — запись регистра рядом с записью источника и доказательства",
    responses=problem_responses(404),
)
async def list_reviews(
    session: DbSession,
    principal: CanRead,
    run_id: uuid.UUID,
    paging: Paging,
    state: Annotated[
        Literal["pending", "decided"], Query(description="pending — ждут решения, decided — решённые")
    ] = "pending",
    reason: Annotated[Reason | None, Query(description="Основание пары")] = None,
    source: Annotated[
        str | None,
        Query(description="Источник: fns, sfr, zags, mvd, military; register — дубли", max_length=20),
    ] = None,
) -> Page[ReviewItem]:
    return await service.list_reviews(
        session, principal, run_id, paging, state=state, reason=reason, source=source
    )


@router.post(
    "/{run_id}/reviews/{pair_id}/decision",
    operation_id="review-decide",
    summary="Решение оператора по паре: подтвердить или отклонить (итог лица пересчитывается)",
    responses=problem_responses(404, 409, 422),
)
async def decide_pair(
    session: DbSession,
    request: Request,
    principal: CanWrite,
    run_id: uuid.UUID,
    pair_id: uuid.UUID,
    body: DecisionIn,
) -> DecisionRead:
    thresholds = getattr(request.app.state, "verification_thresholds", None) or Thresholds()
    return await service.decide_pair(session, principal, run_id, pair_id, body, thresholds)
