import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.models import UserAccount
from oms_kit.auth import Principal, scope_to_org
from oms_kit.errors import Conflict


class UserRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(self, user: UserAccount) -> UserAccount:
        self.session.add(user)
        try:
            await self.session.flush()
        except IntegrityError as exc:
            raise Conflict(f"Логин «{user.login}» уже занят") from exc
        return user

    async def by_login(self, login: str) -> UserAccount | None:
        return await self.session.scalar(select(UserAccount).where(UserAccount.login == login.lower()))

    async def get(self, user_id: uuid.UUID, *, for_update: bool = False) -> UserAccount | None:
        stmt = select(UserAccount).where(UserAccount.id == user_id)
        if for_update:
            stmt = stmt.with_for_update()
        return await self.session.scalar(stmt)

    async def get_visible(
        self, principal: Principal, user_id: uuid.UUID, *, for_update: bool = False
    ) -> UserAccount | None:
        stmt = scope_to_org(
            select(UserAccount).where(UserAccount.id == user_id), UserAccount.org_id, principal
        )
        if for_update:
            stmt = stmt.with_for_update()
        return await self.session.scalar(stmt)

    async def page(
        self,
        principal: Principal,
        *,
        org_id: uuid.UUID | None,
        order_by: list[Any],
        limit: int,
        offset: int,
    ) -> tuple[Sequence[UserAccount], int]:
        base = scope_to_org(select(UserAccount), UserAccount.org_id, principal)
        if org_id is not None:
            base = base.where(UserAccount.org_id == org_id)
        total = await self.session.scalar(select(func.count()).select_from(base.subquery()))
        rows = await self.session.scalars(
            base.order_by(*order_by, UserAccount.id).limit(limit).offset(offset)
        )
        return rows.all(), int(total or 0)
