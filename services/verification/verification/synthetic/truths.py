"""What the synthetic register hides: the facts a verification run must find.

Source simulators answer from these truths; tests and benchmarks score the run
against them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

TRUTH_KINDS: tuple[str, ...] = (
    "dead",
    "employed",
    "entrepreneur",
    "military",
    "missing",
    "duplicate",
    "name_changed",
    "passport_replaced",
)


@dataclass(frozen=True, slots=True)
class PlantedTruth:
    subject_id: str  # PersonRecord.unique_id of the register record
    kind: str  # one of TRUTH_KINDS
    date_from: date | None
    date_to: date | None
    duplicate_of: str | None = None
    attributes: dict[str, str] = field(default_factory=dict)
