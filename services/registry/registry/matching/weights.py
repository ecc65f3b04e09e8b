"""Fellegi–Sunter weights: for each field and agreement level, ``log2(m / u)`` where ``m`` is
the probability of that level when the two records are the same person and ``u`` when they
are two different persons.

How the numbers were chosen (docs/decisions/0008-person-merge.md has the worked examples):

- ``u`` of an exact name agreement is the share of the register holding a common value:
  the most frequent Russian surnames hold ~0.5 % of people, first names ~4 %, patronymics
  ~5.5 %; a birth date is shared by 1 in ~25,600 (365 days x ~70 birth years).
- ``u`` of a birth-date level is the number of dates at that level times that chance: one
  date for *swapped*, and only for the 36 % of dates whose day is 12 or less and not equal to
  the month (1.4e-5); ~33 dates one digit away within 1900–today (1.3e-3); ~1.2 valid dates with
  two neighbouring digits exchanged (5e-5).
- ``m`` of exact agreement is what survives data entry: 86-92 % of true duplicates spell a
  part identically, the rest carry a typo (close), a transliteration, a married name.
- SNILS and ENP are personal and for life (``u`` ≈ 1e-7); a valid SNILS that differs almost
  never belongs to the same person (checksum-validated, ``m`` 0.002), an ENP may have been
  reissued (``m`` 0.05), a passport replaced at 20 and 45 (``m`` 0.3).
- A woman's surname disagreeing is weaker evidence (a married name, ``m`` 0.1) than a man's.

The grades are thresholds on the total, set on the examples in the decision record and the
unit tests: an identical full name, birth date and sex (31.5) is *probable*, never *certain*
without an identifier (namesakes exist); twins (same surname, patronymic and birth date,
another first name: 21.5) stay *possible*."""

from __future__ import annotations

import enum
import math


class Grade(enum.StrEnum):
    certain = "certain"
    probable = "probable"
    possible = "possible"


CERTAIN = 36.0
PROBABLE = 23.0
POSSIBLE = 16.0

# field → level → (m, u)
M_U: dict[str, dict[str, tuple[float, float]]] = {
    "surname": {
        "exact": (0.86, 0.0047),
        "part": (0.03, 0.0006),  # one part of a double surname
        "former": (0.03, 0.0009),  # a maiden or earlier surname from the name history
        "close": (0.06, 0.0027),  # one typo
        "similar": (0.02, 0.01),
        "disagree": (0.03, 0.98),
        "disagree_female": (0.10, 0.98),
    },
    "first_name": {
        "exact": (0.90, 0.04),
        "close": (0.06, 0.01),
        "similar": (0.02, 0.02),
        "disagree": (0.02, 0.93),
    },
    "patronymic": {
        "exact": (0.88, 0.055),
        "close": (0.07, 0.015),
        "similar": (0.02, 0.02),
        "disagree": (0.03, 0.93),
    },
    "birth_date": {
        "exact": (0.91, 3.9e-5),
        "swapped": (0.03, 1.4e-5),  # day and month exchanged (a swappable date: 36 % of them)
        "one_digit": (0.03, 0.0013),  # one digit of ДДММГГГГ differs (~33 such dates)
        "transposed": (0.01, 5e-5),  # two neighbouring digits exchanged (~1.2 such dates)
        "disagree": (0.02, 0.9986),
    },
    "sex": {"agree": (0.98, 0.5), "disagree": (0.02, 0.5)},
    "snils": {"exact": (0.97, 1e-7), "disagree": (0.002, 1.0)},
    "enp": {"exact": (0.95, 1e-7), "disagree": (0.05, 1.0)},
    "document": {"exact": (0.90, 1e-6), "disagree": (0.30, 1.0)},
}

WEIGHTS: dict[str, dict[str, float]] = {
    field: {level: round(math.log2(m / u), 2) for level, (m, u) in levels.items()}
    for field, levels in M_U.items()
}


def grade_of(score: float, *, snils_conflict: bool) -> Grade | None:
    """The grade of a total; two different valid SNILS cap it at *possible*: one person has
    one SNILS for life, so such a pair is for a human to look at, never to refuse on."""
    if score >= CERTAIN and not snils_conflict:
        return Grade.certain
    if score >= PROBABLE and not snils_conflict:
        return Grade.probable
    if score >= POSSIBLE:
        return Grade.possible
    return None


GRADE_THRESHOLDS = {Grade.certain: CERTAIN, Grade.probable: PROBABLE, Grade.possible: POSSIBLE}
