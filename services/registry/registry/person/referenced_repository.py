"""SQL of the organizations a person's records refer to."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from registry.models import Organization
from registry.models.person import PersonFact


class ReferencedOrganizationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def of_person(self, person_id: uuid.UUID) -> Sequence[Organization]:
        """Organizations named by any record of the person (current or in its history)."""
        named = select(PersonFact.org_id).where(
            PersonFact.person_id == person_id, PersonFact.org_id.is_not(None)
        )
        stmt = select(Organization).where(Organization.id.in_(named)).order_by(Organization.name)
        return (await self.session.scalars(stmt)).all()
