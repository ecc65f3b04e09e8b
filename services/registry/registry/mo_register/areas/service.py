"""Rules of service areas: the code is unique in the MO, the department and territory are the
MO's and the region's; the attached population is counted from the person register's
attachments on a date (the ``area_code`` of each attachment)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.auth import Principal
from oms_kit.pagination import Page, PageParams
from registry.mo_register.access import require_mo
from registry.mo_register.areas.population import area_population
from registry.mo_register.areas.repository import AreaRepository
from registry.mo_register.areas.schemas import (
    AreaCreate,
    AreaPopulation,
    AreaRead,
    AreaUpdate,
    MoPopulation,
)
from registry.mo_register.rows import MoRows, changes_of
from registry.mo_register.structure.service import require_department_of, require_territory
from registry.models.mo_register import MoArea
from registry.person.errors import field_error

AREAS = MoRows(MoArea, "Участок не найден", part="area")


async def list_areas(
    session: AsyncSession,
    principal: Principal,
    mo_id: uuid.UUID,
    paging: PageParams,
    *,
    kind: str | None,
    department_id: uuid.UUID | None,
) -> Page[AreaRead]:
    await require_mo(session, principal, mo_id)
    rows, total = await AreaRepository(session).page(mo_id, paging, kind=kind, department_id=department_id)
    items = [AreaRead.model_validate(r) for r in rows]
    return Page[AreaRead](items=items, total=total, limit=paging.limit, offset=paging.offset)


async def get_area(session: AsyncSession, principal: Principal, area_id: uuid.UUID) -> AreaRead:
    return AreaRead.model_validate(await AREAS.load(session, principal, area_id))


async def create_area(
    session: AsyncSession, principal: Principal, mo_id: uuid.UUID, data: AreaCreate
) -> AreaRead:
    await require_mo(session, principal, mo_id)
    repo = AreaRepository(session)
    if await repo.by_code(mo_id, data.code) is not None:
        raise field_error("code", "Участок с таким кодом в МО уже есть")
    if data.department_id is not None:
        await require_department_of(session, mo_id, data.department_id, field="department_id")
    await require_territory(session, data.territory_id, field="territory_id")
    row = await AREAS.add(session, MoArea(mo_id=mo_id, **data.model_dump()))
    return AreaRead.model_validate(row)


async def update_area(
    session: AsyncSession, principal: Principal, area_id: uuid.UUID, data: AreaUpdate
) -> AreaRead:
    row = await AREAS.load(session, principal, area_id)
    changes = changes_of(data, required=("kind",))
    if changes.get("department_id") is not None:
        await require_department_of(session, row.mo_id, changes["department_id"], field="department_id")
    await require_territory(session, changes.get("territory_id"), field="territory_id")
    await AREAS.update(session, row, changes)
    return AreaRead.model_validate(row)


async def delete_area(session: AsyncSession, principal: Principal, area_id: uuid.UUID) -> None:
    await AREAS.delete(session, await AREAS.load(session, principal, area_id))


async def area_attached(
    session: AsyncSession, principal: Principal, area_id: uuid.UUID, on: date
) -> AreaPopulation:
    """Counts only, no person's data: nothing for the personal-data audit."""
    row = await AREAS.load(session, principal, area_id)
    counts = await AreaRepository(session).attached_by_age_sex(row.mo_id, on, area_code=row.code)
    return area_population(row.code, row.id, on, [(c[1], c[2], c[3]) for c in counts])


async def mo_attached(
    session: AsyncSession, principal: Principal, mo_id: uuid.UUID, on: date
) -> MoPopulation:
    """Every area of the MO (empty ones too) and the attached persons whose area is not an
    area of the MO's register (or none was given)."""
    await require_mo(session, principal, mo_id)
    repo = AreaRepository(session)
    areas = {a.code: a.id for a in await repo.all_of(mo_id)}
    by_code: dict[str | None, list[tuple[int, str, int]]] = {code: [] for code in areas}
    for code, age_from, sex, count in await repo.attached_by_age_sex(mo_id, on):
        by_code.setdefault(code, []).append((age_from, sex, count))
    populations = [
        area_population(code, areas.get(code) if code is not None else None, on, counts)
        for code, counts in sorted(by_code.items(), key=lambda item: (item[0] is None, item[0] or ""))
    ]
    return MoPopulation(mo_id=mo_id, on=on, total=sum(p.total for p in populations), areas=populations)
