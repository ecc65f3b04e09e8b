"""A plausible, deterministic history of sign-ins for the demo region (``gateway.demo``):
the 60 days before the seeding day, weekdays busier than weekends, mornings and the hour
after lunch busiest, now and then a mistyped password, and a few attempts at night with
logins that name no account. Same seeding day → same history."""

from __future__ import annotations

import datetime as dt
import random
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from gateway.models import SignIn

REGION_TZ = ZoneInfo("Europe/Moscow")
DAYS = 60


@dataclass(frozen=True)
class Account:
    id: uuid.UUID
    org_id: uuid.UUID
    roles: tuple[str, ...]


@dataclass(frozen=True)
class Habit:
    workday: float  # chance of signing in on a working day
    weekend: float
    sessions: tuple[int, int]  # sign-ins on a day they work, min–max
    hours: tuple[int, ...]  # local hours they start from, more often the ones repeated


OFFICE = (8, 9, 9, 9, 10, 10, 11, 12, 14, 14, 15, 16, 17)
HABITS: dict[str, Habit] = {
    "admin": Habit(0.95, 0.1, (1, 2), OFFICE),
    "tfoms_analyst": Habit(0.9, 0.05, (1, 3), OFFICE),
    "foms_viewer": Habit(0.4, 0.0, (1, 1), OFFICE),
    "health_authority": Habit(0.6, 0.0, (1, 2), OFFICE),
    "mo_economist": Habit(0.9, 0.05, (1, 2), OFFICE),
    "doctor": Habit(0.9, 0.2, (2, 4), (8, 8, 9, 10, 11, 13, 14, 15, 16, 18)),
    "pharmacist": Habit(0.95, 0.6, (2, 3), (8, 9, 9, 10, 12, 13, 15, 17, 19)),
    "warehouse_operator": Habit(0.85, 0.0, (1, 2), (7, 8, 8, 9, 13)),
    "registry_operator": Habit(0.9, 0.0, (1, 3), OFFICE),
    "verification_operator": Habit(0.7, 0.0, (1, 1), OFFICE),
    "patient": Habit(0.1, 0.2, (1, 1), (7, 12, 19, 20, 20, 21, 22)),
}
TYPO = 0.06  # chance that a sign-in is preceded by a refused attempt


def sign_in_history(accounts: Iterable[Account], today: dt.date) -> list[SignIn]:
    rng = random.Random(f"oms-demo-sign-ins-{today.isoformat()}")  # noqa: S311  (demo data, not secrets)
    accounts = list(accounts)
    out: list[SignIn] = []

    def at(day: dt.date, hour: int) -> dt.datetime:
        local = dt.datetime.combine(day, dt.time(hour, rng.randrange(60), rng.randrange(60)), REGION_TZ)
        return local.astimezone(dt.UTC)

    for back in range(DAYS, 0, -1):
        day = today - dt.timedelta(days=back)
        weekend = day.weekday() >= 5
        for account in accounts:
            habit = HABITS.get(account.roles[0]) if account.roles else None
            if habit is None or rng.random() >= (habit.weekend if weekend else habit.workday):
                continue
            for _ in range(rng.randint(*habit.sessions)):
                when = at(day, rng.choice(habit.hours))
                row = dict(user_id=account.id, org_id=account.org_id, roles=list(account.roles))
                if rng.random() < TYPO:
                    out.append(SignIn(at=when - dt.timedelta(seconds=40), succeeded=False, **row))
                out.append(SignIn(at=when, succeeded=True, **row))
        for _ in range(rng.choice((0, 0, 1, 2))):  # a login that names no account, at night
            out.append(SignIn(at=at(day, rng.choice((0, 2, 3, 4, 23))), succeeded=False, roles=[]))
    return out
