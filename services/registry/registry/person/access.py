"""Who may see which person (the audit of each access is oms_kit.audit, in the same transaction).

- region-wide roles (``oms_kit.auth.REGION_WIDE_ROLES``) and users of the TFOMS, which keeps
  the regional register, see every person;
- a patient sees only ``principal.person_id``;
- users and systems of an insurer see the persons it insures now, of an MO (and any other
  organization) the persons attached to it now.
Another person is a 404, never a 403: existence is not leaked."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import ColumnElement, and_, exists, literal, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from oms_kit.auth import Principal
from registry.models.person import PersonFact
from registry.person.facts import FactKind
from registry.person.repository import is_current

REGISTER_KEEPERS = frozenset({"tfoms"})


def sees_whole_register(principal: Principal) -> bool:
    return principal.person_id is None and (principal.region_wide or principal.org_type in REGISTER_KEEPERS)


def visible(
    person_id: ColumnElement[uuid.UUID] | InstrumentedAttribute[uuid.UUID], principal: Principal
) -> ColumnElement[bool]:
    """A predicate on a person id column: may ``principal`` see that person?"""
    if principal.person_id is not None or "patient" in principal.roles:
        return person_id == principal.person_id if principal.person_id else person_id.is_(None)
    if sees_whole_register(principal):
        return true()
    kind = FactKind.insurance if principal.org_type == "insurer" else FactKind.attachment
    return exists(
        select(PersonFact.id).where(
            and_(
                PersonFact.person_id == person_id,
                PersonFact.kind == kind.value,
                PersonFact.org_id == principal.org_id,
                PersonFact.valid.contains(date.today()),
                is_current(),
            )
        )
    )


async def can_see(session: AsyncSession, principal: Principal, person_id: uuid.UUID) -> bool:
    stmt = select(literal(True)).where(visible(literal(person_id), principal))
    return bool(await session.scalar(stmt))
