"""Kinds of person facts and the draft of a fact about to be recorded.

Validity is shown to users as inclusive dates (``valid_from`` … ``valid_to``, as registers
write them) and stored as a half-open ``daterange`` ``[valid_from, valid_to + 1 day)``."""

from __future__ import annotations

import enum
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy.dialects.postgresql import Range


class FactKind(enum.StrEnum):
    name = "name"
    sex = "sex"
    birth = "birth"
    snils = "snils"
    enp = "enp"
    document = "document"
    address = "address"
    contact = "contact"
    death = "death"
    insurance = "insurance"
    attachment = "attachment"
    employment = "employment"


# The kinds the search projection (``person_search``) is built from.
PROJECTED = frozenset(
    {FactKind.name, FactKind.sex, FactKind.birth, FactKind.snils, FactKind.enp, FactKind.death}
)


@dataclass
class FactDraft:
    kind: FactKind
    valid_from: date
    data: dict[str, Any]
    valid_to: date | None = None  # inclusive; None: open-ended
    slot: str = ""
    key: str | None = None
    org_id: uuid.UUID | None = None
    reason: str | None = None
    corrects: int | None = None  # id of the fact this one replaces (a correction)
    field_prefix: str = ""  # where the fact came from in the request body, for error messages
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def valid(self) -> Range[date]:
        return to_range(self.valid_from, self.valid_to)


def to_range(valid_from: date, valid_to: date | None) -> Range[date]:
    upper = valid_to + timedelta(days=1) if valid_to is not None else None
    return Range(valid_from, upper, bounds="[)")


def range_bounds(valid: Range[date]) -> tuple[date, date | None]:
    """``(valid_from, valid_to)`` with an inclusive ``valid_to`` (None when open)."""
    assert valid.lower is not None
    return valid.lower, (valid.upper - timedelta(days=1)) if valid.upper is not None else None


def overlaps(a: Range[date], b: Range[date]) -> bool:
    a_lo, a_hi = a.lower, a.upper
    b_lo, b_hi = b.lower, b.upper
    assert a_lo is not None and b_lo is not None
    return (a_hi is None or b_lo < a_hi) and (b_hi is None or a_lo < b_hi)
