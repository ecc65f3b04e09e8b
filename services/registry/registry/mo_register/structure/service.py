"""Rules of the MO card and structure: every row belongs to one MO, whose users alone (and the
region) may see it; references (branch, territory, department type, care profiles) are checked
before anything is written; each change publishes ``registry.mo.updated``."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.auth import Principal
from oms_kit.errors import Conflict
from oms_kit.pagination import Page, PageParams
from registry.mo_register.access import require_mo
from registry.mo_register.changes import mo_updated
from registry.mo_register.codes import require_care_profiles
from registry.mo_register.rows import MoRows, changes_of
from registry.mo_register.standards.catalog import standards
from registry.mo_register.structure.repository import StructureRepository
from registry.mo_register.structure.schemas import (
    BranchCreate,
    BranchNode,
    BranchRead,
    BranchUpdate,
    DepartmentCreate,
    DepartmentNode,
    DepartmentRead,
    DepartmentUpdate,
    MoCard,
    MoCounts,
    MoPassportUpdate,
    MoSummary,
    MoTree,
    RoomCreate,
    RoomRead,
    RoomUpdate,
    TerritoryBrief,
)
from registry.models.mo_register import MoArea, MoBranch, MoDepartment, MoPassport, MoRoom, Territory
from registry.models.mo_register_equipment import Equipment
from registry.person.errors import field_error

FOUNDER_KIND = "health_authority"
BRANCHES = MoRows(MoBranch, "Филиал не найден", part="branch")
DEPARTMENTS = MoRows(MoDepartment, "Отделение не найдено", part="department")
ROOMS = MoRows(MoRoom, "Кабинет не найден", part="room")


def _summary(org: Any, territory: Territory | None) -> MoSummary:
    brief = TerritoryBrief.model_validate(territory) if territory is not None else None
    return MoSummary(id=org.id, name=org.name, code=org.code, territory=brief)


async def require_territory(session: AsyncSession, territory_id: uuid.UUID | None, *, field: str) -> None:
    if territory_id is not None and await StructureRepository(session).territory(territory_id) is None:
        raise field_error(field, "Территория не найдена")


async def require_founder(session: AsyncSession, founder_id: uuid.UUID, *, field: str) -> None:
    kind = await StructureRepository(session).organization_kind(founder_id)
    if kind != FOUNDER_KIND:
        raise field_error(
            field, "Учредитель должен быть органом управления здравоохранением из справочника организаций"
        )


def require_department_type(code: str, *, field: str) -> None:
    if standards().department_type(code) is None:
        raise field_error(field, f"Неизвестный вид отделения «{code}» (см. стандарты оснащения)")


async def require_department_of(
    session: AsyncSession, mo_id: uuid.UUID, department_id: uuid.UUID, *, field: str
) -> MoDepartment:
    department = await StructureRepository(session).get(MoDepartment, department_id)
    if department is None or department.mo_id != mo_id:
        raise field_error(field, "Отделение не найдено в этой медицинской организации")
    return department


# --- the MO card --------------------------------------------------------------------------


async def list_mos(
    session: AsyncSession,
    principal: Principal,
    paging: PageParams,
    *,
    territory_id: uuid.UUID | None,
    q: str | None,
) -> Page[MoSummary]:
    rows, total = await StructureRepository(session).mos(principal, paging, territory_id=territory_id, q=q)
    items = [_summary(org, territory) for org, territory in rows]
    return Page[MoSummary](items=items, total=total, limit=paging.limit, offset=paging.offset)


async def card(session: AsyncSession, principal: Principal, mo_id: uuid.UUID) -> MoCard:
    org = await require_mo(session, principal, mo_id)
    repo = StructureRepository(session)
    passport = await repo.passport(mo_id)
    territory = await repo.territory(passport.territory_id if passport else None)
    counts = MoCounts(**await repo.counts(mo_id, date.today()))
    return MoCard(
        **_summary(org, territory).model_dump(),
        address=passport.address if passport else None,
        head_name=passport.head_name if passport else None,
        phone=passport.phone if passport else None,
        founder_id=passport.founder_id if passport else None,
        legal_form=passport.legal_form if passport else None,
        counts=counts,
    )


async def update_passport(
    session: AsyncSession, principal: Principal, mo_id: uuid.UUID, data: MoPassportUpdate
) -> MoCard:
    await require_mo(session, principal, mo_id)
    await require_territory(session, data.territory_id, field="territory_id")
    if data.founder_id is not None:
        await require_founder(session, data.founder_id, field="founder_id")
    repo = StructureRepository(session)
    passport = await repo.passport(mo_id)
    if passport is None:
        passport = await repo.add(MoPassport(mo_id=mo_id, updated_by=principal.subject))
    keep_unless_sent = {"founder_id", "legal_form"} - data.model_fields_set
    for name, value in data.model_dump(exclude=keep_unless_sent).items():
        setattr(passport, name, value)
    passport.updated_by = principal.subject
    await session.flush()
    await mo_updated(session, mo_id, "passport", mo_id)
    return await card(session, principal, mo_id)


async def tree(session: AsyncSession, principal: Principal, mo_id: uuid.UUID) -> MoTree:
    org = await require_mo(session, principal, mo_id)
    repo = StructureRepository(session)
    passport = await repo.passport(mo_id)
    branches, departments, rooms = await repo.whole_tree(mo_id)
    rooms_of: dict[uuid.UUID, list[RoomRead]] = {}
    for room in rooms:
        rooms_of.setdefault(room.department_id, []).append(RoomRead.model_validate(room))
    nodes_of: dict[uuid.UUID | None, list[DepartmentNode]] = {}
    for department in departments:
        node = DepartmentNode(
            **DepartmentRead.model_validate(department).model_dump(), rooms=rooms_of.get(department.id, [])
        )
        nodes_of.setdefault(department.branch_id, []).append(node)
    return MoTree(
        mo=_summary(org, await repo.territory(passport.territory_id if passport else None)),
        departments=nodes_of.get(None, []),
        branches=[
            BranchNode(**BranchRead.model_validate(b).model_dump(), departments=nodes_of.get(b.id, []))
            for b in branches
        ],
    )


# --- branches -----------------------------------------------------------------------------


async def list_branches(
    session: AsyncSession, principal: Principal, mo_id: uuid.UUID, paging: PageParams
) -> Page[BranchRead]:
    await require_mo(session, principal, mo_id)
    rows, total = await StructureRepository(session).branches(mo_id, paging)
    items = [BranchRead.model_validate(r) for r in rows]
    return Page[BranchRead](items=items, total=total, limit=paging.limit, offset=paging.offset)


async def create_branch(
    session: AsyncSession, principal: Principal, mo_id: uuid.UUID, data: BranchCreate
) -> BranchRead:
    await require_mo(session, principal, mo_id)
    await require_territory(session, data.territory_id, field="territory_id")
    branch = await BRANCHES.add(session, MoBranch(mo_id=mo_id, **data.model_dump()))
    return BranchRead.model_validate(branch)


async def update_branch(
    session: AsyncSession, principal: Principal, branch_id: uuid.UUID, data: BranchUpdate
) -> BranchRead:
    branch = await BRANCHES.load(session, principal, branch_id)
    changes = changes_of(data, required=("kind", "name"))
    await require_territory(session, changes.get("territory_id"), field="territory_id")
    await BRANCHES.update(session, branch, changes)
    return BranchRead.model_validate(branch)


async def delete_branch(session: AsyncSession, principal: Principal, branch_id: uuid.UUID) -> None:
    branch = await BRANCHES.load(session, principal, branch_id)
    if await StructureRepository(session).has_any(MoDepartment, MoDepartment.branch_id, branch.id):
        raise Conflict("В филиале есть отделения: сначала перенесите или удалите их")
    await BRANCHES.delete(session, branch)


# --- departments --------------------------------------------------------------------------


async def _check_department(session: AsyncSession, mo_id: uuid.UUID, changes: dict[str, Any]) -> None:
    for required in ("name", "department_type", "care_profiles"):
        if required in changes and changes[required] is None:
            raise field_error(required, "Поле обязательно")
    branch_id = changes.get("branch_id")
    if branch_id is not None:
        branch = await StructureRepository(session).get(MoBranch, branch_id)
        if branch is None or branch.mo_id != mo_id:
            raise field_error("branch_id", "Филиал не найден в этой медицинской организации")
    if changes.get("department_type") is not None:
        require_department_type(changes["department_type"], field="department_type")
    if changes.get("care_profiles"):
        await require_care_profiles(session, changes["care_profiles"], field="care_profiles")


async def list_departments(
    session: AsyncSession,
    principal: Principal,
    mo_id: uuid.UUID,
    paging: PageParams,
    *,
    branch_id: uuid.UUID | None,
    department_type: str | None,
) -> Page[DepartmentRead]:
    await require_mo(session, principal, mo_id)
    rows, total = await StructureRepository(session).departments(
        mo_id, paging, branch_id=branch_id, department_type=department_type
    )
    items = [DepartmentRead.model_validate(r) for r in rows]
    return Page[DepartmentRead](items=items, total=total, limit=paging.limit, offset=paging.offset)


async def create_department(
    session: AsyncSession, principal: Principal, mo_id: uuid.UUID, data: DepartmentCreate
) -> DepartmentRead:
    await require_mo(session, principal, mo_id)
    values = data.model_dump()
    values["care_profiles"] = list(dict.fromkeys(values["care_profiles"]))
    await _check_department(session, mo_id, values)
    department = await DEPARTMENTS.add(session, MoDepartment(mo_id=mo_id, **values))
    return DepartmentRead.model_validate(department)


async def update_department(
    session: AsyncSession, principal: Principal, department_id: uuid.UUID, data: DepartmentUpdate
) -> DepartmentRead:
    department = await DEPARTMENTS.load(session, principal, department_id)
    changes = changes_of(data)
    if changes.get("care_profiles") is not None:
        changes["care_profiles"] = list(dict.fromkeys(changes["care_profiles"]))
    await _check_department(session, department.mo_id, changes)
    await DEPARTMENTS.update(session, department, changes)
    return DepartmentRead.model_validate(department)


async def delete_department(session: AsyncSession, principal: Principal, department_id: uuid.UUID) -> None:
    department = await DEPARTMENTS.load(session, principal, department_id)
    repo = StructureRepository(session)
    for model, column, what in (
        (MoRoom, MoRoom.department_id, "кабинеты"),
        (Equipment, Equipment.department_id, "оборудование"),
        (MoArea, MoArea.department_id, "участки"),
    ):
        if await repo.has_any(model, column, department.id):
            raise Conflict(f"У отделения есть {what}: сначала перенесите или удалите их")
    await DEPARTMENTS.delete(session, department)


# --- rooms --------------------------------------------------------------------------------


async def list_rooms(
    session: AsyncSession, principal: Principal, department_id: uuid.UUID, paging: PageParams
) -> Page[RoomRead]:
    await DEPARTMENTS.load(session, principal, department_id)
    rows, total = await StructureRepository(session).rooms(department_id, paging)
    items = [RoomRead.model_validate(r) for r in rows]
    return Page[RoomRead](items=items, total=total, limit=paging.limit, offset=paging.offset)


async def create_room(
    session: AsyncSession, principal: Principal, department_id: uuid.UUID, data: RoomCreate
) -> RoomRead:
    department = await DEPARTMENTS.load(session, principal, department_id)
    if await StructureRepository(session).room_number_taken(department.id, data.number):
        raise field_error("number", "Кабинет с таким номером в отделении уже есть")
    room = await ROOMS.add(
        session, MoRoom(mo_id=department.mo_id, department_id=department.id, **data.model_dump())
    )
    return RoomRead.model_validate(room)


async def update_room(
    session: AsyncSession, principal: Principal, room_id: uuid.UUID, data: RoomUpdate
) -> RoomRead:
    room = await ROOMS.load(session, principal, room_id)
    changes = changes_of(data, required=("number", "name"))
    if "number" in changes and await StructureRepository(session).room_number_taken(
        room.department_id, changes["number"], other_than=room.id
    ):
        raise field_error("number", "Кабинет с таким номером в отделении уже есть")
    await ROOMS.update(session, room, changes)
    return RoomRead.model_validate(room)


async def delete_room(session: AsyncSession, principal: Principal, room_id: uuid.UUID) -> None:
    room = await ROOMS.load(session, principal, room_id)
    if await StructureRepository(session).has_any(Equipment, Equipment.room_id, room.id):
        raise Conflict("В кабинете числится оборудование: сначала перенесите его")
    await ROOMS.delete(session, room)
