"""Contribution tariffs per year (354-FZ): read with ``verification.savings:read``, set with
``verification.run:write`` by the region's payer or TFOMS."""

from typing import Annotated

from fastapi import Depends, Path

from oms_kit.app import secure_router
from oms_kit.auth import Principal, require_permission
from oms_kit.db import DbSession
from oms_kit.errors import problem_responses
from verification.savings import service
from verification.savings.schemas import TariffIn, TariffOut

router = secure_router(prefix="/tariffs", tags=["tariffs"], responses=problem_responses(401, 403))
CanRead = Annotated[Principal, Depends(require_permission("verification.savings:read"))]
CanWrite = Annotated[Principal, Depends(require_permission("verification.run:write"))]
Year = Annotated[int, Path(ge=2012, le=2100, description="Год")]


@router.get("", operation_id="tariffs-list", summary="Тарифы страхового взноса по годам")
async def list_tariffs(session: DbSession, principal: CanRead) -> list[TariffOut]:
    return [TariffOut.model_validate(t, from_attributes=True) for t in await service.list_tariffs(session)]


@router.get(
    "/{year}",
    operation_id="tariffs-get",
    summary="Тариф страхового взноса на год",
    responses=problem_responses(404),
)
async def get_tariff(session: DbSession, principal: CanRead, year: Year) -> TariffOut:
    return TariffOut.model_validate(await service.get_tariff(session, year), from_attributes=True)


@router.put(
    "/{year}",
    operation_id="tariffs-put",
    summary="Задать тариф страхового взноса на год",
    responses=problem_responses(422),
    openapi_extra={"x-upsert": True},  # creates or replaces the year's tariff: no 404
)
async def put_tariff(session: DbSession, principal: CanWrite, year: Year, body: TariffIn) -> TariffOut:
    return TariffOut.model_validate(
        await service.put_tariff(session, principal, year, body), from_attributes=True
    )
