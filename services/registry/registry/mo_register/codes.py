"""NSI codes in MO passport input, checked against the dictionary in force today. An unknown
code is a 422 whose ``errors`` name the field (``body.care_profiles.1``), like a validation
error of the request body."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from registry.models import NsiEntry
from registry.nsi import require_code
from registry.nsi.errors import UnknownCode
from registry.person.errors import field_error

CARE_PROFILE = "care_profile"
EQUIPMENT_TYPE = "equipment_type"


async def require_nsi(session: AsyncSession, dictionary: str, code: str, *, field: str) -> NsiEntry:
    try:
        return await require_code(session, dictionary, code, on=date.today(), field=field)
    except UnknownCode as exc:
        raise field_error(field, exc.detail) from exc


async def require_care_profiles(session: AsyncSession, codes: Iterable[str], *, field: str) -> None:
    for index, code in enumerate(codes):
        await require_nsi(session, CARE_PROFILE, code, field=f"{field}.{index}")


async def require_equipment_type(session: AsyncSession, code: str, *, field: str) -> NsiEntry:
    """A kind of equipment (``RAD.CT``), not a group (``RAD``)."""
    entry = await require_nsi(session, EQUIPMENT_TYPE, code, field=field)
    if entry.parent_code is None:
        raise field_error(field, f"«{code}» — группа видов оборудования; укажите вид (например, {code}.…)")
    return entry


async def equipment_type_name(session: AsyncSession, code: str) -> str | None:
    """The name of a kind for display; None if the dictionary no longer has it."""
    try:
        return (await require_code(session, EQUIPMENT_TYPE, code, on=date.today(), field="type_code")).name
    except UnknownCode:
        return None
