"""How a second record of the same person differs from the first: the errors of data entry
and the changes of life that make duplicates in a register."""

from __future__ import annotations

import random
from dataclasses import replace
from datetime import date

from oms_kit.synthetic_names import ALL_SURNAMES, surname_form, transliterate
from verification.linkage.records import PersonRecord

_LETTERS = "абвгдежзиклмнопрстуфхцчшщыэюя"
# Letters confused by ear or on the keyboard.
_CONFUSED = {
    "е": "ё",
    "ё": "е",
    "и": "й",
    "й": "и",
    "а": "о",
    "о": "а",
    "ш": "щ",
    "щ": "ш",
    "ь": "ъ",
    "т": "д",
}


def typo(text: str, rng: random.Random) -> str:
    """One letter substituted, dropped, doubled or two neighbours transposed."""
    if len(text) < 3:
        return text + rng.choice(_LETTERS)
    i = rng.randrange(1, len(text) - 1)
    kind = rng.random()
    ch = text[i]
    if kind < 0.4:
        new = _CONFUSED.get(ch.lower(), rng.choice(_LETTERS))
        return text[:i] + new + text[i + 1 :]
    if kind < 0.6:
        return text[:i] + text[i + 1 :]
    if kind < 0.8:
        return text[:i] + ch + text[i:]
    return text[: i - 1] + text[i] + text[i - 1] + text[i + 1 :]


def swapped_day_month(d: date) -> date | None:
    """The date with day and month exchanged, or None when that is no date or the same one."""
    if d.day > 12 or d.day == d.month:
        return None
    return date(d.year, d.day, d.month)


def digit_typo(d: date, rng: random.Random, latest: date) -> date:
    """A date with one digit mistyped: a valid date, different from ``d``, not after ``latest``."""
    for _ in range(20):
        text = d.strftime("%Y%m%d")
        i = rng.choice([3, 3, 6, 7, 7])  # the last digit of the year, or a digit of the day
        text = text[:i] + str(rng.randrange(10)) + text[i + 1 :]
        try:
            candidate = date(int(text[:4]), int(text[4:6]), int(text[6:]))
        except ValueError:
            continue
        if candidate != d and candidate <= latest:
            return candidate
    return date(d.year, d.month, 1 if d.day != 1 else 2)


def married_surname(record: PersonRecord, rng: random.Random) -> str:
    """Another surname in its female form (a marriage between the two records)."""
    while True:
        base = rng.choice(ALL_SURNAMES)
        new = surname_form(base, "female")
        if new != record.surname:
            return new


def distort(
    record: PersonRecord, kind: str, rng: random.Random, unique_id: str, latest: date
) -> tuple[PersonRecord, str]:
    """A duplicate of ``record`` of the given kind; returns it and the kind really applied."""
    dup = replace(record, unique_id=unique_id)
    if kind == "married_surname" and record.sex != "female":
        kind = "typo"
    if kind == "swapped_day_month":
        swapped = swapped_day_month(record.birth_date) if record.birth_date else None
        if swapped is None:
            kind = "date_typo"
        else:
            dup = replace(dup, birth_date=swapped)
    if kind == "date_typo" and record.birth_date:
        dup = replace(dup, birth_date=digit_typo(record.birth_date, rng, latest))
    if kind == "typo":
        field = rng.choice(["surname", "first_name", "patronymic"])
        if field == "surname":
            dup = replace(dup, surname=typo(record.surname or "", rng))
        elif field == "first_name":
            dup = replace(dup, first_name=typo(record.first_name or "", rng))
        else:
            dup = replace(dup, patronymic=typo(record.patronymic or "", rng))
    elif kind == "latin":
        dup = replace(
            dup,
            surname=transliterate(record.surname or ""),
            first_name=transliterate(record.first_name or ""),
            patronymic=transliterate(record.patronymic or ""),
        )
    elif kind == "married_surname":
        dup = replace(dup, surname=married_surname(record, rng))
    elif kind == "missing_snils":
        dup = replace(dup, snils=None)
    return dup, kind
