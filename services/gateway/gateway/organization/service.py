"""Registering organizations. Registration writes ``gateway.organization.registered`` to the
outbox in the same transaction, so the services' copies follow exactly what was committed."""

import uuid
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.events.published import OrganizationRegistered
from gateway.models import Organization
from gateway.organization.repository import OrganizationRepository
from gateway.organization.schemas import OrganizationCreate, OrganizationRead
from oms_kit.auth import Principal
from oms_kit.errors import Conflict, Forbidden, NotFound
from oms_kit.events import add_event
from oms_kit.pagination import Page, PageParams

SOURCE = "gateway"


async def register_organization(
    session: AsyncSession,
    principal: Principal,
    data: OrganizationCreate,
    *,
    org_id: uuid.UUID | None = None,
) -> OrganizationRead:
    """``org_id`` is for callers that need a stable id (the demo seed); the API never sets it."""
    if not principal.region_wide:
        raise Forbidden("Регистрировать организации могут только пользователи регионального уровня")
    repo = OrganizationRepository(session)
    if data.code is not None and await repo.find_by_code(data.kind.value, data.code) is not None:
        raise Conflict(f"Организация вида «{data.kind.value}» с кодом «{data.code}» уже зарегистрирована")
    org = await repo.add(
        Organization(
            id=org_id or uuid.uuid4(),
            name=data.name,
            kind=data.kind.value,
            code=data.code,
            inn=data.inn,
            ogrn=data.ogrn,
        )
    )
    await add_event(
        session,
        OrganizationRegistered(id=org.id, name=org.name, kind=org.kind, code=org.code),
        source=SOURCE,
        subject=str(org.id),
    )
    await session.refresh(org)  # created_at comes from the database
    return OrganizationRead.model_validate(org)


async def list_organizations(
    session: AsyncSession, principal: Principal, paging: PageParams, *, kind: str | None, order_by: list[Any]
) -> Page[OrganizationRead]:
    rows, total = await OrganizationRepository(session).page(
        principal, kind=kind, order_by=order_by, limit=paging.limit, offset=paging.offset
    )
    return Page[OrganizationRead](
        items=[OrganizationRead.model_validate(r) for r in rows],
        total=total,
        limit=paging.limit,
        offset=paging.offset,
    )


async def get_organization(
    session: AsyncSession, principal: Principal, org_id: uuid.UUID
) -> OrganizationRead:
    org = await OrganizationRepository(session).get_visible(principal, org_id)
    if org is None:  # also another organization's id: existence is not leaked
        raise NotFound("Организация не найдена")
    return OrganizationRead.model_validate(org)
