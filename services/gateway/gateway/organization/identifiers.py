"""Russian organization identifiers with their check digits: ИНН (10 digits for a legal
entity, 12 for an individual) and ОГРН (13 digits, ОГРНИП 15)."""

from __future__ import annotations

_INN10 = (2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_1 = (7, 2, 4, 10, 3, 5, 9, 4, 6, 8)
_INN12_2 = (3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8)


def _inn_digit(digits: str, weights: tuple[int, ...]) -> str:
    return str(sum(int(d) * w for d, w in zip(digits, weights, strict=False)) % 11 % 10)


def inn_is_valid(value: str) -> bool:
    if not value.isdigit() or not value.isascii():
        return False
    if len(value) == 10:
        return value[9] == _inn_digit(value, _INN10)
    if len(value) == 12:
        return value[10] == _inn_digit(value, _INN12_1) and value[11] == _inn_digit(value, _INN12_2)
    return False


def ogrn_is_valid(value: str) -> bool:
    if not value.isdigit() or not value.isascii():
        return False
    if len(value) == 13:
        return value[12] == str(int(value[:12]) % 11 % 10)
    if len(value) == 15:
        return value[14] == str(int(value[:14]) % 13 % 10)
    return False


def complete_inn(first_nine: str) -> str:
    """A legal entity's INN from its first nine digits (used to build demo data)."""
    return first_nine + _inn_digit(first_nine, _INN10)


def complete_ogrn(first_twelve: str) -> str:
    return first_twelve + str(int(first_twelve) % 11 % 10)
