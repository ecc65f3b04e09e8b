"""The entitlement facts as the set-based reads return them (the dispense's one statement, the
control's chunk statement): each entitlement with its category as one composite
``row(category_code, valid_from, valid_to, name, funding_source, drug_list_code,
discount_percent, icd10, in_kind_refusable)`` — turned here into the pairs
``beneficiaries.service.entitlement_from`` decides with."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any


@dataclass(frozen=True, slots=True)
class EntitlementRow:
    category_code: str
    valid_from: date
    valid_to: date | None


@dataclass(frozen=True, slots=True)
class CategoryRow:
    code: str
    name: str
    funding_source: str
    drug_list_code: str
    discount_percent: int
    icd10: list[str]
    in_kind_refusable: bool


def entitlement_pairs(rows: Iterable[Sequence[Any]] | None) -> tuple[tuple[EntitlementRow, CategoryRow], ...]:
    return tuple(
        (
            EntitlementRow(e[0], e[1], e[2]),
            CategoryRow(e[0], e[3], e[4], e[5], e[6], list(e[7] or ()), e[8]),
        )
        for e in rows or ()
    )
