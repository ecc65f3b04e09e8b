"""Sign-in activity for dashboards: per day (successful, failed), per weekday and hour, per
role — of the organization's accounts, or of the whole region for region-wide principals.

Days and hours are those of ``tz`` (the browser's zone, so the heat map matches the clock
on the wall). The database groups by UTC hour and the hours are placed here: exact for
every zone whose offset is a whole number of hours (all of Russia); in a zone with a
half-hour offset an attempt goes to the local hour its UTC hour starts in."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession

from gateway.activity.repository import SignInActivityRepository
from gateway.activity.schemas import DailySignIns, RoleSignIns, SignInActivity
from oms_kit.auth import Principal


async def sign_in_activity(
    session: AsyncSession, principal: Principal, *, days: int, tz: ZoneInfo, now: dt.datetime
) -> SignInActivity:
    until = now.astimezone(tz).date()
    since = until - dt.timedelta(days=days - 1)
    start = dt.datetime.combine(since, dt.time(), tzinfo=tz)
    repo = SignInActivityRepository(session)

    daily = {since + dt.timedelta(days=i): [0, 0] for i in range(days)}  # date → [successful, failed]
    weekday_hour = [[0] * 24 for _ in range(7)]
    for row in await repo.by_hour(principal, start):
        local = row.hour.astimezone(tz)
        day = daily.get(local.date())
        if day is None:  # the UTC hour began before local midnight (half-hour zones only)
            day = daily[since]
        day[0 if row.succeeded else 1] += row.count
        if row.succeeded:
            weekday_hour[local.weekday()][local.hour] += row.count

    roles: dict[str, list[int]] = {}
    for r in await repo.by_role(principal, start):
        roles.setdefault(r.role, [0, 0])[0 if r.succeeded else 1] += r.count

    return SignInActivity(
        days=days,
        tz=tz.key,
        since=since,
        until=until,
        successful=sum(d[0] for d in daily.values()),
        failed=sum(d[1] for d in daily.values()),
        daily=[DailySignIns(date=d, successful=s, failed=f) for d, (s, f) in daily.items()],
        weekday_hour=weekday_hour,
        by_role=[
            RoleSignIns(role=role, successful=s, failed=f)
            for role, (s, f) in sorted(roles.items(), key=lambda kv: (-(kv[1][0] + kv[1][1]), kv[0]))
        ],
    )
