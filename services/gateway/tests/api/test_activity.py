"""``GET /api/admin/activity/sign-ins``: what the login records and how it is counted, scoped
and validated. The demo seed's history is removed first, so every count here is known."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import delete, func, select

from gateway.models import SignIn, UserAccount

MSK = ZoneInfo("Europe/Moscow")
URL = "/api/admin/activity/sign-ins"


@pytest.fixture
async def quiet_region(region, database):
    """The demo region without its seeded sign-in history."""
    async with database.sessions() as s, s.begin():
        await s.execute(delete(SignIn))
    return region


async def _account(database, login: str) -> UserAccount:
    async with database.sessions() as s:
        user = await s.scalar(select(UserAccount).where(UserAccount.login == login))
        assert user is not None
        return user


async def _add(database, login: str, at: dt.datetime, *, succeeded: bool = True) -> None:
    user = await _account(database, login)
    async with database.sessions() as s, s.begin():
        s.add(SignIn(at=at, user_id=user.id, org_id=user.org_id, roles=user.roles, succeeded=succeeded))


def _msk(days_back: int, hour: int, minute: int = 0) -> dt.datetime:
    day = dt.datetime.now(MSK).date() - dt.timedelta(days=days_back)
    return dt.datetime.combine(day, dt.time(hour, minute), MSK)


async def _fail(client, login: str) -> None:
    r = await client.post("/api/auth/login", json={"login": login, "password": "not-the-password"})
    assert r.status_code == 401
    assert r.headers["content-type"] == "application/problem+json"


async def test_the_login_records_each_attempt_even_a_refused_one(client, quiet_region, database, login_as):
    await login_as("economist")
    await _fail(client, "economist")
    await _fail(client, "nobody-at-all")
    economist = await _account(database, "economist")
    async with database.sessions() as s:
        rows = (await s.scalars(select(SignIn).order_by(SignIn.id))).all()
    assert [(r.user_id, r.org_id, r.roles, r.succeeded) for r in rows] == [
        (economist.id, economist.org_id, ["mo_economist"], True),
        (economist.id, economist.org_id, ["mo_economist"], False),
        (None, None, [], False),  # a login that names no account: counted, not attributed
    ]
    assert all(dt.datetime.now(dt.UTC) - r.at < dt.timedelta(minutes=1) for r in rows)


async def test_counts_by_day_weekday_hour_and_role(client, quiet_region, database, auth_as):
    admin = await auth_as("admin")
    await auth_as("economist")
    await _fail(client, "economist")
    await _fail(client, "doctor2")
    await _fail(client, "nobody-at-all")
    three_days_ago = _msk(3, 10, 15)
    await _add(database, "doctor", three_days_ago)
    await _add(database, "doctor2", three_days_ago + dt.timedelta(minutes=20))
    await _add(database, "economist", _msk(40, 9))  # outside 30 days

    r = await client.get(URL, params={"days": 30, "tz": "Europe/Moscow"}, headers=admin)
    assert r.status_code == 200, r.text
    body = r.json()
    today = dt.datetime.now(MSK).date()
    assert body["days"] == 30 and body["tz"] == "Europe/Moscow"
    assert body["until"] == today.isoformat()
    assert body["since"] == (today - dt.timedelta(days=29)).isoformat()
    assert (body["successful"], body["failed"]) == (4, 3)
    daily = body["daily"]
    assert [d["date"] for d in daily] == [(today - dt.timedelta(days=29 - i)).isoformat() for i in range(30)]
    assert daily[-1] == {"date": today.isoformat(), "successful": 2, "failed": 3}
    assert daily[-4] == {"date": three_days_ago.date().isoformat(), "successful": 2, "failed": 0}
    assert sum(d["successful"] for d in daily) == 4 and sum(d["failed"] for d in daily) == 3

    matrix = body["weekday_hour"]
    assert len(matrix) == 7 and all(len(row) == 24 for row in matrix)
    assert matrix[three_days_ago.weekday()][10] == 2
    assert sum(map(sum, matrix)) == 4  # successful sign-ins only

    assert body["by_role"] == [
        {"role": "doctor", "successful": 2, "failed": 1},
        {"role": "mo_economist", "successful": 1, "failed": 1},
        {"role": "admin", "successful": 1, "failed": 0},
    ]

    longer = (await client.get(URL, params={"days": 60}, headers=admin)).json()
    assert (longer["successful"], longer["failed"]) == (5, 3)
    assert len(longer["daily"]) == 60


async def test_an_mo_economist_sees_only_their_mos_sign_ins(client, quiet_region, database, auth_as):
    economist = await auth_as("economist")  # MO 1, like "doctor"; "doctor2" works at MO 3
    await _fail(client, "economist")
    await _fail(client, "doctor2")
    await _fail(client, "nobody-at-all")
    await _add(database, "doctor", _msk(1, 9))
    await _add(database, "doctor2", _msk(1, 9))
    await auth_as("admin")

    body = (await client.get(URL, headers=economist)).json()
    assert (body["successful"], body["failed"]) == (2, 1)
    assert {r["role"] for r in body["by_role"]} == {"mo_economist", "doctor"}
    assert body["by_role"] == [
        {"role": "mo_economist", "successful": 1, "failed": 1},
        {"role": "doctor", "successful": 1, "failed": 0},
    ]
    assert body["days"] == 30 and len(body["daily"]) == 30  # the default period


async def test_days_and_hours_follow_the_time_zone(client, quiet_region, database, auth_as):
    admin = await auth_as("admin")
    async with database.sessions() as s, s.begin():
        await s.execute(delete(SignIn))  # leave only the row below
    moment = dt.datetime.combine(
        dt.datetime.now(dt.UTC).date() - dt.timedelta(days=2), dt.time(20, 30), dt.UTC
    )
    await _add(database, "doctor", moment)
    moscow = (await client.get(URL, params={"tz": "Europe/Moscow"}, headers=admin)).json()
    yekaterinburg = (await client.get(URL, params={"tz": "Asia/Yekaterinburg"}, headers=admin)).json()
    in_moscow, in_yekaterinburg = moment.astimezone(MSK), moment.astimezone(ZoneInfo("Asia/Yekaterinburg"))
    assert (in_moscow.hour, in_yekaterinburg.hour) == (23, 1)  # the next day in Yekaterinburg
    assert moscow["weekday_hour"][in_moscow.weekday()][23] == 1
    assert yekaterinburg["weekday_hour"][in_yekaterinburg.weekday()][1] == 1
    assert next(d for d in moscow["daily"] if d["successful"])["date"] == in_moscow.date().isoformat()
    assert next(d for d in yekaterinburg["daily"] if d["successful"])["date"] == (
        in_yekaterinburg.date().isoformat()
    )


async def test_the_period_starts_at_local_midnight(client, quiet_region, database, auth_as):
    admin = await auth_as("admin")
    start = _msk(1, 0)  # days=2: yesterday and today
    await _add(database, "doctor", start)
    await _add(database, "doctor", start - dt.timedelta(seconds=1))
    body = (await client.get(URL, params={"days": 2}, headers=admin)).json()
    assert [d["successful"] for d in body["daily"]] == [1, 1]  # yesterday's doctor, today's admin
    assert body["successful"] == 2


async def test_only_holders_of_user_read_see_sign_ins(client, quiet_region, auth_as):
    assert (await client.get(URL)).status_code == 401
    for login in ("doctor", "tfoms", "pharmacist"):
        r = await client.get(URL, headers=await auth_as(login))
        assert r.status_code == 403, login
        assert r.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"days": 0}, "query.days"),
        ({"days": 367}, "query.days"),
        ({"days": "month"}, "query.days"),
        ({"tz": "Mars/Olympus_Mons"}, "query.tz"),
        ({"tz": "../../etc/passwd"}, "query.tz"),
    ],
)
async def test_bad_parameters_are_422_naming_the_field(client, quiet_region, auth_as, params, field):
    r = await client.get(URL, params=params, headers=await auth_as("admin"))
    assert r.status_code == 422
    assert r.headers["content-type"] == "application/problem+json"
    assert [e["field"] for e in r.json()["errors"]] == [field]


async def test_the_bounds_of_days_are_accepted(client, quiet_region, auth_as):
    admin = await auth_as("admin")
    for days in (1, 366):
        r = await client.get(URL, params={"days": days}, headers=admin)
        assert r.status_code == 200
        assert len(r.json()["daily"]) == days


async def test_a_deleted_account_takes_its_sign_ins_along(client, quiet_region, database, login_as):
    await login_as("doctor2")
    user = await _account(database, "doctor2")
    async with database.sessions() as s, s.begin():
        await s.execute(delete(UserAccount).where(UserAccount.id == user.id))
    async with database.sessions() as s:
        left = await s.scalar(select(func.count()).select_from(SignIn).where(SignIn.user_id == user.id))
    assert left == 0
