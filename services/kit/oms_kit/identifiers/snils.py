"""СНИЛС: 11 digits, nine of the number and two of the check number.

The algorithm of the Pension Fund (ПФР; published with the reporting formats, e.g. the
information of ПФР on the reporting of insurers, section "Алгоритм формирования контрольного
числа Страхового номера"):

- each of the nine digits is multiplied by its position counted from the end (9 … 1) and
  the products are summed;
- a sum below 100 is the check number itself; 100 and 101 give ``00``; above 101 the sum is
  taken modulo 101 and the same rule applies to the remainder (so 100 → ``00`` again);
- numbers up to 001-001-998 were issued before the rule and have no check: any check number
  is accepted for them."""

from __future__ import annotations

import re
from operator import mul

# Numbers not greater than this were issued without a check number.
UNCHECKED_UP_TO = 1_001_998
_WEIGHTS = (9, 8, 7, 6, 5, 4, 3, 2, 1)
_ZERO_SUM = ord("0") * sum(_WEIGHTS)  # the ASCII codes of the digits carry 48 each


def digits_of(value: str) -> str:
    """The digits of a SNILS as people write it (``123-456-789 01``)."""
    return re.sub(r"[\s-]", "", value)


def snils_check_number(number: str) -> str:
    """The two-digit check number of the first nine digits."""
    if len(number) != 9 or not number.isascii() or not number.isdigit():
        raise ValueError("нужно девять цифр номера")
    # On the ASCII codes of the digits (one pass in C; bulk register files check millions).
    total = sum(map(mul, number.encode(), _WEIGHTS)) - _ZERO_SUM
    if total > 101:
        total %= 101
    return "00" if total in (100, 101) else f"{total:02d}"


def snils_is_valid(value: str) -> bool:
    """``value`` is 11 digits (separators allowed) with a correct check number."""
    digits = digits_of(value)
    if len(digits) != 11 or not digits.isascii() or not digits.isdigit():
        return False
    if int(digits[:9]) <= UNCHECKED_UP_TO:
        return True
    return digits[9:] == snils_check_number(digits[:9])


def complete_snils(number: str) -> str:
    """The full SNILS of nine digits (demo data, tests)."""
    return number + snils_check_number(number)


def format_snils(value: str) -> str:
    """``12345678901`` → ``123-456-789 01``."""
    d = digits_of(value)
    return f"{d[:3]}-{d[3:6]}-{d[6:9]} {d[9:]}" if len(d) == 11 else value
