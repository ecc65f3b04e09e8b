"""Who the demo beneficiaries are on paper: name, birth date, sex, SNILS and policy as the
federal register and the prescription forms carry them. Derived from the person id alone (its
own random stream), so the register and the prescriptions agree. The demo patient is the
registry's (registry/demo.py ``DEMO_PATIENT``); the other persons' names are synthetic here
and not the registry's synthetic names of the same ids (the registry does not publish them)."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from oms_kit.identifiers.enp import complete_enp
from oms_kit.identifiers.snils import complete_snils
from oms_kit.synthetic_names import ALL_SURNAMES, FEMALE_NAMES, MALE_NAMES, patronymic, surname_form


@dataclass(frozen=True)
class Identity:
    surname: str
    first_name: str
    patronymic: str
    birth_date: date
    sex: str
    snils: str
    policy_number: str

    @property
    def full_name(self) -> str:
        return f"{self.surname} {self.first_name} {self.patronymic}"


DEMO_PATIENT_IDENTITY = Identity(
    "Иванов", "Иван", "Иванович", date(1980, 5, 14), "male", "11223344595", "9999000000000012"
)


def identity(person_id: uuid.UUID, n: int, categories: tuple[str, ...], today: date) -> Identity:
    """The ``n``-th demo beneficiary (``n`` ≥ 1 keeps SNILS and policy unique), of an age that
    fits their categories (a child of the first three years, a disabled child, a veteran of the
    Great Patriotic War or of the home front)."""
    rng = random.Random(person_id.int)  # noqa: S311 (demo data, reproducible)
    if "r-child-3" in categories:
        years = (0, 2)
    elif "084" in categories:
        years = (3, 17)
    elif any(c in categories for c in ("010", "020", "r-home-front")):
        years = (82, 99)
    else:
        years = (24, 88)
    born = today - timedelta(days=rng.randint(years[0] * 365 + 30, years[1] * 365 + 300))
    sex = "male" if rng.random() < 0.45 else "female"
    base = rng.choice(ALL_SURNAMES)
    return Identity(
        surname=surname_form(base, sex),
        first_name=rng.choice(MALE_NAMES if sex == "male" else FEMALE_NAMES),
        patronymic=patronymic(rng.choice(MALE_NAMES), sex),
        birth_date=born,
        sex=sex,
        snils=complete_snils(f"{700_000_000 + n * 7919:09d}"),
        policy_number=complete_enp(f"99{880_000_000 + n:013d}"),
    )
