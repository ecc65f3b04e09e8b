"""The need calculation: for each MO, required units of a kind = Σ over its departments of the
quantity the department type's standard names; available = its units in state ``working``;
need = max(required − available, 0). Kinds no standard requires are not listed (a unit beyond
the standard is not a need)."""

from __future__ import annotations

import uuid
from collections import Counter, defaultdict
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.auth import Principal
from registry.mo_register.access import require_mo
from registry.mo_register.standards.catalog import EquippingStandards, standards
from registry.mo_register.standards.repository import NeedRepository
from registry.mo_register.standards.schemas import EquipmentNeedReport, MoNeed, NeedLine


def required_units(standard: EquippingStandards, departments: Counter[str]) -> Counter[str]:
    """Units of each kind the departments (type → how many) must have."""
    required: Counter[str] = Counter()
    for department_type, count in departments.items():
        found = standard.department_type(department_type)
        for item in found.equipment if found is not None else []:
            required[item.type] += item.quantity * count
    return required


def need_lines(required: Counter[str], available: Counter[str], names: dict[str, str]) -> list[NeedLine]:
    return [
        NeedLine(
            type_code=code,
            type_name=names.get(code),
            required=required[code],
            available=available[code],
            need=max(required[code] - available[code], 0),
        )
        for code in sorted(required)
        if required[code] > 0
    ]


def _mo_need(org: Any, lines: list[NeedLine]) -> MoNeed:
    return MoNeed(
        mo_id=org.id,
        mo_name=org.name,
        mo_code=org.code,
        lines=lines,
        required=sum(line.required for line in lines),
        available=sum(line.available for line in lines),
        need=sum(line.need for line in lines),
    )


async def equipment_need(
    session: AsyncSession, principal: Principal, mo_id: uuid.UUID | None
) -> EquipmentNeedReport:
    """One MO with ``mo_id`` (404 outside the caller's scope); otherwise every MO the caller
    sees: the region for region-wide roles, the own MO for an MO's users."""
    if mo_id is not None:
        await require_mo(session, principal, mo_id)
    elif not principal.region_wide:
        mo_id = principal.org_id
        await require_mo(session, principal, mo_id)
    repo = NeedRepository(session)
    orgs: Sequence[Any] = await repo.mos(principal, mo_id)
    ids = [o.id for o in orgs]
    departments: dict[uuid.UUID, Counter[str]] = defaultdict(Counter)
    for mo, department_type, count in await repo.departments(ids):
        departments[mo][department_type] += count
    available: dict[uuid.UUID, Counter[str]] = defaultdict(Counter)
    for mo, type_code, count in await repo.working_units(ids):
        available[mo][type_code] += count
    standard = standards()
    required = {mo: required_units(standard, departments[mo]) for mo in ids}
    today = date.today()
    names = await repo.type_names({code for r in required.values() for code in r}, today)

    per_mo = [_mo_need(org, need_lines(required[org.id], available[org.id], names)) for org in orgs]
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for mo_need in per_mo:
        for line in mo_need.lines:
            total = totals[line.type_code]
            total[0] += line.required
            total[1] += line.available
            total[2] += line.need
    lines = [
        NeedLine(type_code=code, type_name=names.get(code), required=r, available=a, need=n)
        for code, (r, a, n) in sorted(totals.items())
    ]
    return EquipmentNeedReport(
        scope="mo" if mo_id is not None else "region",
        on=today,
        standards_version=standard.version,
        lines=lines,
        mos=per_mo,
        need=sum(line.need for line in lines),
    )
