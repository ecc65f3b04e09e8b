"""The rules of the review queue (no SQL): which pairs wait for an operator, what a decision
does.

Two operators deciding one pair at once: the pair row is locked without waiting, so the second
gets 409 at once (``PAIR_BEING_DECIDED``); one who comes after the first committed, with the
status the queue showed (``expected_status``), gets 409 too (``PAIR_DECIDED_MEANWHILE``). Exactly
one decision is recorded and audited.

A decision is recorded by the pair's stable key (``review_decision``, D's
``ReviewDecisionRepository``), so it holds for the same pair in later runs. Deciding a pair
again with the other answer adds a new record and the **latest wins** (this run's outcome is
decided again now, later runs read the newest record); repeating the latest answer records
nothing. After the decision the rules (``verification.rules.decide``) decide again the outcome
of the pair's person — for a duplicate pair of every record of its group, since the keeper may
change — the run's counts are refreshed, the change is audited, and a person who becomes
excluded is announced with ``verification.person.excluded`` (with the registry person when the
subject is one, as the run's own events), one whose exclusion the decision lifts (excluded
before, kept now) with ``verification.person.reinstated``, in the decision's transaction."""

from __future__ import annotations

import uuid
from collections import defaultdict
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.audit import audit_access, audit_access_many
from oms_kit.auth import Principal
from oms_kit.errors import Conflict, NotFound
from oms_kit.events import add_event
from oms_kit.pagination import Page, PageParams
from verification.events.published import PersonExcluded, PersonReinstated
from verification.review.access import visible_run
from verification.review.repository import DUPLICATE, PairRow, ReviewRepository
from verification.review.schemas import (
    Decision,
    DecisionIn,
    DecisionRead,
    ReviewItem,
    SourceRecordRead,
    SubjectOutcomeRead,
)
from verification.rules import (
    KIND_REASON,
    REASON_TITLES,
    DuplicatePair,
    Period,
    Thresholds,
    decide,
    resolve_duplicates,
)
from verification.rules.repository import OutcomeRepository, ReviewDecisionRepository
from verification.runs.person_events import PersonEventRepository
from verification.runs.pipeline_repository import PipelineRepository
from verification.runs.schemas import RegisterPersonRead
from verification.runs.stages import DECISIONS

PAIR_NOT_FOUND = "Пара сопоставления не найдена в этой проверке"
NOT_FOR_REVIEW = "Пара ниже порога проверки и правилами не используется"
PAIR_BEING_DECIDED = (
    "По этой паре сейчас принимает решение другой оператор: обновите очередь и проверьте его решение"
)
PAIR_DECIDED_MEANWHILE = (
    "Пару уже решил другой оператор (сейчас она {status}): обновите очередь и проверьте его решение"
)
STATUS_TITLES: dict[str, str] = {
    "review": "на проверке",
    "auto": "принята автоматически",
    "confirmed": "подтверждена",
    "rejected": "отклонена",
}
# Any pair the rules use: in the review band, accepted automatically (the operator may overrule
# it), or decided before.
DECIDABLE = frozenset({"review", "auto", "confirmed", "rejected"})
STATUS_OF: dict[str, str] = {"confirm": "confirmed", "reject": "rejected"}
SOURCE = "verification"


def _reason(kind: str | None) -> str:
    return KIND_REASON.get(kind or "", DUPLICATE) if kind else DUPLICATE


