"""Insurance affiliation of a person on a date: by the person's id, or by ENP (the federal
register's operation «страховая принадлежность по ЕНП на дату»)."""

import uuid
from datetime import date
from typing import Annotated

from fastapi import Depends, Path, Query

from oms_kit.app import secure_router
from oms_kit.auth import Principal, require_permission
from oms_kit.db import DbSession
from oms_kit.errors import problem_responses
from registry.insurance import service
from registry.insurance.schemas import InsuranceIn, InsuranceOn
from registry.person.schemas import Enp

router = secure_router(prefix="/persons", tags=["insurance"], responses=problem_responses(401, 403))
by_enp_router = secure_router(prefix="/insurance", tags=["insurance"], responses=problem_responses(401, 403))
CanRead = Annotated[Principal, Depends(require_permission("registry.person:read"))]
CanWrite = Annotated[Principal, Depends(require_permission("registry.person:write"))]
PersonId = Annotated[uuid.UUID, Path(description="Идентификатор персоны")]
On = Annotated[date | None, Query(description="Дата (по умолчанию — сегодня)")]


@by_enp_router.get(
    "",
    operation_id="insurance-by-enp",
    summary="Страховая принадлежность по ЕНП на дату",
    responses=problem_responses(404, 409),
)
async def get_insurance_by_enp(
    session: DbSession,
    principal: CanRead,
    enp: Annotated[Enp, Query(description="ЕНП, 16 цифр")],
    on: On = None,
) -> InsuranceOn:
    return await service.insurance_by_enp(session, principal, enp, on)


@router.get(
    "/{person_id}/insurance",
    operation_id="insurance-get",
    summary="Страховая принадлежность на дату",
    responses=problem_responses(404),
)
async def get_insurance(
    session: DbSession,
    principal: CanRead,
    person_id: PersonId,
    on: On = None,
) -> InsuranceOn:
    return await service.insurance_on(session, principal, person_id, on)


@router.post(
    "/{person_id}/insurance",
    operation_id="insurance-record",
    summary="Записать страховую принадлежность (новый период или исправление)",
    responses=problem_responses(404, 422),
)
async def record_insurance(
    session: DbSession, principal: CanWrite, person_id: PersonId, data: InsuranceIn
) -> InsuranceOn:
    return await service.record_insurance(session, principal, person_id, data)
