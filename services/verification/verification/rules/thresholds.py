"""Match-probability thresholds per source: auto-accept ≥ ``accept``, review from ``review`` up
to ``accept``, ignore below ``review``; an operator's decision on a pair overrides both."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from verification.rules.model import Decision, LinkStatus

REGISTER = "register"  # the key of within-register (duplicate) thresholds


@dataclass(frozen=True, slots=True)
class Threshold:
    accept: float
    review: float

    def __post_init__(self) -> None:
        if not 0.0 <= self.review <= self.accept <= 1.0:
            raise ValueError(f"thresholds must hold 0 ≤ review ≤ accept ≤ 1: {self.review}, {self.accept}")

    def status(self, probability: float, decision: Decision | None = None) -> LinkStatus:
        if decision == "confirm":
            return "confirmed"
        if decision == "reject":
            return "rejected"
        if probability >= self.accept:
            return "auto"
        if probability >= self.review:
            return "review"
        return "ignored"


@dataclass(frozen=True, slots=True)
class Thresholds:
    """``by_source`` is keyed by a source kind (``'zags.death'``), a source (``'zags'``) or
    ``'register'`` for duplicates; the most specific key wins, else ``default``."""

    default: Threshold = Threshold(accept=0.95, review=0.80)
    by_source: Mapping[str, Threshold] = field(default_factory=dict)

    def for_kind(self, kind: str) -> Threshold:
        if kind in self.by_source:
            return self.by_source[kind]
        source = kind.split(".", 1)[0]
        return self.by_source.get(source, self.default)


ACCEPTED: frozenset[LinkStatus] = frozenset({"auto", "confirmed"})
