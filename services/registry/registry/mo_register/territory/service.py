"""Rules of the region structure: territories are kept by the region (region-wide roles with the
write permission), ОКТМО codes are unique, and a year's demographics are loaded whole — the
age bands of one sex never overlap."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.auth import Principal
from oms_kit.pagination import Page, PageParams
from registry.mo_register.access import require_region_wide
from registry.mo_register.rows import Rows, changes_of
from registry.mo_register.structure.repository import StructureRepository
from registry.mo_register.structure.schemas import MoSummary, TerritoryBrief
from registry.mo_register.territory.repository import TerritoryRepository
from registry.mo_register.territory.schemas import (
    PopulationLoad,
    PopulationRow,
    TerritoryCreate,
    TerritoryPopulationRead,
    TerritoryRead,
    TerritoryUpdate,
)
from registry.models.mo_register import Territory
from registry.person.errors import field_error

TERRITORIES = Rows(Territory, "Территория не найдена")


async def list_territories(
    session: AsyncSession, paging: PageParams, *, q: str | None
) -> Page[TerritoryRead]:
    rows, total = await TerritoryRepository(session).page(paging, q=q)
    items = [TerritoryRead.model_validate(r) for r in rows]
    return Page[TerritoryRead](items=items, total=total, limit=paging.limit, offset=paging.offset)


async def get_territory(session: AsyncSession, territory_id: uuid.UUID) -> TerritoryRead:
    return TerritoryRead.model_validate(await TERRITORIES.find(session, territory_id))


async def create_territory(
    session: AsyncSession, principal: Principal, data: TerritoryCreate
) -> TerritoryRead:
    require_region_wide(principal)
    if await TerritoryRepository(session).by_oktmo(data.oktmo) is not None:
        raise field_error("oktmo", "Территория с таким кодом ОКТМО уже есть")
    row = await TERRITORIES.add(session, Territory(**data.model_dump()))
    return TerritoryRead.model_validate(row)


async def update_territory(
    session: AsyncSession, principal: Principal, territory_id: uuid.UUID, data: TerritoryUpdate
) -> TerritoryRead:
    require_region_wide(principal)
    row = await TERRITORIES.find(session, territory_id)
    changes = changes_of(data, required=("oktmo", "name", "kind"))
    if "oktmo" in changes:
        other = await TerritoryRepository(session).by_oktmo(changes["oktmo"])
        if other is not None and other.id != row.id:
            raise field_error("oktmo", "Территория с таким кодом ОКТМО уже есть")
    await TERRITORIES.update(session, row, changes)
    return TerritoryRead.model_validate(row)


def _check_bands(rows: list[PopulationRow]) -> None:
    for sex in ("male", "female"):
        bands = sorted((r.age_from, r.age_to, i) for i, r in enumerate(rows) if r.sex == sex)
        previous_to: int | None = -1
        for age_from, age_to, index in bands:
            if age_to is not None and age_to < age_from:
                raise field_error(f"rows.{index}.age_to", "Верхняя граница возраста меньше нижней")
            if previous_to is None or age_from <= previous_to:
                raise field_error(
                    f"rows.{index}.age_from", "Возрастная группа пересекается с другой группой того же пола"
                )
            previous_to = age_to


async def load_population(
    session: AsyncSession, principal: Principal, territory_id: uuid.UUID, year: int, data: PopulationLoad
) -> TerritoryPopulationRead:
    require_region_wide(principal)
    await TERRITORIES.find(session, territory_id)
    if not 1990 <= year <= date.today().year + 1:
        raise field_error("year", "Год вне допустимого диапазона", location="path")
    _check_bands(data.rows)
    await TerritoryRepository(session).replace_population(
        territory_id, year, [r.model_dump(mode="json") for r in data.rows]
    )
    return await population(session, territory_id, year)


async def population(
    session: AsyncSession, territory_id: uuid.UUID, year: int | None
) -> TerritoryPopulationRead:
    """The figures of ``year``, or of the latest year loaded."""
    await TERRITORIES.find(session, territory_id)
    repo = TerritoryRepository(session)
    years = await repo.years(territory_id)
    year = year if year is not None else (years[-1] if years else None)
    rows = (
        [PopulationRow.model_validate(r) for r in await repo.population(territory_id, year)] if year else []
    )
    male = sum(r.population for r in rows if r.sex == "male")
    female = sum(r.population for r in rows if r.sex == "female")
    return TerritoryPopulationRead(
        territory_id=territory_id,
        year=year,
        years=years,
        male=male,
        female=female,
        total=male + female,
        rows=rows,
    )


async def mos_in(
    session: AsyncSession, principal: Principal, territory_id: uuid.UUID, paging: PageParams
) -> Page[MoSummary]:
    territory = await TERRITORIES.find(session, territory_id)
    rows, total = await StructureRepository(session).mos(principal, paging, territory_id=territory.id, q=None)
    brief = TerritoryBrief.model_validate(territory)
    items = [MoSummary(id=org.id, name=org.name, code=org.code, territory=brief) for org, _ in rows]
    return Page[MoSummary](items=items, total=total, limit=paging.limit, offset=paging.offset)
