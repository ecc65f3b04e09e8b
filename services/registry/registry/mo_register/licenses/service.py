"""Rules of licenses: the period is ordered and never overlaps another license of the MO, the
activities are care profiles of the NSI; changes publish ``registry.mo.updated``."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.auth import Principal
from oms_kit.pagination import Page, PageParams
from registry.mo_register.access import require_mo
from registry.mo_register.codes import require_care_profiles
from registry.mo_register.licenses.repository import LicenseRepository
from registry.mo_register.licenses.schemas import LicenseCreate, LicenseRead, LicenseUpdate
from registry.mo_register.rows import MoRows, changes_of
from registry.models.mo_register import MoLicense
from registry.person.errors import field_error

LICENSES = MoRows(MoLicense, "Лицензия не найдена", part="license")


def _read(row: MoLicense, on: date) -> LicenseRead:
    in_force = row.valid_from <= on and (row.valid_to is None or row.valid_to >= on)
    return LicenseRead(
        id=row.id,
        mo_id=row.mo_id,
        number=row.number,
        issued_on=row.issued_on,
        issuer=row.issuer,
        valid_from=row.valid_from,
        valid_to=row.valid_to,
        care_profiles=list(row.care_profiles),
        in_force=in_force,
    )


async def _check(session: AsyncSession, row: MoLicense) -> None:
    if row.issued_on > date.today():
        raise field_error("issued_on", "Дата предоставления лицензии в будущем")
    if row.valid_from < row.issued_on:
        raise field_error("valid_from", "Лицензия не может действовать раньше даты её предоставления")
    if row.valid_to is not None and row.valid_to < row.valid_from:
        raise field_error("valid_to", "Окончание действия раньше начала")
    await require_care_profiles(session, row.care_profiles, field="care_profiles")
    other = await LicenseRepository(session).overlapping(
        row.mo_id, row.valid_from, row.valid_to, other_than=row.id
    )
    if other is not None:
        until = f"{other.valid_to:%d.%m.%Y}" if other.valid_to else "бессрочно"
        raise field_error(
            "valid_from",
            f"Период пересекается с лицензией № {other.number} ({other.valid_from:%d.%m.%Y} — {until})",
        )


async def list_licenses(
    session: AsyncSession, principal: Principal, mo_id: uuid.UUID, paging: PageParams, *, on: date | None
) -> Page[LicenseRead]:
    await require_mo(session, principal, mo_id)
    rows, total = await LicenseRepository(session).page(mo_id, paging, on=on)
    today = on or date.today()
    return Page[LicenseRead](
        items=[_read(r, today) for r in rows], total=total, limit=paging.limit, offset=paging.offset
    )


async def get_license(session: AsyncSession, principal: Principal, license_id: uuid.UUID) -> LicenseRead:
    return _read(await LICENSES.load(session, principal, license_id), date.today())


async def create_license(
    session: AsyncSession, principal: Principal, mo_id: uuid.UUID, data: LicenseCreate
) -> LicenseRead:
    await require_mo(session, principal, mo_id)
    values = data.model_dump()
    values["care_profiles"] = list(dict.fromkeys(values["care_profiles"]))
    row = MoLicense(id=uuid.uuid4(), mo_id=mo_id, **values)
    await _check(session, row)
    await LICENSES.add(session, row)
    return _read(row, date.today())


async def update_license(
    session: AsyncSession, principal: Principal, license_id: uuid.UUID, data: LicenseUpdate
) -> LicenseRead:
    row = await LICENSES.load(session, principal, license_id)
    changes = changes_of(data, required=("number", "issued_on", "valid_from", "care_profiles"))
    if "care_profiles" in changes:
        changes["care_profiles"] = list(dict.fromkeys(changes["care_profiles"]))
    # Checked on a detached copy: a refused change leaves the row as it was.
    candidate = MoLicense(
        id=row.id,
        mo_id=row.mo_id,
        **{
            name: changes.get(name, getattr(row, name))
            for name in ("number", "issued_on", "issuer", "valid_from", "valid_to", "care_profiles")
        },
    )
    await _check(session, candidate)
    await LICENSES.update(session, row, changes)
    return _read(row, date.today())


async def delete_license(session: AsyncSession, principal: Principal, license_id: uuid.UUID) -> None:
    await LICENSES.delete(session, await LICENSES.load(session, principal, license_id))
