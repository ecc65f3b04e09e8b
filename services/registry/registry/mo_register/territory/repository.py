"""SQL of territories and their demographics."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import delete, insert, or_, select

from oms_kit.pagination import PageParams
from registry.mo_register.queries import page_of
from registry.mo_register.repository import RowRepository
from registry.models.mo_register import Territory, TerritoryPopulation


class TerritoryRepository(RowRepository):
    async def by_oktmo(self, oktmo: str) -> Territory | None:
        return await self.session.scalar(select(Territory).where(Territory.oktmo == oktmo))

    async def page(self, paging: PageParams, *, q: str | None) -> tuple[Sequence[Territory], int]:
        stmt = select(Territory)
        if q:
            stmt = stmt.where(or_(Territory.name.ilike(f"%{q}%"), Territory.oktmo.startswith(q)))
        return await page_of(self.session, stmt, paging, Territory.name, Territory.id)

    async def years(self, territory_id: uuid.UUID) -> list[int]:
        rows = await self.session.scalars(
            select(TerritoryPopulation.year)
            .where(TerritoryPopulation.territory_id == territory_id)
            .distinct()
            .order_by(TerritoryPopulation.year)
        )
        return list(rows.all())

    async def population(self, territory_id: uuid.UUID, year: int) -> Sequence[TerritoryPopulation]:
        stmt = (
            select(TerritoryPopulation)
            .where(TerritoryPopulation.territory_id == territory_id, TerritoryPopulation.year == year)
            .order_by(TerritoryPopulation.sex.desc(), TerritoryPopulation.age_from)
        )
        return (await self.session.scalars(stmt)).all()

    async def replace_population(
        self, territory_id: uuid.UUID, year: int, rows: list[dict[str, Any]]
    ) -> None:
        await self.session.execute(
            delete(TerritoryPopulation).where(
                TerritoryPopulation.territory_id == territory_id, TerritoryPopulation.year == year
            )
        )
        await self.session.execute(
            insert(TerritoryPopulation), [{"territory_id": territory_id, "year": year, **r} for r in rows]
        )
