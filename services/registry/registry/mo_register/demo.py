"""Demo data of the MO register for the synthetic region «Приозёрская область»: 10 territories
with demographics, and for every MO of the organization directory its passport, structure,
license, service areas and equipment (with states, use and an inventory).

Deterministic (ids are uuid5 of the MO and the row's place, random choices come from a
generator seeded with ``rng_seed`` and the MO) and idempotent: a territory present by its ОКТМО
and an MO that already has a passport are left as they are. Runs in the caller's transaction
and never commits. The MOs themselves are the gateway's to create: this uses those present."""

from __future__ import annotations

import calendar
import random
import uuid
from datetime import date
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from registry.mo_register.access import MO_KIND
from registry.mo_register.changes import SNAPSHOT_PART, mo_updated
from registry.mo_register.demo_catalog import (
    AGE_SHARES,
    BRANCH_PLACES,
    DEPARTMENT_NAMES,
    MODELS,
    PROFILES,
    TERRITORIES,
    TERRITORY_STEMS,
)
from registry.mo_register.standards.catalog import standards
from registry.models import Organization
from registry.models.mo_register import (
    MoArea,
    MoBranch,
    MoDepartment,
    MoLicense,
    MoPassport,
    MoRoom,
    Territory,
    TerritoryPopulation,
)
from registry.models.mo_register_equipment import (
    Equipment,
    EquipmentInventory,
    EquipmentState,
    EquipmentUsage,
)

DEMO_SEED = 20261123
NAMESPACE = uuid.UUID("5f0c6a8e-9a51-4f3c-8f43-6d2a1c9e7b10")
POPULATION_YEARS = (2024, 2025)
USAGE_YEAR = 2025  # a fixed year, so the data do not depend on the day it is seeded
INVENTORY_DAY = date(2025, 12, 19)
DEMO_USER = "demo"
FOUNDER_KIND = "health_authority"
FOUNDER_CODE = "99-MZ"  # the gateway demo's Ministry of Health of the region


def _id(*parts: object) -> uuid.UUID:
    return uuid.uuid5(NAMESPACE, ":".join(str(p) for p in parts))


def legal_form_of(name: str) -> str | None:
    """The legal form a demo MO's name says: ГБУЗ — budget, ГАУЗ — autonomous, ГКУЗ — state,
    ООО/АО — private."""
    prefix = name.split(" ", 1)[0].upper()
    if prefix.startswith("ГБУ"):
        return "budget"
    if prefix.startswith("ГАУ"):
        return "autonomous"
    if prefix.startswith("ГКУ"):
        return "state"
    if prefix in ("ООО", "АО", "ПАО", "ЗАО"):
        return "private"
    return None


async def _founder(session: AsyncSession) -> uuid.UUID | None:
    """The region's health authority (the gateway demo's ``99-MZ``), the founder of its state MOs."""
    return await session.scalar(
        select(Organization.id)
        .where(Organization.kind == FOUNDER_KIND)
        .order_by(Organization.code != FOUNDER_CODE, Organization.code)
        .limit(1)
    )


def _profile(name: str) -> str:
    lowered = name.lower()
    if "поликлиник" in lowered:
        return "polyclinic"
    if "областная" in lowered or "клиническая" in lowered:
        return "regional_hospital"
    return "district_hospital"


async def _territories(session: AsyncSession, rng_seed: int) -> tuple[dict[str, uuid.UUID], int]:
    present = (await session.execute(select(Territory.oktmo, Territory.id))).all()
    existing = {oktmo: territory_id for oktmo, territory_id in present}
    created = 0
    for oktmo, name, kind, center, population in TERRITORIES:
        if oktmo in existing:
            continue
        territory_id = _id("territory", oktmo)
        session.add(
            Territory(id=territory_id, oktmo=oktmo, name=name, kind=kind, center=center, synthetic=True)
        )
        existing[oktmo] = territory_id
        created += 1
        await session.flush()
        rng = random.Random(f"{rng_seed}:{oktmo}")  # noqa: S311 - demo figures, not secrets
        rows = []
        for offset, year in enumerate(POPULATION_YEARS):
            total = population * (
                1 - 0.006 * (len(POPULATION_YEARS) - 1 - offset)
            )  # a slowly shrinking district
            for age_from, age_to, share in AGE_SHARES:
                # Women outlive men: the female share grows with age.
                female = 0.49 + 0.25 * max(0, age_from - 40) / 45
                band = total * share * rng.uniform(0.95, 1.05)
                for sex, part in (("male", 1 - female), ("female", female)):
                    rows.append(
                        {
                            "territory_id": territory_id,
                            "year": year,
                            "sex": sex,
                            "age_from": age_from,
                            "age_to": age_to,
                            "population": round(band * part),
                        }
                    )
        await session.execute(insert(TerritoryPopulation), rows)
    return existing, created


