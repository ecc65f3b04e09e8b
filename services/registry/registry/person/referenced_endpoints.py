"""``GET /persons/{person_id}/organizations``: the organizations named in a person's records."""

import uuid
from typing import Annotated

from fastapi import Depends, Path

from oms_kit.app import secure_router
from oms_kit.auth import Principal, require_permission
from oms_kit.db import DbSession
from oms_kit.errors import problem_responses
from oms_kit.tenancy import OrganizationRead
from registry.person.referenced import organizations_of

router = secure_router(prefix="/persons", tags=["person"], responses=problem_responses(401, 403))
CanRead = Annotated[Principal, Depends(require_permission("registry.person:read"))]


@router.get(
    "/{person_id}/organizations",
    operation_id="person-organizations",
    summary="Организации из сведений о персоне: страховщики и МО её полисов и прикреплений",
    responses=problem_responses(404),
)
async def person_organizations(
    session: DbSession,
    principal: CanRead,
    person_id: Annotated[uuid.UUID, Path(description="Идентификатор персоны")],
) -> list[OrganizationRead]:
    return await organizations_of(session, principal, person_id)
