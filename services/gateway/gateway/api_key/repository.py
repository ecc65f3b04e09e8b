import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.models import ApiKey, Organization
from oms_kit.auth import Principal, scope_to_org


class ApiKeyRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, key: ApiKey) -> ApiKey:
        self.session.add(key)
        await self.session.flush()
        await self.session.refresh(key)
        return key

    async def get_visible(self, principal: Principal, key_id: uuid.UUID) -> ApiKey | None:
        stmt = scope_to_org(select(ApiKey).where(ApiKey.id == key_id), ApiKey.org_id, principal)
        return await self.session.scalar(stmt.with_for_update())

    async def page(
        self,
        principal: Principal,
        *,
        org_id: uuid.UUID | None,
        include_revoked: bool,
        limit: int,
        offset: int,
    ) -> tuple[Sequence[ApiKey], int]:
        base = scope_to_org(select(ApiKey), ApiKey.org_id, principal)
        if org_id is not None:
            base = base.where(ApiKey.org_id == org_id)
        if not include_revoked:
            base = base.where(ApiKey.revoked_at.is_(None))
        total = await self.session.scalar(select(func.count()).select_from(base.subquery()))
        rows = await self.session.scalars(
            base.order_by(ApiKey.created_at.desc(), ApiKey.id).limit(limit).offset(offset)
        )
        return rows.all(), int(total or 0)

    async def active_by_hash(self, key_hash: str) -> tuple[ApiKey, Organization] | None:
        stmt = (
            select(ApiKey, Organization)
            .join(Organization, Organization.id == ApiKey.org_id)
            .where(ApiKey.key_hash == key_hash, ApiKey.revoked_at.is_(None))
        )
        row = (await self.session.execute(stmt)).first()
        return (row[0], row[1]) if row else None

    async def record_usage(self, last_used: Mapping[uuid.UUID, datetime]) -> None:
        for key_id, at in last_used.items():
            await self.session.execute(
                update(ApiKey)
                .where(ApiKey.id == key_id)
                .values(last_used_at=func.greatest(func.coalesce(ApiKey.last_used_at, at), at))
            )
