"""Beneficiaries of the federal register matched to registry persons by SNILS
(docs/architecture.md «Pharmacy: beneficiaries»).

A beneficiary the federal register brought without a registry person (``person_id`` empty) is
given the person when the registry holds exactly one person with its SNILS and, when both are
known, the same birth date. Otherwise it stays unmatched with a reason: not found, several
persons, another birth date, or the person is already a beneficiary under another SNILS. The
registry is asked before the transaction (:func:`look_up`); the decisions are applied in it
(:func:`link`): no SQL here (``repository``), no commit."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.masking import mask_snils
from pharmacy.beneficiaries import repository
from pharmacy.beneficiaries.registry_persons import (
    NOT_CONFIGURED,
    RegistryPerson,
    RegistryPersons,
    RegistryUnavailable,
)
from pharmacy.models import Beneficiary

log = logging.getLogger("pharmacy.beneficiaries.register_match")

REASONS = {
    "not_found": "не найден в регистре застрахованных",
    "ambiguous": "в регистре застрахованных несколько лиц с этим СНИЛС",
    "birth_date_mismatch": "дата рождения не совпадает с регистром застрахованных",
    "other_snils": "лицо регистра застрахованных уже в регистре льготников с другим СНИЛС",
}
LINES_KEPT = 2000  # of the unmatched lines, the first ones are kept on the report (counts are all)


@dataclass(frozen=True)
class Lookup:
    """What the registry answered for the SNILS asked (``persons``), or why it was not asked
    (``title``/``detail``: not configured, unavailable)."""

    persons: dict[str, list[RegistryPerson]] | None
    title: str | None = None
    detail: str | None = None


NOT_ASKED = Lookup(None, NOT_CONFIGURED, "Сопоставление с регистром застрахованных не выполнялось")


async def look_up(registry: RegistryPersons | None, snils: Collection[str]) -> Lookup:
    """The registry's persons for ``snils`` (nothing asked when empty); a ``Lookup`` naming the
    reason when the registry cannot be asked — the load goes on without the matching."""
    if not snils:
        return Lookup({})
    if registry is None:
        return NOT_ASKED
    try:
        return Lookup(await registry.by_snils(snils))
    except RegistryUnavailable as exc:
        log.warning("registry persons unavailable", extra={"title": exc.title, "detail": exc.detail})
        return Lookup(None, exc.title, exc.detail)


def decide(found: list[RegistryPerson], birth_date: date | None) -> uuid.UUID | str:
    """The person a SNILS is matched to, else the reason (a key of ``REASONS``)."""
    if not found:
        return "not_found"
    if len({p.person_id for p in found}) > 1:
        return "ambiguous"
    person = found[0]
    if birth_date is not None and person.birth_date is not None and person.birth_date != birth_date:
        return "birth_date_mismatch"
    return person.person_id


@dataclass
class Outcome:
    """The matching's part of a load's (or a re-matching's) report."""

    status: str  # done | unavailable | not_needed
    title: str | None = None
    detail: str | None = None
    matched: int = 0  # given a person now
    unmatched: int = 0
    reasons: dict[str, int] = field(default_factory=dict)  # unmatched by reason (all, not only kept)
    persons: list[uuid.UUID] = field(default_factory=list)  # the persons matched now
    lines: list[dict[str, Any]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "title": self.title,
            "detail": self.detail,
            "matched": self.matched,
            "unmatched": self.unmatched,
            "reasons": self.reasons,
            "lines": self.lines,
        }


@dataclass(frozen=True)
class Candidate:
    """A SNILS to match: its birth date (the file's, else the beneficiary's) and its line."""

    snils: str
    birth_date: date | None
    line: int | None = None


async def link(
    session: AsyncSession,
    candidates: Iterable[Candidate],
    known: dict[str, Beneficiary],
    lookup: Lookup,
) -> tuple[Outcome, dict[str, uuid.UUID]]:
    """Apply the registry's answers to the beneficiaries ``known`` by SNILS (those without a
    person; those missing are yet to be created). Returns the report and, for SNILS with no
    beneficiary yet, the person to create it under. A person already a beneficiary (registered
    here by hand) takes the federal line: an unmatched beneficiary of the same SNILS is folded
    into it (entitlements, refusals, diagnoses moved) and ``known`` points at it."""
    wanted: dict[str, Candidate] = {}
    for c in candidates:  # one per SNILS (a person's lines of several categories), its first line
        held = known.get(c.snils)
        if (held is None or held.person_id is None) and c.snils not in wanted:
            wanted[c.snils] = c
    if not wanted:
        return Outcome("not_needed"), {}
    if lookup.persons is None:
        return Outcome("unavailable", lookup.title, lookup.detail, unmatched=len(wanted)), {}
    # A SNILS not asked (linked by another load meanwhile) is left as it is.
    decided = {s: decide(lookup.persons[s], c.birth_date) for s, c in wanted.items() if s in lookup.persons}
    owners = await repository.beneficiaries_by_persons(
        session, [p for p in decided.values() if isinstance(p, uuid.UUID)]
    )
    outcome = Outcome("done")
    create_under: dict[str, uuid.UUID] = {}
    taken: set[uuid.UUID] = set()

    def unmatched(c: Candidate, reason: str) -> None:
        outcome.unmatched += 1
        outcome.reasons[reason] = outcome.reasons.get(reason, 0) + 1
        if len(outcome.lines) < LINES_KEPT:
            outcome.lines.append(
                {
                    "line": c.line,
                    "snils_masked": mask_snils(c.snils),
                    "reason": reason,
                    "message": REASONS[reason],
                }
            )

    for c in wanted.values():
        if c.snils not in decided:
            continue
        person = decided[c.snils]
        if not isinstance(person, uuid.UUID):
            unmatched(c, person)
            continue
        held = known.get(c.snils)
        owner = owners.get(person)
        if person in taken or (owner is not None and owner.snils not in (None, c.snils)):
            unmatched(c, "other_snils")
            continue
        taken.add(person)
        if owner is None and held is None:
            create_under[c.snils] = person
        elif owner is None:
            assert held is not None
            held.person_id = person
        else:
            if held is not None and held is not owner:
                await repository.fold_into(session, held, owner)
            owner.snils = c.snils
            known[c.snils] = owner
        outcome.matched += 1
        outcome.persons.append(person)
    await session.flush()
    log.info(
        "federal register matched to the registry",
        extra={
            "matched": outcome.matched,
            "unmatched": outcome.unmatched,
            "unmatched_snils": [line["snils_masked"] for line in outcome.lines[:20]],
        },
    )
    return outcome, create_under
