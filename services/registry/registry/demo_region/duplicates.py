"""Planted duplicates: a second record of a person of the region, as registers get them — a
typo, the day and month swapped, the name in Latin letters, the maiden name of a married woman
(registered before the marriage), or the same person without SNILS. A duplicate never carries
the original's SNILS, ENP or document (those are unique in the register): it has a policy of
its own, as when a second policy was issued by mistake."""

from __future__ import annotations

import random
from datetime import date
from typing import Any

from registry.demo_region import names
from registry.demo_region.people import enp_of
from registry.person.dates import swapped_day_month

DISTORTIONS = ("typo", "swapped_date", "transliterated", "maiden_name", "no_snils")
_LETTERS = "абвгдеёжзиклмнопрстуфхцчшщыэюя"
# Identifier numbers of duplicates come from a range the originals never reach.
DUPLICATE_NUMBERS = 50_000_000
_KEEP = ("surname", "first_name", "patronymic", "birth_date", "sex", "birth_place", "registration_address")


def _typo(rng: random.Random, word: str) -> str:
    i = rng.randint(1, len(word) - 1)
    kind = rng.choice(("replace", "drop", "double", "swap"))
    if kind == "replace":
        return word[:i] + rng.choice(_LETTERS) + word[i + 1 :]
    if kind == "drop" and len(word) > 3:
        return word[:i] + word[i + 1 :]
    if kind == "swap" and i < len(word) - 1:
        return word[:i] + word[i + 1] + word[i] + word[i + 2 :]
    return word[:i] + word[i] + word[i:]


def duplicate(
    original: dict[str, Any], n: int, seed: int, distortion: str, orgs_row: dict[str, Any]
) -> tuple[dict[str, Any], str]:
    """A duplicate of ``original`` (the ``n``-th planted one) and the distortion it got."""
    rng = random.Random(f"{seed}:dup:{n}")  # noqa: S311  (synthetic data, reproducible by design)
    row = {k: original[k] for k in _KEEP if original.get(k)}
    row["enp"] = enp_of(DUPLICATE_NUMBERS + n, seed)
    row |= orgs_row
    row["policy_number"] = row["enp"]
    born = date.fromisoformat(original["birth_date"])
    if distortion == "swapped_date" and (swapped := swapped_day_month(born)) is not None:
        row["birth_date"] = swapped.isoformat()
    elif distortion == "transliterated":
        for key in ("surname", "first_name", "patronymic"):
            if row.get(key):
                row[key] = names.transliterate(row[key])
    elif distortion == "maiden_name" and original.get("previous_surname"):
        row["surname"] = original["previous_surname"]
    elif distortion == "no_snils":
        pass  # the same name and birth date, no SNILS, another policy
    else:
        distortion = "typo"
        key = "surname" if rng.random() < 0.6 else "first_name"
        row[key] = _typo(rng, row[key])
    return row, distortion


def planted_count(total: int) -> int:
    """About 1.5% of the region's records are planted duplicates (3,000 of 200,000)."""
    return total * 15 // 1000 if total >= 200 else 0
