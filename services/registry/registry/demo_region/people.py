"""Synthetic insured persons as rows of the register's import format: realistic Russian names,
an age pyramid, valid and unique SNILS/ENP/documents, addresses, insurance, attachment,
employment, some history (a maiden name, a move, an earlier policy) and deaths.

Deterministic: person ``i`` depends only on the seed and ``i`` (a generator per person), so
the first persons are the same whatever the size of the region."""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from oms_kit.identifiers import complete_enp, complete_snils
from registry.demo_region import names, places

# Dates are relative to this day, not to the clock: the same seed gives the same region.
REFERENCE_DAY = date(2026, 1, 1)
# Share of the population by five-year age band (0–4 … 95–99), Russia in the 2020s, rounded.
AGE_BANDS = (
    5.5,
    6.5,
    6.2,
    5.3,
    4.7,
    5.2,
    7.8,
    8.0,
    7.2,
    6.6,
    6.0,
    6.8,
    7.0,
    6.0,
    4.5,
    2.5,
    2.0,
    1.2,
    0.4,
    0.1,
)
PASSPORT, BIRTH_CERTIFICATE = "14", "3"  # F011
ENP_REGION = "99"


@dataclass(frozen=True)
class Organizations:
    """Register codes of the insurers and MOs rows refer to, with the MOs' area codes."""

    insurers: Sequence[str]
    mos: Sequence[str]
    areas: dict[str, Sequence[str]]


def snils_of(n: int, salt: int) -> str:
    # 7919 is prime and does not divide 899,999,999: n ↦ number is one-to-one.
    return complete_snils(f"{100_000_000 + (n * 7919 + salt) % 899_999_999:09d}")


def enp_of(n: int, salt: int) -> str:
    return complete_enp(ENP_REGION + f"{(n * 104_729 + salt) % 10**13:013d}")


def _document_number(n: int) -> tuple[str, str]:
    """A series prefix unique per million and a number unique within it."""
    return f"{99 - n // 1_000_000:02d}", f"{(n % 1_000_000) * 7907 % 1_000_000:06d}"


def _day_between(rng: random.Random, start: date, end: date) -> date:
    span = (end - start).days
    return start + timedelta(days=rng.randint(0, max(span, 0)))


def birth_date(rng: random.Random, today: date) -> date:
    band = rng.choices(range(len(AGE_BANDS)), weights=AGE_BANDS)[0]
    age_days = rng.randint(band * 5 * 365, (band * 5 + 5) * 365 - 1)
    return today - timedelta(days=age_days)


