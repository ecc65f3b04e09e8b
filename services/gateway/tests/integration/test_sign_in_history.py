"""The demo seed's sign-in history: deterministic, plausible, seeded once; and the
``sign_in`` migration creates exactly the mapped table."""

import datetime as dt
import uuid
from collections import Counter

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import create_async_engine

from gateway.activity.history import DAYS, REGION_TZ, Account, sign_in_history
from gateway.demo import seed
from gateway.models import Base, SignIn

ACCOUNTS = [
    Account(uuid.UUID(int=i + 1), uuid.UUID(int=100 + i), (role,))
    for i, role in enumerate(("admin", "doctor", "pharmacist", "patient", "foms_viewer"))
]
MONDAY = dt.date(2026, 11, 23)


def _key(rows: list[SignIn]) -> list[tuple]:
    return [(r.at, r.user_id, r.org_id, tuple(r.roles), r.succeeded) for r in rows]


def test_the_history_is_the_same_for_the_same_day_and_differs_for_another():
    assert _key(sign_in_history(ACCOUNTS, MONDAY)) == _key(sign_in_history(ACCOUNTS, MONDAY))
    assert _key(sign_in_history(ACCOUNTS, MONDAY)) != _key(
        sign_in_history(ACCOUNTS, MONDAY + dt.timedelta(1))
    )


def test_the_history_looks_like_a_working_region():
    rows = sign_in_history(ACCOUNTS, MONDAY)
    start = dt.datetime.combine(MONDAY - dt.timedelta(days=DAYS), dt.time(), REGION_TZ)
    end = dt.datetime.combine(MONDAY, dt.time(), REGION_TZ)
    assert all(start <= r.at < end for r in rows)  # the 60 days before the seeding day
    ok = [r for r in rows if r.succeeded]
    failed = [r for r in rows if not r.succeeded]
    assert 0 < len(failed) < len(ok) / 3
    workdays = Counter(r.at.astimezone(REGION_TZ).weekday() < 5 for r in ok)
    assert workdays[True] / 5 > 2 * workdays[False] / 2  # a weekday is busier than a weekend day
    hours = Counter(r.at.astimezone(REGION_TZ).hour for r in ok)
    assert hours[9] > hours[3]
    assert {r.user_id for r in ok} == {a.id for a in ACCOUNTS}
    assert all(r.org_id is None and r.roles == [] for r in failed if r.user_id is None)


async def test_the_seed_writes_the_history_once(database):
    async with database.sessions() as s, s.begin():
        await seed(s)
    async with database.sessions() as s:
        first = int(await s.scalar(select(func.count()).select_from(SignIn)) or 0)
        roles = set((await s.scalars(select(func.unnest(SignIn.roles)).distinct())).all())
    assert first > 500
    assert {"admin", "doctor", "pharmacist", "tfoms_analyst", "patient"} <= roles
    async with database.sessions() as s, s.begin():
        await seed(s)
    async with database.sessions() as s:
        assert await s.scalar(select(func.count()).select_from(SignIn)) == first


async def test_the_migration_creates_the_mapped_sign_in_table(database_url):
    def differences(connection):
        context = MigrationContext.configure(
            connection,
            opts={
                "compare_type": True,
                "include_object": lambda obj, name, kind, *_: (
                    name == "sign_in" if kind == "table" else obj.table.name == "sign_in"
                ),
            },
        )
        return compare_metadata(context, Base.metadata)

    engine = create_async_engine(database_url)
    try:
        async with engine.connect() as connection:
            assert await connection.run_sync(differences) == []
    finally:
        await engine.dispose()
