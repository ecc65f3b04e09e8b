import uuid
from collections.abc import Sequence

from sqlalchemy import func, select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.auth import Principal, scope_to_org
from verification.models import Organization


class OrganizationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def upsert(self, org_id: uuid.UUID, *, name: str, kind: str, code: str | None) -> None:
        stmt = insert(Organization).values(id=org_id, name=name, kind=kind, code=code)
        await self.session.execute(
            stmt.on_conflict_do_update(
                index_elements=[Organization.id],
                set_={"name": stmt.excluded.name, "kind": stmt.excluded.kind, "code": stmt.excluded.code},
            )
        )

    async def page(
        self, principal: Principal, *, limit: int, offset: int
    ) -> tuple[Sequence[Organization], int]:
        base = scope_to_org(select(Organization), Organization.id, principal)
        total = await self.session.scalar(select(func.count()).select_from(base.subquery()))
        rows = await self.session.scalars(base.order_by(Organization.name).limit(limit).offset(offset))
        return rows.all(), int(total or 0)

    async def get(self, principal: Principal, org_id: uuid.UUID) -> Organization | None:
        stmt = scope_to_org(select(Organization).where(Organization.id == org_id), Organization.id, principal)
        return await self.session.scalar(stmt)