def _territory_of(org: Organization, territories: dict[str, uuid.UUID], rng: random.Random) -> uuid.UUID:
    for stem, oktmo in TERRITORY_STEMS.items():
        if stem in org.name:
            return territories[oktmo]
    return territories[rng.choice([t[0] for t in TERRITORIES[1:]])]


def _equipment(
    rng: random.Random,
    mo_id: uuid.UUID,
    department: MoDepartment,
    rooms: list[MoRoom],
    counts: dict[str, int],
) -> list[Any]:
    """The units a department has (about what its standard requires, a few short or spare),
    with their states, 2025 use and the December 2025 inventory."""
    found = standards().department_type(department.department_type)
    rows: list[Any] = []
    for item in found.equipment if found is not None else []:
        for _ in range(max(0, item.quantity + rng.choice((-1, 0, 0, 0, 1)))):
            number = counts[item.type] = counts.get(item.type, 0) + 1
            manufacturer, model = rng.choice(MODELS[item.type])
            year = rng.randint(2009, 2024)
            commissioned = date(year, rng.randint(1, 12), rng.randint(1, 28))
            roll = rng.random()
            state = "working" if roll < 0.85 else ("under_repair" if roll < 0.95 else "decommissioned")
            unit = Equipment(
                id=_id("equipment", mo_id, item.type, number),
                mo_id=mo_id,
                department_id=department.id,
                room_id=rng.choice(rooms).id if rooms else None,
                type_code=item.type,
                model=model,
                manufacturer=manufacturer,
                serial_number=f"{item.type.split('.')[1]}-{year % 100:02d}{rng.randint(10_000, 99_999)}",
                inventory_number=f"1013400{rng.randint(10_000, 99_999)}",
                manufactured_year=year,
                commissioned_on=commissioned,
                state=state,
                state_since=commissioned
                if state == "working"
                else date(2025, rng.randint(1, 11), rng.randint(1, 28)),
            )
            rows.append(unit)
            rows.append(
                EquipmentState(
                    equipment_id=unit.id, state="working", since=commissioned, recorded_by=DEMO_USER
                )
            )
            if state != "working":
                reason = (
                    "Неисправность, заявка в сервисную организацию"
                    if state == "under_repair"
                    else "Акт списания"
                )
                rows.append(
                    EquipmentState(
                        equipment_id=unit.id,
                        state=state,
                        since=unit.state_since,
                        reason=reason,
                        recorded_by=DEMO_USER,
                    )
                )
            norm = standards().work_norms.get(item.type)
            for month in range(1, 13):
                first = date(USAGE_YEAR, month, 1)
                if norm is None or first < commissioned.replace(day=1):
                    continue
                if state != "working" and first >= unit.state_since.replace(day=1):
                    break
                hours = min(norm * rng.uniform(0.45, 1.1), calendar.monthrange(USAGE_YEAR, month)[1] * 24)
                rows.append(EquipmentUsage(equipment_id=unit.id, month=first, hours_used=round(hours, 1)))
            if state != "decommissioned":
                rows.append(
                    EquipmentInventory(
                        equipment_id=unit.id,
                        inventory_number=unit.inventory_number,
                        counted_on=INVENTORY_DAY,
                        result="found" if state == "working" else "damaged",
                        recorded_by=DEMO_USER,
                    )
                )
    return rows


