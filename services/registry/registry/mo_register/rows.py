"""The shape every row of the MO register shares, from territories to equipment: found by its
own id (404 when there is none), changed by a PATCH of the fields sent (a required field may
not be cleared), deleted. A row of an MO is also a 404 for another MO's user — the same answer
as for no row at all, so its existence is not leaked — and each change of it publishes
``registry.mo.updated``."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from typing import Any, Generic, Protocol, TypeVar

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.auth import Principal
from oms_kit.errors import NotFound
from registry.mo_register.changes import mo_updated
from registry.mo_register.repository import RowRepository
from registry.person.errors import field_error


class MoRow(Protocol):
    id: Any
    mo_id: uuid.UUID


R = TypeVar("R")
MoR = TypeVar("MoR", bound=MoRow)


def changes_of(data: BaseModel, *, required: Iterable[str] = ()) -> dict[str, Any]:
    """The fields a PATCH sent; a ``required`` one sent as null is a 422 at that field."""
    changes = data.model_dump(exclude_unset=True)
    for name in required:
        if name in changes and changes[name] is None:
            raise field_error(name, "Поле обязательно")
    return changes


class Rows(Generic[R]):
    """Rows of the region (territories): whoever may read the register sees them."""

    def __init__(self, model: type[R], not_found: str) -> None:
        self.model = model
        self.not_found = not_found  # «Лицензия не найдена»

    async def find(
        self,
        session: AsyncSession,
        row_id: uuid.UUID,
        *,
        scope: Principal | None = None,
        lock: bool = False,
    ) -> R:
        row = await RowRepository(session).get(self.model, row_id, scope=scope, lock=lock)
        if row is None:
            raise NotFound(self.not_found)
        return row

    async def add(self, session: AsyncSession, row: R) -> R:
        return await RowRepository(session).add(row)

    async def update(self, session: AsyncSession, row: R, changes: Mapping[str, Any]) -> None:
        """Write ``changes`` (checked already) to the row."""
        for name, value in changes.items():
            setattr(row, name, value)
        await session.flush()

    async def delete(self, session: AsyncSession, row: R) -> None:
        await RowRepository(session).delete(row)


class MoRows(Rows[MoR]):
    """Rows of one MO; ``part`` is what ``registry.mo.updated`` says changed (license, area, …)."""

    def __init__(self, model: type[MoR], not_found: str, *, part: str) -> None:
        super().__init__(model, not_found)
        self.part = part

    async def load(
        self, session: AsyncSession, principal: Principal, row_id: uuid.UUID, *, lock: bool = False
    ) -> MoR:
        """The row if the caller may see it."""
        return await self.find(session, row_id, scope=principal, lock=lock)

    async def changed(self, session: AsyncSession, row: MoR) -> None:
        """Publish a change of the row (also one made without ``update``)."""
        await mo_updated(session, row.mo_id, self.part, row.id)

    async def add(self, session: AsyncSession, row: MoR) -> MoR:
        await super().add(session, row)
        await self.changed(session, row)
        return row

    async def update(self, session: AsyncSession, row: MoR, changes: Mapping[str, Any]) -> None:
        await super().update(session, row, changes)
        await self.changed(session, row)

    async def delete(self, session: AsyncSession, row: MoR) -> None:
        await super().delete(session, row)
        await self.changed(session, row)
