"""All SQL of the activity feature: sign-in counts, grouped in the database so that a year
of a large region's attempts comes back as at most 366 × 24 × 2 rows."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import exists, func, literal_column, select, true
from sqlalchemy.ext.asyncio import AsyncSession

from gateway.models import SignIn
from oms_kit.auth import Principal, scope_to_org


@dataclass(frozen=True)
class HourCount:
    hour: dt.datetime  # the UTC hour the attempts fall in
    succeeded: bool
    count: int


@dataclass(frozen=True)
class RoleCount:
    role: str
    succeeded: bool
    count: int


class SignInActivityRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_hour(self, principal: Principal, since: dt.datetime) -> list[HourCount]:
        # Constants inline, not bound: GROUP BY must repeat the very expression of the SELECT.
        utc = func.timezone(literal_column("'UTC'"), SignIn.at)
        hour = func.date_trunc(literal_column("'hour'"), utc).label("hour")
        stmt = scope_to_org(
            select(hour, SignIn.succeeded, func.count()).where(SignIn.at >= since),
            SignIn.org_id,
            principal,
        ).group_by(hour, SignIn.succeeded)
        rows = await self.session.execute(stmt)
        return [HourCount(h.replace(tzinfo=dt.UTC), ok, n) for h, ok, n in rows.all()]

    async def by_role(self, principal: Principal, since: dt.datetime) -> list[RoleCount]:
        # FROM sign_in JOIN unnest(sign_in.roles) AS role ON true (a function in FROM sees the row).
        role = func.unnest(SignIn.roles).table_valued("role").render_derived(name="role")
        stmt = scope_to_org(
            select(role.c.role, SignIn.succeeded, func.count())
            .select_from(SignIn)
            .join(role, true())
            .where(SignIn.at >= since),
            SignIn.org_id,
            principal,
        ).group_by(role.c.role, SignIn.succeeded)
        rows = await self.session.execute(stmt)
        return [RoleCount(r, ok, n) for r, ok, n in rows.all()]

    async def any_recorded(self) -> bool:
        return bool(await self.session.scalar(select(exists().select_from(SignIn))))

    async def add_all(self, attempts: list[SignIn]) -> None:
        self.session.add_all(attempts)
        await self.session.flush()