async def list_reviews(
    session: AsyncSession,
    principal: Principal,
    run_id: uuid.UUID,
    paging: PageParams,
    *,
    state: str,
    reason: str | None,
    source: str | None,
) -> Page[ReviewItem]:
    await visible_run(session, principal, run_id, finished=False)
    repo = ReviewRepository(session)
    rows, total = await repo.page(
        run_id, state=state, reason=reason, source=source, limit=paging.limit, offset=paging.offset
    )
    subjects = {r["subject_id"] for r in rows} | {
        r["other_subject_id"] for r in rows if r["other_subject_id"]
    }
    persons = await repo.persons(run_id, sorted(subjects))
    records = await repo.source_records([r["source_record_id"] for r in rows if r["source_record_id"]])
    # Both register records of every pair shown are personal data: who saw them is recorded.
    await audit_access_many(
        session,
        principal,
        sorted(subjects),
        action="read",
        resource=f"verification_run:{run_id}:reviews",
        reason="Очередь проверки пар сопоставления",
    )
    items = []
    for r in rows:
        reason_code = _reason(r["kind"])
        other = r["other_subject_id"]
        record = records.get(r["source_record_id"]) if r["source_record_id"] else None
        items.append(
            ReviewItem(
                pair_id=r["id"],
                pair_key=r["pair_key"],
                subject_id=r["subject_id"],
                reason=reason_code,
                reason_title=REASON_TITLES.get(reason_code, reason_code),
                source=r["source"],
                match_probability=r["match_probability"],
                match_weight=r["match_weight"],
                status=r["status"],
                outcome=r["outcome"],
                outcome_reason=r["outcome_reason"],
                person=RegisterPersonRead(**persons[r["subject_id"]]),
                other_person=RegisterPersonRead(**persons[other]) if other in persons else None,
                other_subject_id=other,
                source_record=SourceRecordRead(**record) if record is not None else None,
                evidence=r["evidence"] or {},
                decision=r["decision"],
                decided_by=r["decided_by"],
                decided_at=r["decided_at"],
                comment=r["comment"],
            )
        )
    return Page[ReviewItem](items=items, total=total, limit=paging.limit, offset=paging.offset)


def _component(pairs: list[DuplicatePair], start: set[str]) -> set[str]:
    """The records joined to ``start`` by any duplicate pair of the run (their group may get
    another keeper when one pair changes)."""
    links: dict[str, set[str]] = defaultdict(set)
    for p in pairs:
        links[p.left].add(p.right)
        links[p.right].add(p.left)
    seen, todo = set(start), list(start)
    while todo:
        for other in links[todo.pop()]:
            if other not in seen:
                seen.add(other)
                todo.append(other)
    return seen


async def _decide_again(
    session: AsyncSession,
    run_id: uuid.UUID,
    period: Period,
    affected: set[str],
    decided_by: str,
    thresholds: Thresholds,
) -> None:
    """The outcomes of ``affected`` (the pair's person, or its duplicate group) decided again by
    the rules and written; the run's counts refreshed."""
    pipeline = PipelineRepository(session)
    duplicates = [p for p in await pipeline.duplicate_pairs(run_id) if p.left in affected]
    subjects = [uuid.UUID(s) for s in sorted(affected)]
    people = await pipeline.persons(run_id, subjects)
    verdicts = resolve_duplicates(duplicates, people, thresholds)
    facts = await pipeline.facts(run_id, subjects)
    outcomes = [
        decide(people[s], facts.get(s, ()), period, thresholds, verdicts.get(s))
        for s in sorted(affected)
        if s in people
    ]
    await OutcomeRepository(session).replace(run_id, outcomes, decided_by=decided_by)
    await pipeline.finish_stage(run_id, DECISIONS, await pipeline.outcome_counts(run_id))


async def _affected(session: AsyncSession, run_id: uuid.UUID, pair: PairRow) -> list[uuid.UUID]:
    """The pair's person and every record of its duplicate group: the keeper may change, and a
    record of a group is decided with the whole group's verdict."""
    duplicates = await PipelineRepository(session).duplicate_pairs(run_id)
    start = {str(pair.subject_id)} | ({str(pair.other_subject_id)} if pair.other_subject_id else set())
    return [uuid.UUID(s) for s in sorted(_component(duplicates, start))]


def _outcome_read(subject_id: uuid.UUID, row: dict[str, Any] | None) -> SubjectOutcomeRead:
    if row is None:
        return SubjectOutcomeRead(
            subject_id=subject_id,
            outcome="keep",
            reason=None,
            reasons=[],
            periods=[],
            months_excluded=0,
            duplicate_of=None,
            decided_by="rule",
        )
    return SubjectOutcomeRead(
        subject_id=subject_id,
        outcome=row["outcome"],
        reason=row["reason"],
        reasons=list(row["reasons"] or []),
        periods=list(row["periods"] or []),
        months_excluded=row["months_excluded"],
        duplicate_of=row["duplicate_of"],
        decided_by=row["decided_by"],
    )


