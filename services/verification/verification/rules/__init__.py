"""Date-aware outcome rules (pure functions, no database): from the facts linked to a register
person and the duplicate pairs within the register to keep / exclude / update / review, with
the excluded months, the reasons and the evidence. Decision 0009.

Use::

    verdicts = resolve_duplicates(duplicate_pairs, records_by_subject, thresholds)
    outcome = decide(person, facts_of_person, Period(date(2026, 1, 1), date(2026, 12, 31)),
                     thresholds, verdicts.get(person.unique_id))

A person without facts and pairs is ``keep`` at once (about 5 µs); a linked one about 50 µs.
The SQL beside the rules (writing outcomes by COPY, operators' decisions by pair key) is in
``verification.rules.repository``; nothing here imports it.
"""

from verification.rules.decide import decide, excluded_months
from verification.rules.duplicates import DuplicateVerdict, keeper_key, resolve_duplicates
from verification.rules.model import (
    EXCLUSION_PRIORITY,
    KIND_REASON,
    REASON_TITLES,
    DuplicatePair,
    Evidence,
    ExcludedPeriod,
    Fact,
    Outcome,
    RegisterPerson,
)
from verification.rules.months import Month, Period
from verification.rules.pair_keys import duplicate_pair_key, source_pair_key
from verification.rules.thresholds import REGISTER, Threshold, Thresholds

__all__ = [
    "EXCLUSION_PRIORITY",
    "KIND_REASON",
    "REASON_TITLES",
    "REGISTER",
    "DuplicatePair",
    "DuplicateVerdict",
    "Evidence",
    "ExcludedPeriod",
    "Fact",
    "Month",
    "Outcome",
    "Period",
    "RegisterPerson",
    "Threshold",
    "Thresholds",
    "decide",
    "duplicate_pair_key",
    "excluded_months",
    "keeper_key",
    "resolve_duplicates",
    "source_pair_key",
]
