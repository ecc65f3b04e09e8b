"""The ``decisions`` stage: the run's counts and its events, in one transaction with the stage
mark — ``verification.run.completed`` (counts and the excluded subject ids) and
``verification.person.excluded`` per excluded person (with the registry person when the subject
is one), ``verification.person.reinstated`` per person the organization's previous run excluded
and this one keeps, through the outbox. A resumed run that had finished this stage never gets
here again, and a stage that crashed rolled its events back with it, so no event is published
twice."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.events import EventPayload, add_event, add_events
from verification.events.published import PersonExcluded, PersonReinstated, RunCompleted
from verification.runs.person_events import PersonEventRepository
from verification.runs.pipeline_repository import PipelineRepository, RunScope
from verification.runs.stages import DECISIONS, Transaction
from verification.savings.repository import SavingsRepository, TariffRepository
from verification.savings.tariff import contribution, monthly_tariff

SOURCE = "verification"
EVENT_BATCH = 10_000
FLAT_COUNTS = (
    "rows_read",
    "entries",
    "rejected_rows",
    "duplicate_pairs",
    "rescored_subjects",
    "new_source_records",
    "pairs_carried_over",
    "months_excluded",
)


async def decide_run(transaction: Transaction, scope: RunScope) -> dict[str, Any]:
    async with transaction() as session:
        repo = PipelineRepository(session)
        counts = await repo.outcome_counts(scope.id)
        excluded = await repo.excluded(scope.id)
        persons = PersonEventRepository(session)
        person_of = await persons.excluded_persons(scope.id)
        merged = {**scope.counts, **counts}
        flat = {key: int(merged[key]) for key in FLAT_COUNTS if isinstance(merged.get(key), int)}
        flat.update({f"outcome_{k}": v for k, v in counts["outcomes"].items()})
        await _add_in_batches(
            session,
            (
                PersonExcluded(
                    run_id=scope.id,
                    organization_id=scope.organization_id,
                    subject_id=subject_id,
                    reason=reason,
                    reasons=reasons,
                    months_excluded=months,
                    duplicate_of=duplicate_of,
                    person_id=person_of.get(subject_id),
                )
                for subject_id, reason, reasons, months, duplicate_of in excluded
            ),
        )
        await _add_in_batches(
            session,
            (
                PersonReinstated(
                    run_id=scope.id,
                    organization_id=scope.organization_id,
                    subject_id=subject_id,
                    person_id=person_id,
                    as_of=scope.as_of,
                )
                for subject_id, person_id in await persons.reinstated(scope.id)
            ),
        )
        savings = await SavingsRepository(session).savings(scope.id)
        actual_register = await SavingsRepository(session).actual_register(scope.id)
        per_capita = await TariffRepository(session).per_capita_by_year()
        this_year, next_year = per_capita.get(scope.period_to.year), per_capita.get(scope.period_to.year + 1)
        await add_event(
            session,
            RunCompleted(
                run_id=scope.id,
                organization_id=scope.organization_id,
                period_from=scope.period_from,
                period_to=scope.period_to,
                as_of=scope.as_of,
                counts=flat,
                excluded_by_reason=counts["excluded_by_reason"],
                excluded_subject_ids=[e[0] for e in excluded],
                months_excluded=savings.total.months,
                savings_amount=savings.total.amount,
                monthly_tariff=None if this_year is None else monthly_tariff(this_year),
                actual_register=actual_register,
                forecast_year=scope.period_to.year + 1,
                appropriation_forecast=None
                if next_year is None
                else contribution(next_year, actual_register),
            ),
            source=SOURCE,
            subject=str(scope.id),
        )
        await repo.finish_stage(scope.id, DECISIONS, counts)
    return counts


async def _add_in_batches(
    session: AsyncSession, payloads: Iterable[PersonExcluded | PersonReinstated]
) -> None:
    """Per-person events into the outbox, ``EVENT_BATCH`` rows an INSERT, each with its subject."""
    batch: list[tuple[EventPayload, str | None]] = []
    for payload in payloads:
        batch.append((payload, str(payload.subject_id)))
        if len(batch) == EVENT_BATCH:
            await add_events(session, batch, source=SOURCE)
            batch = []
    if batch:
        await add_events(session, batch, source=SOURCE)