async def decide_pair(
    session: AsyncSession,
    principal: Principal,
    run_id: uuid.UUID,
    pair_id: uuid.UUID,
    body: DecisionIn,
    thresholds: Thresholds,
) -> DecisionRead:
    """``thresholds``: the run job's (the app's ``RunPipeline``), so the outcome is decided again
    as the run decided it."""
    run = await visible_run(session, principal, run_id)
    repo = ReviewRepository(session)
    # The pair first, without waiting (two operators on one pair: the second is told at once),
    # then the run (decisions on one run one at a time, see ``lock_run``).
    pair = await repo.lock_pair(run_id, pair_id)
    if pair is None:
        if await repo.pair_exists(run_id, pair_id):
            raise Conflict(PAIR_BEING_DECIDED)
        raise NotFound(PAIR_NOT_FOUND)
    await repo.lock_run(run_id)
    if pair.status not in DECIDABLE:
        raise Conflict(NOT_FOR_REVIEW)
    if body.expected_status is not None and body.expected_status != pair.status:
        raise Conflict(PAIR_DECIDED_MEANWHILE.format(status=STATUS_TITLES.get(pair.status, pair.status)))
    decision: Decision = body.decision
    status = STATUS_OF[decision]
    decisions = ReviewDecisionRepository(session)
    latest = (await decisions.latest([pair.pair_key])).get(pair.pair_key)
    subjects = [pair.subject_id, *([pair.other_subject_id] if pair.other_subject_id else [])]
    if latest == decision and pair.status == status:
        outcomes = await repo.outcomes(run_id, subjects)
        return DecisionRead(
            pair_id=pair.id,
            pair_key=pair.pair_key,
            decision=decision,
            status=status,
            recorded=False,
            outcomes=[_outcome_read(s, outcomes.get(s)) for s in subjects],
        )
    await decisions.record(
        pair.subject_id, pair.pair_key, decision, principal.subject, run_id=run_id, comment=body.comment
    )
    await repo.set_status(pair.id, status)
    decided_ids = await _affected(session, run_id, pair)
    before = await repo.outcomes(run_id, decided_ids)
    await _decide_again(
        session,
        run_id,
        Period(run.period_from, run.period_to),
        {str(s) for s in decided_ids},
        principal.subject,
        thresholds,
    )
    after = await repo.outcomes(run_id, decided_ids)
    person_of = await PersonEventRepository(session).registry_persons(decided_ids)
    what = "подтверждено" if decision == "confirm" else "отклонено"
    for subject_id in subjects:
        await audit_access(
            session,
            principal,
            action="update",
            resource=f"verification_run:{run_id}:pair:{pair.id}",
            person_id=subject_id,
            reason=f"Решение по паре сопоставления: {what}" + (f" ({body.comment})" if body.comment else ""),
        )
    for subject_id in decided_ids:
        new, old = after.get(subject_id), before.get(subject_id)
        if new is not None and new["outcome"] == "exclude" and (old is None or old["outcome"] != "exclude"):
            await add_event(
                session,
                PersonExcluded(
                    run_id=run_id,
                    organization_id=run.organization_id,
                    subject_id=subject_id,
                    reason=new["reason"],
                    reasons=list(new["reasons"] or []),
                    months_excluded=new["months_excluded"],
                    duplicate_of=new["duplicate_of"],
                    person_id=person_of.get(subject_id),
                ),
                source=SOURCE,
                subject=str(subject_id),
            )
        elif old is not None and old["outcome"] == "exclude" and (new is None or new["outcome"] == "keep"):
            # The exclusion announced is lifted: the registry closes it (a review outcome is
            # not announced: a later decision may exclude the person again).
            await add_event(
                session,
                PersonReinstated(
                    run_id=run_id,
                    organization_id=run.organization_id,
                    subject_id=subject_id,
                    person_id=person_of.get(subject_id),
                    as_of=run.as_of,
                ),
                source=SOURCE,
                subject=str(subject_id),
            )
    return DecisionRead(
        pair_id=pair.id,
        pair_key=pair.pair_key,
        decision=decision,
        status=status,
        recorded=True,
        outcomes=[_outcome_read(s, after.get(s)) for s in decided_ids],
    )
