"""Events the verification service publishes (payload models, exported to contracts/asyncapi.yaml).

Payloads carry ids, reasons and counts, not personal data: a consumer that needs the person
asks the API, where access is checked and audited."""

import uuid
from datetime import date
from decimal import Decimal

from oms_kit.events import EventPayload


class RunCompleted(EventPayload):
    """A verification run finished: its counts (outcomes by kind, exclusions by reason, months
    excluded, pairs, rescored subjects of an incremental run) and the subjects it excludes."""

    event_type = "verification.run.completed"

    run_id: uuid.UUID
    organization_id: uuid.UUID
    period_from: date
    period_to: date
    as_of: date
    counts: dict[str, int]
    excluded_by_reason: dict[str, int]
    excluded_subject_ids: list[uuid.UUID]
    # The run's savings (decision 0009; optional, absent from older events): the person-months
    # excluded, what they save at the monthly tariffs (the months of years without a tariff are
    # counted, not priced), the monthly tariff of the period's last year, and the next year's
    # appropriation for the non-working population forecast from the actual register.
    months_excluded: int | None = None
    savings_amount: Decimal | None = None
    monthly_tariff: Decimal | None = None
    actual_register: int | None = None
    forecast_year: int | None = None
    appropriation_forecast: Decimal | None = None


class PersonExcluded(EventPayload):
    """A register person (``subject_id``, stable across runs) is excluded by a run: the main
    reason, every reason found, the months excluded in the period and, for a duplicate, the
    record kept in its place. ``person_id``: the registry person when the run's register came
    from ``registry`` (the subject key ``person:<id>``), else null."""

    event_type = "verification.person.excluded"

    run_id: uuid.UUID
    organization_id: uuid.UUID
    subject_id: uuid.UUID
    reason: str
    reasons: list[str]
    months_excluded: int
    duplicate_of: uuid.UUID | None = None
    person_id: uuid.UUID | None = None


class PersonReinstated(EventPayload):
    """A register person's exclusion ends: a later run keeps them, or a review decision lifts it.

    Either the previous run (the organization's latest run finished before this one was created)
    excluded the person and this run keeps them — in this run's register without an exclusion —
    or an operator's review decision turned this run's own exclusion into keeping them. The
    exclusion recorded from the ``verification.person.excluded`` ends as of ``as_of``.
    ``person_id`` as there."""

    event_type = "verification.person.reinstated"

    run_id: uuid.UUID
    organization_id: uuid.UUID
    subject_id: uuid.UUID
    person_id: uuid.UUID | None = None
    as_of: date


PUBLISHED: list[type[EventPayload]] = [RunCompleted, PersonExcluded, PersonReinstated]