def person(n: int, seed: int, orgs: Organizations, today: date = REFERENCE_DAY) -> dict[str, Any]:
    """The ``n``-th person of the region (``n`` from 0) as import-format cells."""
    rng = random.Random(f"{seed}:{n}")  # noqa: S311  (synthetic data, reproducible by design)
    born = birth_date(rng, today)
    age = (today - born).days // 365
    # Men are fewer among the old.
    sex = "male" if rng.random() < (0.47 if age < 60 else 0.38) else "female"
    base = rng.choice(names.ALL_SURNAMES)
    first = rng.choice(names.MALE_NAMES if sex == "male" else names.FEMALE_NAMES)
    row: dict[str, Any] = {
        "surname": names.surname_form(base, sex),
        "first_name": first,
        "patronymic": names.patronymic(rng.choice(names.MALE_NAMES), sex),
        "birth_date": born.isoformat(),
        "sex": sex,
        "birth_place": places.birth_place(rng),
        "snils": snils_of(n, seed),
        "enp": enp_of(n, seed),
    }
    prefix, number = _document_number(n)
    if age >= 14:
        issued = _day_between(rng, born + timedelta(days=20 * 365 if age >= 20 else 14 * 365), today)
        row |= {
            "document_type": PASSPORT,
            "document_series": f"{prefix} {issued.year % 100:02d}",
            "document_number": number,
            "document_issue_date": issued.isoformat(),
            "document_issuer": "ГУ МВД России по Приозёрской области",
        }
    else:
        issued = born + timedelta(days=rng.randint(3, 30))
        row |= {
            "document_type": BIRTH_CERTIFICATE,
            "document_series": f"{['I', 'II', 'III', 'IV'][n % 4]}-ДН{prefix}",
            "document_number": number,
            "document_issue_date": min(issued, today).isoformat(),
            "document_issuer": "Отдел ЗАГС Приозёрской области",
        }
    home = places.settlement(rng)
    row["registration_address"] = places.address(rng, home)
    if rng.random() < 0.12 and age >= 2:  # moved: an earlier registration
        row["previous_registration_address"] = places.address(rng)
        row["registration_address_from"] = _day_between(rng, born + timedelta(days=365), today).isoformat()
    if rng.random() < 0.15:
        row |= {"residence_address": places.address(rng, home), "residence_address_from": today.isoformat()}
    if rng.random() < 0.5 and age >= 12:
        row["phone"] = f"+7 9{rng.randint(0, 99):02d} {rng.randint(0, 999):03d}-{rng.randint(0, 9999):04d}"
    _insurance(row, rng, orgs, born, today)
    _attachment(row, rng, orgs, born, today)
    _employment(row, rng, born, age, today)
    if sex == "female" and age >= 20 and rng.random() < 0.55:  # married: the maiden name before
        row["previous_surname"] = names.surname_form(rng.choice(names.ALL_SURNAMES), "female")
        row["surname_from"] = _day_between(rng, born + timedelta(days=19 * 365), today).isoformat()
        if row["previous_surname"] == row["surname"]:
            del row["previous_surname"], row["surname_from"]
    death_odds = 0.06 if age >= 75 else 0.02 if age >= 60 else 0.002
    if rng.random() < death_odds:
        row["death_date"] = _day_between(rng, max(born, today - timedelta(days=5 * 365)), today).isoformat()
    return row


def _insurance(row: dict[str, Any], rng: random.Random, orgs: Organizations, born: date, today: date) -> None:
    if not orgs.insurers:
        return
    start = max(born, date(2011, 5, 1))
    insurer = rng.choice(orgs.insurers)
    row |= {"insurer": insurer, "policy_type": rng.choice(("3", "3", "4")), "policy_number": row["enp"]}
    if rng.random() < 0.08 and (today - start).days > 400:  # an earlier policy, maybe another insurer
        changed = _day_between(rng, start + timedelta(days=200), today - timedelta(days=100))
        row |= {
            "previous_insurer": rng.choice(orgs.insurers),
            "previous_policy_type": "1",
            "previous_policy_number": f"{rng.randint(10**9, 10**10 - 1)}",
            "previous_insurance_from": start.isoformat(),
            "insurance_from": changed.isoformat(),
        }
    else:
        row["insurance_from"] = start.isoformat()


def _attachment(
    row: dict[str, Any], rng: random.Random, orgs: Organizations, born: date, today: date
) -> None:
    if not orgs.mos:
        return
    mo = rng.choice(orgs.mos)
    areas = orgs.areas.get(mo) or [f"{k:02d}" for k in range(1, 11)]
    row |= {
        "mo": mo,
        "area_code": rng.choice(areas),
        "attached_from": _day_between(rng, max(born, date(2015, 1, 1)), today).isoformat(),
        "attachment_method": "application" if rng.random() < 0.7 else "territorial",
    }


def _employment(row: dict[str, Any], rng: random.Random, born: date, age: int, today: date) -> None:
    if 18 <= age < 65 and rng.random() < 0.7:
        since = _day_between(rng, born + timedelta(days=18 * 365), today)
        row |= {"employment_status": "working", "employment_from": since.isoformat()}
    else:
        row |= {
            "employment_status": "non_working",
            "employment_from": max(born, date(2011, 1, 1)).isoformat(),
        }
