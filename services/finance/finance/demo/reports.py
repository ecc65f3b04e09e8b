"""Demo part ``reports``: forms 14-Ф (ОМС) and 62 of the demo MOs in every workflow state, made
through the same service the API uses (so history, audit, locks and events are real).

For the quarters of the current year that have ended (14-Ф is cumulative from January), by the
MO's position in the region's list (``i``, MOs ordered by code):

- I quarter — accepted by the fund for every other MO (``i % 2 == 0``: January–March locked),
  submitted and waiting for the fund for the others;
- half-year — accepted (``i % 6 == 0``), returned with a comment (``i % 3 == 1``), submitted
  (the others);
- 9 months — submitted (``i % 4 == 0``), a draft past its deadline (``1``, ``2``), not started at
  all (``3``: listed as overdue); the MO with the planted fine paid from CMI funds (budget
  part's ``cmi_not_allowed``) has a draft it could not submit: control ratio К07 is broken.

The opening balance of CMI funds (row 01, typed by the MO) is set so the year's remainder never
goes negative, the overdue payables (row 10 column 7) at 5 % of the payables. Form 62 for the
previous year: submitted by the first MO (for its founder to accept), the others not started.
Runs once: nothing is done when the demo MOs already have reports."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from finance.demo.region import DemoMo, DemoRegion
from finance.forms import engine
from finance.forms.periods import Period
from finance.forms.repository import FormRepository
from finance.forms.schemas import CellIn, ReportCreate, ValuesIn
from finance.forms.service import ControlRatiosFailed, FormService
from finance.forms.templates import version_for
from finance.models import MoProfile, Report
from finance.scope import MoScope
from oms_kit.auth import Principal

FINE_MO = "990003"  # the budget part's ``cmi_not_allowed`` anomaly
ECONOMIST = frozenset({"finance.report:read", "finance.report:write", "finance.budget:read"})
ACCEPTOR = frozenset({"finance.report:read", "finance.report:accept"})
RETURN_COMMENT = (
    "Остаток средств ОМС на начало года (стр. 01) не совпадает с годовым отчётом за прошлый год; "
    "уточните и сдайте отчёт повторно"
)


def _economist(mo: DemoMo) -> Principal:
    return Principal(
        subject=f"demo-economist-{mo.code}",
        org_id=mo.id,
        roles=frozenset({"mo_economist"}),
        permissions=ECONOMIST,
    )


def _acceptor(role: str, org_id: uuid.UUID) -> Principal:
    return Principal(subject=f"demo-{role}", org_id=org_id, roles=frozenset({role}), permissions=ACCEPTOR)


async def _opening(session: AsyncSession, mo: DemoMo, year: int, last_quarter: int) -> Decimal:
    """An opening balance that keeps every quarter's remainder of CMI funds positive."""
    repo = FormRepository(session)
    need = Decimal(0)
    receipts = Decimal(0)
    for quarter in range(1, last_quarter + 1):
        period = Period("quarter", year, quarter)
        version = version_for("14F", period.end)
        assert version is not None
        values = engine.compute(version, await repo.aggregates(MoScope(None), period, mo.id), {})
        received, spent = values[("02", "4")] or Decimal(0), values[("10", "4")] or Decimal(0)
        need = max(need, spent - received)
        receipts = max(receipts, received / (3 * quarter))
    return (need + receipts / 2).quantize(Decimal("1000"))


async def _fill(
    service: FormService, report_id: uuid.UUID, opening: Decimal, payables: Decimal | None
) -> None:
    values = [CellIn(row="01", column="4", value=opening)]
    if payables:
        values.append(
            CellIn(row="10", column="7", value=(payables * Decimal("0.05")).quantize(Decimal("0.01")))
        )
    await service.edit(report_id, ValuesIn(values=values))


async def seed(session: AsyncSession, region: DemoRegion) -> dict[str, Any]:
    ids = [mo.id for mo in region.mos]
    if await session.scalar(select(func.count()).select_from(Report).where(Report.mo_id.in_(ids))):
        return {"reports": 0, "skipped": "demo MOs already have reports"}
    today = date.today()
    year = today.year
    quarters = [q for q in (1, 2, 3, 4) if Period("quarter", year, q).end < today]
    founders = dict(
        (
            await session.execute(
                select(MoProfile.mo_id, MoProfile.founder_id).where(MoProfile.mo_id.in_(ids))
            )
        ).all()
    )
    tfoms = _acceptor("tfoms_analyst", uuid.uuid5(uuid.NAMESPACE_URL, "oms-region:tfoms"))
    counts: dict[str, int] = {}
    refused: list[str] = []

    def count(status: str) -> None:
        counts[status] = counts.get(status, 0) + 1

    for i, mo in enumerate(region.mos):
        economist = FormService(session, _economist(mo), today)
        fund = FormService(session, tfoms, today)
        opening = await _opening(session, mo, year, max(quarters)) if quarters else Decimal(0)
        for quarter in quarters:
            last = quarter == max(quarters)
            if last and i % 4 == 3 and mo.code != FINE_MO:
                count("missing")
                continue
            report = await economist.create(ReportCreate(form="14F", mo_id=mo.id, year=year, quarter=quarter))
            payables = next((c.value for c in report.cells if (c.row, c.column) == ("10", "6")), None)
            await _fill(economist, report.id, opening, payables)
            # half the MOs' first quarter accepted, a sixth's half-year: the rest of the demo
            # (corrections of payments and their classification) keeps open months to work in
            target = "accepted" if i % 2 == 0 else "submitted"
            if quarter == 2 and len(quarters) > 2:
                target = ("accepted" if i % 6 == 0 else "submitted", "returned", "submitted")[i % 3]
            if last and len(quarters) > 1:
                target = "submitted" if i % 4 == 0 else "draft"
            if mo.code == FINE_MO and last:
                target = "submitted"  # and the control ratios refuse it
            if target == "draft":
                count("draft")
                continue
            try:
                await economist.submit(report.id, None)
            except ControlRatiosFailed as exc:
                refused.append(f"{mo.code}: {', '.join(v.code for v in exc.violations)}")
                count("draft")
                continue
            if target == "accepted":
                await fund.accept(report.id)
            elif target == "returned":
                await fund.return_(report.id, RETURN_COMMENT)
            count(target)
        # form 62 for the previous year: the first MO submitted it for its founder
        if i == 0 and version_for("62", date(year - 1, 12, 31)) is not None:
            report = await economist.create(ReportCreate(form="62", mo_id=mo.id, year=year - 1))
            try:
                await economist.submit(report.id, None)
                count("submitted")
            except ControlRatiosFailed as exc:
                refused.append(f"{mo.code} (62): {', '.join(v.code for v in exc.violations)}")
                count("draft")
    return {
        "reports": sum(v for k, v in counts.items() if k != "missing"),
        "by_status": counts,
        "quarters": quarters,
        "refused_by_control_ratios": refused,
        "founders_known": sum(1 for f in founders.values() if f),
    }
