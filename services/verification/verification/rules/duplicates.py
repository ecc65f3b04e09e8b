"""Duplicates within the register: clusters of accepted pairs and the record each keeps.

Accepted pairs (auto or confirmed) join records into clusters (one human, several records).
Each cluster keeps one record — the keeper — and every other record of it is excluded for the
whole period. The keeper is, in this order (decision 0009):

1. a record with an ENP (the policy number the fund pays against and the register is keyed on);
2. the most complete record (most of the person fields filled);
3. a record with a SNILS;
4. the smallest subject id (deterministic: the same cluster keeps the same record in every run).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from verification.linkage.records import PERSON_FIELDS
from verification.rules.model import DUPLICATE, DuplicatePair, Evidence, RegisterPerson
from verification.rules.thresholds import ACCEPTED, REGISTER, Thresholds

# The person fields a register record may fill (not its id; INN and district say nothing of
# whom the fund pays for).
COMPLETENESS_FIELDS: tuple[str, ...] = tuple(
    f for f in PERSON_FIELDS if f not in ("unique_id", "inn", "district")
)


@dataclass(frozen=True, slots=True)
class DuplicateVerdict:
    """What the within-register pairs say about one record."""

    keeper: str | None  # the record its cluster keeps (itself when it is the keeper); None: no accepted pair
    evidence: tuple[Evidence, ...]  # its pairs, accepted and in the review band

    def is_excluded(self, subject_id: str) -> bool:
        return self.keeper is not None and self.keeper != subject_id

    @property
    def needs_review(self) -> bool:
        return any(e.status == "review" for e in self.evidence)


def keeper_key(person: RegisterPerson) -> tuple[int, int, int, str]:
    """Sort key: the smallest is kept."""
    filled = sum(1 for name in COMPLETENESS_FIELDS if getattr(person, name) not in (None, ""))
    return (0 if person.enp else 1, -filled, 0 if person.snils else 1, person.unique_id)


def resolve_duplicates(
    pairs: Iterable[DuplicatePair],
    records: Mapping[str, RegisterPerson],
    thresholds: Thresholds,
) -> dict[str, DuplicateVerdict]:
    """A verdict for every record with a pair that is not ignored. ``records`` must hold every
    record named by a pair."""
    threshold = thresholds.for_kind(REGISTER)
    parent: dict[str, str] = {}

    def find(x: str) -> str:
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:  # path compression
            parent[x], x = root, parent[x]
        return root

    evidence: dict[str, list[Evidence]] = {}
    for pair in pairs:
        status = threshold.status(pair.match_probability, pair.decision)
        if status in ("ignored", "rejected") and pair.decision is None:
            continue
        for this, other in ((pair.left, pair.right), (pair.right, pair.left)):
            evidence.setdefault(this, []).append(
                Evidence(
                    reason=DUPLICATE,
                    status=status,
                    match_probability=pair.match_probability,
                    pair_id=pair.pair_id,
                    other_subject_id=other,
                )
            )
        if status in ACCEPTED:
            a, b = find(pair.left), find(pair.right)
            if a != b:
                parent[a] = b

    clusters: dict[str, list[str]] = {}
    for subject in evidence:
        if subject in parent or any(e.status in ACCEPTED for e in evidence[subject]):
            clusters.setdefault(find(subject), []).append(subject)
    keeper_of: dict[str, str] = {}
    for members in clusters.values():
        keeper = min(members, key=lambda s: keeper_key(records[s]))
        for member in members:
            keeper_of[member] = keeper
    return {
        subject: DuplicateVerdict(keeper=keeper_of.get(subject), evidence=tuple(items))
        for subject, items in evidence.items()
    }