async def _seed_mo(
    session: AsyncSession,
    org: Organization,
    territories: dict[str, uuid.UUID],
    rng_seed: int,
    founder_id: uuid.UUID | None = None,
) -> dict[str, int]:
    rng = random.Random(f"{rng_seed}:{org.id}")  # noqa: S311 - demo data, not secrets
    profile = PROFILES[_profile(org.name)]
    territory_id = _territory_of(org, territories, rng)
    legal_form = legal_form_of(org.name)
    session.add(
        MoPassport(
            mo_id=org.id,
            founder_id=founder_id if legal_form in ("budget", "autonomous", "state") else None,
            legal_form=legal_form,
            territory_id=territory_id,
            address=f"ул. Больничная, д. {rng.randint(1, 40)}",
            head_name=rng.choice(
                ("Соловьёв Андрей Петрович", "Гаврилова Наталья Сергеевна", "Крылов Илья Вадимович")
            ),
            phone=f"+7 (999) {rng.randint(200, 899)}-{rng.randint(10, 99)}-{rng.randint(10, 99)}",
            updated_by=DEMO_USER,
        )
    )
    rows: list[Any] = []
    departments: list[MoDepartment] = []
    types: dict[str, int] = profile["departments"]  # type: ignore[assignment]
    for department_type, count in types.items():
        for n in range(1, count + 1):
            suffix = f" № {n}" if count > 1 else ""
            departments.append(
                MoDepartment(
                    id=_id("department", org.id, department_type, n),
                    mo_id=org.id,
                    name=DEPARTMENT_NAMES[department_type] + suffix,
                    department_type=department_type,
                    care_profiles=[],
                    beds=rng.randint(20, 60)
                    if department_type.endswith(("inpatient", "stroke", "cardiology"))
                    else None,
                )
            )
    branches = []
    for n in range(int(profile["branches"])):  # type: ignore[call-overload]
        place = BRANCH_PLACES[n % len(BRANCH_PLACES)]
        branch = MoBranch(
            id=_id("branch", org.id, n), mo_id=org.id, kind="branch", name=f"Филиал в {place}", address=place
        )
        branches.append(branch)
        departments.append(
            MoDepartment(
                id=_id("department", org.id, "branch", n),
                mo_id=org.id,
                branch_id=branch.id,
                name=f"Отделение общей врачебной практики ({place})",
                department_type="general_practice",
                care_profiles=["20"],
            )
        )
    session.add_all(branches)
    session.add_all(departments)
    await session.flush()
    counts: dict[str, int] = {}
    for department in departments:
        rooms = [
            MoRoom(
                id=_id("room", department.id, n),
                mo_id=org.id,
                department_id=department.id,
                number=f"{rng.randint(1, 4)}{n:02d}",
                name=f"Кабинет {n}",
                floor=rng.randint(1, 4),
                area_m2=round(rng.uniform(12, 36), 1),
            )
            for n in range(1, rng.randint(2, 4) + 1)
        ]
        rows.extend(rooms)
        rows.extend(_equipment(rng, org.id, department, rooms, counts))
    area_number = 0
    for kind, department_type, count in profile["areas"]:  # type: ignore[attr-defined]
        serving = [d for d in departments if d.department_type == department_type]
        for n in range(count):
            area_number += 1
            rows.append(
                MoArea(
                    id=_id("area", org.id, area_number),
                    mo_id=org.id,
                    department_id=serving[n % len(serving)].id if serving else None,
                    code=f"{area_number:02d}",
                    kind=kind,
                    territory_id=territory_id,
                )
            )
    issued = date(2021, rng.randint(3, 12), rng.randint(1, 28))
    rows.append(
        MoLicense(
            id=_id("license", org.id),
            mo_id=org.id,
            number=f"Л041-01137-99/{rng.randint(100_000, 999_999):08d}",
            issued_on=issued,
            issuer="Министерство здравоохранения Приозёрской области",
            valid_from=issued,
            care_profiles=list(profile["care_profiles"]),  # type: ignore[call-overload]
        )
    )
    session.add_all(rows)
    await session.flush()
    await mo_updated(session, org.id, "passport", org.id)
    return {
        "departments": len(departments),
        "equipment": sum(isinstance(r, Equipment) for r in rows),
        "areas": area_number,
    }


async def seed_mo_register(session: AsyncSession, *, rng_seed: int = DEMO_SEED) -> dict[str, Any]:
    """Territories with demographics and, for each MO of the organization table without a
    passport yet, its structure and equipment. Returns what was added."""
    territories, created = await _territories(session, rng_seed)
    orgs = (
        await session.scalars(
            select(Organization)
            .where(Organization.kind == MO_KIND, Organization.id.not_in(select(MoPassport.mo_id)))
            .order_by(Organization.code, Organization.id)
        )
    ).all()
    totals = {"territories": created, "mos": 0, "departments": 0, "equipment": 0, "areas": 0}
    founder_id = await _founder(session) if orgs else None
    for org in orgs:
        added = await _seed_mo(session, org, territories, rng_seed, founder_id)
        totals["mos"] += 1
        for key, value in added.items():
            totals[key] += value
    return totals


async def publish_mo_snapshots(session: AsyncSession) -> int:
    """``registry.mo.updated`` (part ``snapshot``) for every MO with a passport: sent after the
    persons are loaded, so consumers' copies (finance's MO profile) get the attached persons."""
    mo_ids = (await session.scalars(select(MoPassport.mo_id).order_by(MoPassport.mo_id))).all()
    for mo_id in mo_ids:
        await mo_updated(session, mo_id, SNAPSHOT_PART, mo_id)
    return len(mo_ids)
