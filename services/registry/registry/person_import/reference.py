"""What rows are checked against, read once per job: the F011 document types and F008 policy
types in force today and the insurers and MOs of this service's organization directory (by
register code or id)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.tenancy import OrganizationCopyRepository
from registry.models import Organization
from registry.nsi.catalog import POLICY_TYPE
from registry.nsi.repository import NsiRepository
from registry.person.reference import DOCUMENT_TYPES
from registry.person_import.validation import Reference


async def load_reference(session: AsyncSession, today: date) -> Reference:
    return Reference(
        today=today,
        document_types=frozenset(await _codes(session, DOCUMENT_TYPES, today)),
        policy_types=frozenset(await _codes(session, POLICY_TYPE.code, today)),
        insurers=await _organizations(session, "insurer"),
        mos=await _organizations(session, "mo"),
    )


async def _codes(session: AsyncSession, dictionary_code: str, on: date) -> list[str]:
    repo = NsiRepository(session)
    dictionary = await repo.dictionary(dictionary_code)
    version = await repo.version_in_force(dictionary.id, on) if dictionary is not None else None
    if version is None:
        return []
    return await repo.codes_valid_on(version.id, on)


async def _organizations(session: AsyncSession, kind: str) -> dict[str, uuid.UUID]:
    rows = await OrganizationCopyRepository(session, Organization).codes(kind)
    found: dict[str, uuid.UUID] = {}
    for org_id, code in rows:
        found[str(org_id)] = org_id
        if code:
            found[code] = org_id
    return found
