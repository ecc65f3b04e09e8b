"""The demo region as finance sees it: its MOs (from the organization copy), the months seeded
(the 12 full months before today's month) and a fixed random seed, so every part agrees."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from finance.models import MoProfile, Organization

RANDOM_SEED = 20261124


@dataclass(frozen=True)
class DemoMo:
    id: uuid.UUID
    code: str
    name: str
    legal_form: str | None
    beds: int | None
    attached_persons: int | None


@dataclass(frozen=True)
class DemoRegion:
    mos: tuple[DemoMo, ...]
    months: tuple[date, ...]  # first days, oldest first

    def mo(self, code: str) -> DemoMo:
        return next(m for m in self.mos if m.code == code)


def last_full_months(today: date, count: int = 12) -> tuple[date, ...]:
    year, month = today.year, today.month
    months = []
    for _ in range(count):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        months.append(date(year, month, 1))
    return tuple(reversed(months))


async def demo_region(session: AsyncSession, today: date | None = None) -> DemoRegion | None:
    rows = await session.execute(
        select(Organization.id, Organization.code, Organization.name, MoProfile)
        .outerjoin(MoProfile, MoProfile.mo_id == Organization.id)
        .where(Organization.kind == "mo")
        .order_by(Organization.code)
    )
    mos = tuple(
        DemoMo(
            id=row.id,
            code=row.code or "",
            name=row.name,
            legal_form=row.MoProfile.legal_form if row.MoProfile else None,
            beds=row.MoProfile.beds if row.MoProfile else None,
            attached_persons=row.MoProfile.attached_persons if row.MoProfile else None,
        )
        for row in rows
    )
    if not mos:
        return None
    return DemoRegion(mos=mos, months=last_full_months(today or date.today()))
