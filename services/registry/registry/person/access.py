"""Who may see which person, and the audit of every access to a person's data (152-FZ).

- region-wide roles (``oms_kit.auth.REGION_WIDE_ROLES``) and users of the TFOMS, which keeps
  the regional register, see every person;
- a patient sees only ``principal.person_id``;
- users and systems of an insurer see the persons it insures now, of an MO (and any other
  organization) the persons attached to it now.
Another person is a 404, never a 403: existence is not leaked."""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from datetime import date

from sqlalchemy import ColumnElement, and_, exists, insert, literal, select, true
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import InstrumentedAttribute

from oms_kit.audit import AuditRecord
from oms_kit.auth import Principal
from oms_kit.logging import current_request_id
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


async def audit_persons(
    session: AsyncSession,
    principal: Principal,
    person_ids: Iterable[uuid.UUID],
    *,
    action: str,
    resource: str,
    reason: str,
) -> None:
    """One audit row per person whose data is read or changed, in one statement."""
    rows = [
        {
            "id": uuid.uuid4(),
            "actor": principal.subject,
            "actor_kind": principal.kind,
            "actor_org_id": principal.org_id,
            "person_id": person_id,
            "action": action,
            "resource": resource,
            "reason": reason,
            "request_id": current_request_id(),
        }
        for person_id in dict.fromkeys(person_ids)
    ]
    if rows:
        await session.execute(insert(AuditRecord), rows)
