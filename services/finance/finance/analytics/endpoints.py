"""``/analytics``: the dashboards (``finance.budget:read``). ``mo_id`` narrows to one MO the
caller sees; FOMS (consolidated only) gets 403 for it and for the comparison between MOs."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import Depends, Query

from finance.analytics import service
from finance.analytics.schemas import Comparison, Overview, SavingsRead
from oms_kit.app import secure_router
from oms_kit.auth import Principal, require_permission
from oms_kit.db import DbSession
from oms_kit.errors import problem_responses

router = secure_router(prefix="/analytics", tags=["analytics"], responses=problem_responses(401, 403, 422))
CanRead = Annotated[Principal, Depends(require_permission("finance.budget:read"))]
MonthFrom = Annotated[
    str | None, Query(description="Первый месяц, ГГГГ-ММ (по умолчанию 12 месяцев до последнего с данными)")
]
MonthTo = Annotated[
    str | None, Query(description="Последний месяц, ГГГГ-ММ (по умолчанию последний с данными)")
]


@router.get(
    "/overview",
    operation_id="analytics-overview",
    summary="Панель: структура доходов и расходов по КВФО и группам КОСГУ, динамика, план и факт, "
    "доли оплаты труда и медикаментов в расходах ОМС, кредиторская задолженность, лекарственное обеспечение",
    responses=problem_responses(404),
)
async def get_overview(
    session: DbSession,
    principal: CanRead,
    mo_id: Annotated[uuid.UUID | None, Query(description="МО; пусто — сводно по доступным МО")] = None,
    date_from: MonthFrom = None,
    date_to: MonthTo = None,
) -> Overview:
    return await service.overview(session, principal, mo_id, date_from, date_to)


@router.get(
    "/comparison",
    operation_id="analytics-comparison",
    summary="Сравнение МО: расходы на койку и на прикреплённого, доли оплаты труда и медикаментов, "
    "кредиторская задолженность (ФОМС — 403)",
)
async def get_comparison(
    session: DbSession, principal: CanRead, date_from: MonthFrom = None, date_to: MonthTo = None
) -> Comparison:
    return await service.comparison(session, principal, date_from, date_to)


@router.get(
    "/savings",
    operation_id="analytics-savings",
    summary="Проверка регистра неработающего населения: экономия по проверкам и прогноз ассигнований",
)
async def get_savings(session: DbSession, principal: CanRead) -> SavingsRead:
    return await service.savings(session)
