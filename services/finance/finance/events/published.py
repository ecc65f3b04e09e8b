"""Events the finance service publishes (payload models, exported to contracts/asyncapi.yaml).

None yet: the first feature that changes state here adds its payload models to this list."""

import uuid
from datetime import date

from oms_kit.events import EventPayload


class ReportSubmitted(EventPayload):
    """An MO submitted a regulated report (form ``14F`` or ``62``) for a period: its control
    ratios hold (warnings may remain); the acceptor (TFOMS for 14-Ф, the health authority for
    62) now checks it. ``totals``: the form's headline cells, ``"row:column" → rubles``."""

    event_type = "finance.report.submitted"

    report_id: uuid.UUID
    form: str
    version: str
    mo_id: uuid.UUID
    period_start: date
    period_end: date
    due_date: date
    late: bool
    warnings: int
    totals: dict[str, str]


class ReportAccepted(EventPayload):
    """A submitted report was accepted: it is final, and the MO's months of the period are locked
    (budget entries and payment orders of them no longer change). ``months_locked``: the months
    this acceptance locked (months an earlier accepted report locked are not repeated)."""

    event_type = "finance.report.accepted"

    report_id: uuid.UUID
    form: str
    version: str
    mo_id: uuid.UUID
    period_start: date
    period_end: date
    months_locked: list[date]
    totals: dict[str, str]


PUBLISHED: list[type[EventPayload]] = [ReportSubmitted, ReportAccepted]
