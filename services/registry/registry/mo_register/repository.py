"""SQL every part of the MO register shares: a row by its id, added, deleted."""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.auth import Principal, scope_to_org

M = TypeVar("M")


class RowRepository:
    """The base of the register's repositories."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def get(
        self, model: type[M], row_id: uuid.UUID, *, scope: Principal | None = None, lock: bool = False
    ) -> M | None:
        """``scope``: only a row of the principal's MO (any, for a region-wide role);
        ``lock``: FOR UPDATE, so two changes of one row are serialised."""
        if scope is None and not lock:
            return await self.session.get(model, row_id)
        table: Any = model
        stmt = select(model).where(table.id == row_id)
        if scope is not None:
            stmt = scope_to_org(stmt, table.mo_id, scope)
        if lock:
            stmt = stmt.with_for_update()
        return await self.session.scalar(stmt)

    async def add(self, row: M) -> M:
        self.session.add(row)
        await self.session.flush()
        return row

    async def delete(self, row: object) -> None:
        await self.session.delete(row)
        await self.session.flush()
