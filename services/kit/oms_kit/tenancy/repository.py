"""All SQL of the organization copy, over whichever service's mapped class it is given."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Generic, TypeVar

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.auth import Principal, scope_to_org
from oms_kit.tenancy.model import OrganizationCopyMixin

OrgT = TypeVar("OrgT", bound=OrganizationCopyMixin)


class OrganizationCopyRepository(Generic[OrgT]):
    """``OrganizationCopyRepository(session, Organization)``; reads are scoped to the
    principal's organization unless its role is region-wide."""

    def __init__(self, session: AsyncSession, model: type[OrgT]) -> None:
        self.session = session
        self.model = model

    async def upsert(self, org_id: uuid.UUID, *, name: str, kind: str, code: str | None) -> None:
        stmt = insert(self.model).values(id=org_id, name=name, kind=kind, code=code)
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=[self.model.id],
                set_={
                    "name": stmt.excluded.name,
                    "kind": stmt.excluded.kind,
                    "code": stmt.excluded.code,
                    # ORM onupdate does not apply to ON CONFLICT DO UPDATE.
                    "updated_at": func.now(),
                },
            )
        )

    async def page(self, principal: Principal, *, limit: int, offset: int) -> tuple[Sequence[OrgT], int]:
        base = scope_to_org(select(self.model), self.model.id, principal)
        total = await self.session.scalar(select(func.count()).select_from(base.subquery()))
        rows = await self.session.scalars(base.order_by(self.model.name).limit(limit).offset(offset))
        return rows.all(), int(total or 0)

    async def get(self, principal: Principal, org_id: uuid.UUID) -> OrgT | None:
        stmt = scope_to_org(select(self.model).where(self.model.id == org_id), self.model.id, principal)
        return await self.session.scalar(stmt)

    async def of_kind(self, org_id: uuid.UUID, kind: str) -> OrgT | None:
        """The organization ``org_id`` if it is of ``kind`` (unscoped: for checking references)."""
        return await self.session.scalar(
            select(self.model).where(self.model.id == org_id, self.model.kind == kind)
        )

    async def codes(self, kind: str | None = None) -> list[tuple[uuid.UUID, str | None]]:
        """(id, register code) of every organization, or of those of ``kind`` (unscoped)."""
        stmt = select(self.model.id, self.model.code)
        if kind is not None:
            stmt = stmt.where(self.model.kind == kind)
        return [(org_id, code) for org_id, code in (await self.session.execute(stmt)).all()]
