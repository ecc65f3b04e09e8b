"""Events the finance service publishes (payload models, exported to contracts/asyncapi.yaml).

None yet: the first feature that changes state here adds its payload models to this list."""

import uuid
from datetime import date
from decimal import Decimal

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


class DeviationDetected(EventPayload):
    """The deviation search found something new in an MO's month: an outlier against the MO's
    own trailing months (``kind`` ``month_on_month``) or against comparable MOs
    (``peer_group``: per bed or per attached person), or a broken rule (``rule``: CMI funds on an
    item not allowed for them, fixed assets over the limit, wages share above the threshold,
    growing payables). ``metric`` names what was measured, ``value``/``expected`` in its units
    (rubles, or a share for ``cmi_wages_share``), ``score`` the robust z-score (outliers only),
    ``explanation`` says it in Russian. Published once per finding: a re-run that finds it
    again publishes nothing."""

    event_type = "finance.deviation.detected"

    deviation_id: uuid.UUID
    mo_id: uuid.UUID
    month: date
    kind: str
    metric: str
    value: Decimal
    expected: Decimal | None = None
    score: float | None = None
    explanation: str


PUBLISHED: list[type[EventPayload]] = [ReportSubmitted, ReportAccepted, DeviationDetected]
