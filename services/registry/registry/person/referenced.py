"""The organizations a person's records refer to — the insurers of its policies and the MOs
of its attachments, current and past — with their names, for the person's card.

The organization directory (``GET /organizations``) shows a user only their own organization
unless their role is region-wide; whoever may see a person already sees these organizations'
ids in its records, and here gets their names too. Nothing about the person is read beyond
what its card shows (no audit row of its own: the card's reads are audited)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.auth import Principal
from oms_kit.tenancy import OrganizationRead
from registry.person.referenced_repository import ReferencedOrganizationRepository
from registry.person.service import find_visible


async def organizations_of(
    session: AsyncSession, principal: Principal, person_id: uuid.UUID
) -> list[OrganizationRead]:
    _, person = await find_visible(session, principal, person_id)
    rows = await ReferencedOrganizationRepository(session).of_person(person.id)
    return [OrganizationRead.model_validate(row) for row in rows]
