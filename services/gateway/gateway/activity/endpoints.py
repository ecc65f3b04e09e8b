"""``/api/admin/activity``: how the platform is used, in aggregate (no person is named)."""

import datetime as dt
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from fastapi import Depends, Query
from pydantic import AfterValidator

from gateway.activity import service
from gateway.activity.schemas import SignInActivity
from gateway.runtime import Session
from oms_kit.app import secure_router
from oms_kit.auth import Principal, require_permission
from oms_kit.errors import problem_responses

router = secure_router(prefix="/api/admin/activity", tags=["activity"], responses=problem_responses(401, 403))

# Who may see the accounts may see how they sign in; the same organization scope applies.
CanRead = Annotated[Principal, Depends(require_permission("gateway.user:read"))]


def _known_zone(name: str) -> str:
    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError("неизвестный часовой пояс") from exc
    return name


Zone = Annotated[
    str,
    Query(min_length=1, max_length=64, description="Часовой пояс IANA, например Europe/Moscow"),
    AfterValidator(_known_zone),
]


@router.get(
    "/sign-ins",
    operation_id="activity-sign_ins",
    summary="Входы в систему: по дням, по дням недели и часам, по ролям",
    responses=problem_responses(422),
)
async def sign_ins(
    session: Session,
    principal: CanRead,
    days: Annotated[int, Query(ge=1, le=366, description="Сколько последних дней, включая сегодня")] = 30,
    tz: Zone = "Europe/Moscow",
) -> SignInActivity:
    return await service.sign_in_activity(
        session, principal, days=days, tz=ZoneInfo(tz), now=dt.datetime.now(dt.UTC)
    )
