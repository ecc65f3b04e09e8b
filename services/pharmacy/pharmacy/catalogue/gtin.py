"""The GTIN-14 check of the catalogue: the marking module's GS1 helper decides the check digit."""

from __future__ import annotations

from pharmacy.marking.gs1 import complete_gtin


def gtin_problem(gtin: str) -> str | None:
    """Why ``gtin`` is not a GTIN-14, or None: 14 digits whose last is the GS1 check digit."""
    if len(gtin) != 14 or not gtin.isascii() or not gtin.isdigit():
        return f"GTIN «{gtin}»: нужно 14 цифр"
    expected = complete_gtin(gtin[:13])
    if expected != gtin:
        return f"Неверная контрольная цифра GTIN {gtin}: ожидалась {expected[-1]}, в коде {gtin[-1]}"
    return None
