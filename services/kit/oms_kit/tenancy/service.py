"""Reading the organization directory: the rules (scope, not-found), no SQL."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.auth import Principal
from oms_kit.errors import NotFound
from oms_kit.pagination import Page, PageParams
from oms_kit.tenancy.model import OrganizationCopyMixin
from oms_kit.tenancy.repository import OrganizationCopyRepository
from oms_kit.tenancy.schemas import OrganizationRead


async def list_organizations(
    session: AsyncSession, model: type[OrganizationCopyMixin], principal: Principal, paging: PageParams
) -> Page[OrganizationRead]:
    rows, total = await OrganizationCopyRepository(session, model).page(
        principal, limit=paging.limit, offset=paging.offset
    )
    return Page[OrganizationRead](
        items=[OrganizationRead.model_validate(r) for r in rows],
        total=total,
        limit=paging.limit,
        offset=paging.offset,
    )


async def get_organization(
    session: AsyncSession, model: type[OrganizationCopyMixin], principal: Principal, org_id: uuid.UUID
) -> OrganizationRead:
    org = await OrganizationCopyRepository(session, model).get(principal, org_id)
    if org is None:  # also for another organization's id: existence is not leaked
        raise NotFound("Организация не найдена")
    return OrganizationRead.model_validate(org)
