"""SQL of licenses."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import func, literal, or_, select

from oms_kit.pagination import PageParams
from registry.mo_register.queries import page_of
from registry.mo_register.repository import RowRepository
from registry.models.mo_register import MoLicense


class LicenseRepository(RowRepository):
    async def page(
        self, mo_id: uuid.UUID, paging: PageParams, *, on: date | None
    ) -> tuple[Sequence[MoLicense], int]:
        stmt = select(MoLicense).where(MoLicense.mo_id == mo_id)
        if on is not None:
            stmt = stmt.where(
                MoLicense.valid_from <= on, or_(MoLicense.valid_to.is_(None), MoLicense.valid_to >= on)
            )
        return await page_of(self.session, stmt, paging, MoLicense.valid_from.desc(), MoLicense.id)

    async def overlapping(
        self, mo_id: uuid.UUID, valid_from: date, valid_to: date | None, *, other_than: uuid.UUID | None
    ) -> MoLicense | None:
        """Another license of the MO whose period meets [valid_from, valid_to] (both inclusive)."""
        theirs = func.daterange(MoLicense.valid_from, MoLicense.valid_to, literal("[]"))
        ours = func.daterange(valid_from, valid_to, literal("[]"))
        stmt = select(MoLicense).where(MoLicense.mo_id == mo_id, theirs.op("&&")(ours))
        if other_than is not None:
            stmt = stmt.where(MoLicense.id != other_than)
        return await self.session.scalar(stmt.limit(1))
