import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.models import Organization
from oms_kit.auth import Principal, scope_to_org
from oms_kit.errors import Conflict


class OrganizationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, org: Organization) -> Organization:
        self.session.add(org)
        try:
            await self.session.flush()
        except IntegrityError as exc:  # a concurrent registration of the same code won
            raise Conflict("Организация с таким кодом уже зарегистрирована") from exc
        return org

    async def get(self, org_id: uuid.UUID) -> Organization | None:
        """Unscoped: for the gateway's own needs (login, tokens, seed)."""
        return await self.session.get(Organization, org_id)

    async def get_visible(self, principal: Principal, org_id: uuid.UUID) -> Organization | None:
        stmt = scope_to_org(select(Organization).where(Organization.id == org_id), Organization.id, principal)
        return await self.session.scalar(stmt)

    async def find_by_code(self, kind: str, code: str) -> Organization | None:
        return await self.session.scalar(
            select(Organization).where(Organization.kind == kind, Organization.code == code)
        )

    async def page(
        self, principal: Principal, *, kind: str | None, order_by: list[Any], limit: int, offset: int
    ) -> tuple[Sequence[Organization], int]:
        base = scope_to_org(select(Organization), Organization.id, principal)
        if kind is not None:
            base = base.where(Organization.kind == kind)
        total = await self.session.scalar(select(func.count()).select_from(base.subquery()))
        rows = await self.session.scalars(
            base.order_by(*order_by, Organization.id).limit(limit).offset(offset)
        )
        return rows.all(), int(total or 0)
