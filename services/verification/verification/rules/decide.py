"""The outcome of one register person from the facts linked to it (decision 0009).

- dead: the months after the month of death (the month of death is paid: the person was
  insured on the day of death);
- missing: the whole months from the date of the declaration;
- military: the whole months of service (date_from..date_to, both days in service);
- entrepreneur: the whole months from registration to the day before termination (the day of
  termination is the first day without the status);
- employed: every month with employer contributions or employment income (sources state these
  per month);
- duplicate: every month of the period for the records a cluster does not keep;
- personal data changed (a name change, a passport replaced by a new one): ``update`` with the
  new data, nothing excluded; a passport invalid or lost: ``review``.

A month is excluded only when a reason covers every day of it; a month excluded for several
reasons is attributed to one, by ``EXCLUSION_PRIORITY``. A fact or pair in the review band
makes the outcome ``review`` (the operator's answer may change the months), unless the accepted
reasons already exclude every month of the period.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from verification.rules.duplicates import DuplicateVerdict
from verification.rules.model import (
    DEAD,
    DUPLICATE,
    EMPLOYED,
    ENTREPRENEUR,
    EXCLUSION_PRIORITY,
    INVALID_DOCUMENT,
    KIND_REASON,
    MILITARY,
    MISSING,
    PERSONAL_DATA_CHANGED,
    Evidence,
    ExcludedPeriod,
    Fact,
    LinkStatus,
    Outcome,
    OutcomeKind,
    RegisterPerson,
)
from verification.rules.months import Month, Period, as_ranges, period_months, touched_months, whole_months
from verification.rules.thresholds import ACCEPTED, Thresholds

REASON_ORDER: tuple[str, ...] = (*EXCLUSION_PRIORITY, PERSONAL_DATA_CHANGED, INVALID_DOCUMENT)
PASSPORT_REPLACED = "replaced"


def excluded_months(fact: Fact, period: Period) -> set[Month] | None:
    """The months of ``period`` the fact excludes; None when the fact lacks the date it needs."""
    reason = KIND_REASON.get(fact.kind)
    start = fact.date_from
    if start is None:
        return None
    if reason == DEAD:
        return whole_months(start + timedelta(days=1), None, period)
    if reason == MISSING:
        return whole_months(start, None, period)
    if reason == MILITARY:
        return whole_months(start, fact.date_to, period)
    if reason == ENTREPRENEUR:
        last = fact.date_to - timedelta(days=1) if fact.date_to is not None else None
        return whole_months(start, last, period) if last is None or last >= start else set()
    if reason == EMPLOYED:
        return touched_months(start, fact.date_to or Month.of(start).last_day, period)
    return set()


# Source attributes carrying new personal data → the register field they replace (the ZAGS
# name change: new_surname/new_first_name/new_patronymic; the MVD replaced passport:
# new_series/new_number).
NEW_DATA_FIELDS: dict[str, str] = {
    "new_surname": "surname",
    "new_first_name": "first_name",
    "new_patronymic": "patronymic",
    "new_doc_type": "doc_type",
    "new_series": "doc_series",
    "new_number": "doc_number",
    "new_doc_series": "doc_series",
    "new_doc_number": "doc_number",
}


def new_data(fact: Fact) -> dict[str, str]:
    """The new personal data a fact carries, by register field."""
    return {
        NEW_DATA_FIELDS[key]: value.strip()
        for key, value in fact.attributes.items()
        if key in NEW_DATA_FIELDS and value and value.strip()
    }


def decide(
    person: RegisterPerson,
    facts: Iterable[Fact],
    period: Period,
    thresholds: Thresholds,
    duplicate: DuplicateVerdict | None = None,
) -> Outcome:
    subject_id = person.unique_id
    facts = tuple(facts)
    if not facts and duplicate is None:
        return Outcome(subject_id, "keep", None, (), (), 0, ())
    evidence: list[Evidence] = []
    months: dict[str, set[Month]] = {}
    found: set[str] = set()
    review_reasons: set[str] = set()
    updates: dict[str, str] = {}

    for fact in sorted(facts, key=lambda f: (f.date_from or date.min, f.record_id)):
        reason = KIND_REASON.get(fact.kind)
        if reason is None:
            continue
        status = thresholds.for_kind(fact.kind).status(fact.match_probability, fact.decision)
        if status == "ignored":
            continue

        if status == "rejected":
            evidence.append(_evidence(fact, reason, status, "Отклонено оператором"))
            continue
        if reason in (PERSONAL_DATA_CHANGED, INVALID_DOCUMENT):
            data = new_data(fact)
            replaced = reason == PERSONAL_DATA_CHANGED or fact.attributes.get("reason") == PASSPORT_REPLACED
            if status in ACCEPTED and replaced and data:
                found.add(PERSONAL_DATA_CHANGED)
                updates.update(data)
                evidence.append(_evidence(fact, PERSONAL_DATA_CHANGED, status, None))
                continue
            why = reason if replaced else INVALID_DOCUMENT
            found.add(why)
            review_reasons.add(why)
            note = None
            if status != "review":
                note = "Нет новых персональных данных" if replaced else "Документ недействителен или утрачен"
            evidence.append(_evidence(fact, why, status, note))
            continue
        found.add(reason)
        if status == "review":
            review_reasons.add(reason)
            evidence.append(_evidence(fact, reason, status, None))
            continue
        covered = excluded_months(fact, period)
        if covered is None:
            review_reasons.add(reason)
            evidence.append(_evidence(fact, reason, status, "Не указана дата события"))
            continue
        months.setdefault(reason, set()).update(covered)
        evidence.append(
            _evidence(
                fact, reason, status, None if covered else "Ни одного полного месяца в проверяемом периоде"
            )
        )

    duplicate_of = None
    if duplicate is not None:
        evidence.extend(duplicate.evidence)
        if duplicate.needs_review:
            found.add(DUPLICATE)
            review_reasons.add(DUPLICATE)
        if duplicate.is_excluded(subject_id):
            found.add(DUPLICATE)
            duplicate_of = duplicate.keeper
            months[DUPLICATE] = set(period_months(period))

    periods = attribute(months)
    excluded = sum(p.months for p in periods)
    all_covered = excluded == len(period_months(period))
    outcome: OutcomeKind
    if review_reasons and not all_covered:
        outcome, reason = "review", _first(review_reasons)
    elif periods:
        outcome, reason = "exclude", periods_reason(periods)
    elif updates:
        outcome, reason = "update", PERSONAL_DATA_CHANGED
    else:
        outcome, reason = "keep", None
    return Outcome(
        subject_id=subject_id,
        outcome=outcome,
        reason=reason,
        reasons=tuple(r for r in REASON_ORDER if r in found),
        periods=tuple(periods),
        months_excluded=excluded,
        evidence=tuple(evidence),
        updates=updates,
        duplicate_of=duplicate_of,
    )


def _evidence(fact: Fact, reason: str, status: LinkStatus, note: str | None) -> Evidence:
    return Evidence(
        reason=reason,
        status=status,
        match_probability=fact.match_probability,
        pair_id=fact.pair_id,
        record_id=fact.record_id if fact.source is None else None,
        kind=fact.kind,
        date_from=fact.date_from,
        date_to=fact.date_to,
        note=note,
        source=fact.source,
    )


def attribute(months: dict[str, set[Month]]) -> list[ExcludedPeriod]:
    """Each excluded month to the highest-priority reason covering it; ranges per reason."""
    taken: set[Month] = set()
    out: list[ExcludedPeriod] = []
    for reason in EXCLUSION_PRIORITY:
        own = months.get(reason, set()) - taken
        taken |= own
        for first, last in as_ranges(own):
            count = (last.year - first.year) * 12 + last.month - first.month + 1
            out.append(ExcludedPeriod(reason, first.first_day, last.last_day, count))
    return sorted(out, key=lambda p: p.date_from)


def periods_reason(periods: list[ExcludedPeriod]) -> str:
    present = {p.reason for p in periods}
    return next(r for r in EXCLUSION_PRIORITY if r in present)


def _first(reasons: set[str]) -> str:
    return next(r for r in REASON_ORDER if r in reasons)
