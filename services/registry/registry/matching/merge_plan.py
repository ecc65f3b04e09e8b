"""What a merge does to the facts, decided without the database (unit-tested on its own).

The merged person's current facts are replayed onto the survivor, kind by kind:

- birth, sex, death (one value for a life): copied only when the survivor has none;
- every other kind (name, SNILS, ENP, documents, addresses, contacts, insurance, attachment,
  employment), per slot:
  - **succession**: an open-ended fact of the merged person that began after its birth (a
    real change: a married name, a new passport, a new attachment) and after the survivor's
    open-ended fact of the same slot ends that fact the day before (as ``history.py`` does
    for a change recorded by hand);
  - otherwise **the survivor's fact wins** where both cover the same days; the days only the
    merged person covered are copied (an older passport becomes the survivor's previous one).
Everything the merged person held stays in its own rows, closed at the merge instant."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from registry.models.person import PersonFact
from registry.person.facts import FactKind

Span = tuple[date, date | None]  # [lower, upper), None: open-ended
LIFELONG = frozenset({FactKind.birth.value, FactKind.sex.value, FactKind.death.value})


@dataclass
class MergePlan:
    shorten: list[tuple[PersonFact, Span]] = field(default_factory=list)  # survivor facts cut short
    copy: list[tuple[PersonFact, Span]] = field(default_factory=list)  # merged facts → survivor
    kept_apart: list[PersonFact] = field(default_factory=list)  # merged facts not copied


def span(fact: PersonFact) -> Span:
    assert fact.valid.lower is not None
    return fact.valid.lower, fact.valid.upper


def subtract(pieces: list[Span], cut: Span) -> list[Span]:
    """``pieces`` without the days of ``cut``."""
    out: list[Span] = []
    c_lo, c_hi = cut
    for lo, hi in pieces:
        if (hi is not None and hi <= c_lo) or (c_hi is not None and c_hi <= lo):
            out.append((lo, hi))
            continue
        if lo < c_lo:
            out.append((lo, c_lo))
        if c_hi is not None and (hi is None or c_hi < hi):
            out.append((c_hi, hi))
    return out


def plan_merge(
    survivor_facts: Sequence[PersonFact], merged_facts: Sequence[PersonFact], *, merged_birth: date | None
) -> MergePlan:
    plan = MergePlan()
    held: dict[tuple[str, str], list[tuple[PersonFact | None, Span]]] = {}
    for fact in survivor_facts:
        held.setdefault((fact.kind, fact.slot), []).append((fact, span(fact)))
    survivor_kinds = {f.kind for f in survivor_facts}
    for fact in sorted(merged_facts, key=lambda f: (f.kind, f.slot, span(f)[0])):
        if fact.kind in LIFELONG:
            if fact.kind in survivor_kinds:
                plan.kept_apart.append(fact)
            else:
                plan.copy.append((fact, span(fact)))
            continue
        lo, hi = span(fact)
        slot = held.setdefault((fact.kind, fact.slot), [])
        a_change = hi is None and merged_birth is not None and lo > merged_birth
        pieces: list[Span] = [(lo, hi)]
        for i, (own, own_span) in enumerate(slot):
            own_lo, own_hi = own_span
            if own is not None and a_change and own_hi is None and own_lo < lo:
                plan.shorten.append((own, (own_lo, lo)))
                slot[i] = (None, (own_lo, lo))  # now ends the day before
                continue
            pieces = subtract(pieces, slot[i][1])
        if not pieces:
            plan.kept_apart.append(fact)
        for piece in pieces:
            plan.copy.append((fact, piece))
            slot.append((None, piece))
    return plan
