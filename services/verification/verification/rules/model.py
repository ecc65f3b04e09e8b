"""Inputs and outputs of the outcome rules (plain data; the pipeline builds them from the
database and writes the outcomes back)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, Protocol

OutcomeKind = Literal["keep", "exclude", "update", "review"]
Decision = Literal["confirm", "reject"]
LinkStatus = Literal["auto", "review", "confirmed", "rejected", "ignored"]

# Outcome reasons (plan of issue 5).
DEAD = "dead"
DUPLICATE = "duplicate"
MILITARY = "military"
ENTREPRENEUR = "entrepreneur"
EMPLOYED = "employed"
MISSING = "missing"
PERSONAL_DATA_CHANGED = "personal_data_changed"
INVALID_DOCUMENT = "invalid_document"

# A month excluded for several reasons is attributed to the first of these (decision 0009).
EXCLUSION_PRIORITY: tuple[str, ...] = (DEAD, DUPLICATE, MILITARY, ENTREPRENEUR, EMPLOYED, MISSING)

# Source kinds (plan of issue 5) → the reason a linked fact gives.
KIND_REASON: Mapping[str, str] = {
    "zags.death": DEAD,
    "registry.death": DEAD,  # the registry's own record of the death (``verification.deaths``)
    "military.service": MILITARY,
    "fns.entrepreneur": ENTREPRENEUR,
    "fns.income": EMPLOYED,
    "sfr.contributions": EMPLOYED,
    "mvd.missing": MISSING,
    "zags.name_change": PERSONAL_DATA_CHANGED,
    "mvd.passport_invalid": INVALID_DOCUMENT,  # 'replaced' with the new document → update
}

# Russian names of the reasons, for reports and the review queue.
REASON_TITLES: Mapping[str, str] = {
    DEAD: "Умер",
    DUPLICATE: "Дублирующая запись",
    MILITARY: "Военнослужащий",
    ENTREPRENEUR: "Индивидуальный предприниматель",
    EMPLOYED: "Работающий",
    MISSING: "Признан безвестно отсутствующим",
    PERSONAL_DATA_CHANGED: "Изменены персональные данные",
    INVALID_DOCUMENT: "Недействительный документ",
}


class RegisterPerson(Protocol):
    """What the rules read of a register record (``linkage.records.PersonRecord`` fits)."""

    @property
    def unique_id(self) -> str: ...
    @property
    def surname(self) -> str | None: ...
    @property
    def first_name(self) -> str | None: ...
    @property
    def patronymic(self) -> str | None: ...
    @property
    def birth_date(self) -> date | None: ...
    @property
    def sex(self) -> str | None: ...
    @property
    def snils(self) -> str | None: ...
    @property
    def enp(self) -> str | None: ...
    @property
    def doc_type(self) -> str | None: ...
    @property
    def doc_series(self) -> str | None: ...
    @property
    def doc_number(self) -> str | None: ...


@dataclass(frozen=True, slots=True)
class Fact:
    """One source record linked to a register person by one candidate pair."""

    record_id: str  # source_record.id
    kind: str  # 'zags.death', 'sfr.contributions', …
    date_from: date | None
    date_to: date | None
    match_probability: float
    pair_id: str | None = None  # linkage_pair id
    attributes: Mapping[str, str] = field(default_factory=dict)
    decision: Decision | None = None  # the operator's, overrides the probability
    source: str | None = None  # Russian title of a source outside the answers (no record_id)


@dataclass(frozen=True, slots=True)
class DuplicatePair:
    """A candidate pair of two register records (within-register linkage)."""

    pair_id: str
    left: str  # subject ids
    right: str
    match_probability: float
    decision: Decision | None = None


@dataclass(frozen=True, slots=True)
class ExcludedPeriod:
    """Consecutive excluded months of one reason, within one calendar year."""

    reason: str
    date_from: date  # first day of the first month
    date_to: date  # last day of the last month
    months: int

    def as_json(self) -> dict[str, Any]:
        return {
            "reason": self.reason,
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "months": self.months,
        }


@dataclass(frozen=True, slots=True)
class Evidence:
    """A fact or a duplicate pair the outcome rests on, with the status the rules gave it."""

    reason: str
    status: LinkStatus
    match_probability: float
    pair_id: str | None = None
    record_id: str | None = None  # source_record id (facts)
    kind: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    other_subject_id: str | None = None  # duplicates: the other record of the pair
    note: str | None = None  # Russian: why the fact counted or not
    source: str | None = None  # Russian title of a source without a record (the registry)

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "reason": self.reason,
            "status": self.status,
            "match_probability": self.match_probability,
        }
        for key in ("pair_id", "record_id", "kind", "other_subject_id", "note", "source"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.date_from is not None:
            out["date_from"] = self.date_from.isoformat()
        if self.date_to is not None:
            out["date_to"] = self.date_to.isoformat()
        return out


@dataclass(frozen=True, slots=True)
class Outcome:
    subject_id: str
    outcome: OutcomeKind
    reason: str | None  # the main reason: the highest-priority reason with months, else the update/review one
    reasons: tuple[str, ...]  # every reason found, in priority order
    periods: tuple[ExcludedPeriod, ...]
    months_excluded: int
    evidence: tuple[Evidence, ...]
    updates: Mapping[str, str] = field(default_factory=dict)  # new personal data (update)
    duplicate_of: str | None = None  # the record kept in place of this one

    def months_by_reason(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for p in self.periods:
            out[p.reason] = out.get(p.reason, 0) + p.months
        return out

    def evidence_json(self) -> dict[str, Any]:
        return {
            "items": [e.as_json() for e in self.evidence],
            "updates": dict(self.updates),
            "duplicate_of": self.duplicate_of,
        }
