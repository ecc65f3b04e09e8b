"""The demo part ``reports`` on the demo budget: reports in every state, the planted fine
refused by the control ratios, locks for the accepted quarters, overdue ones."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select, text
from sqlalchemy.ext.asyncio import AsyncSession

from finance.demo import budget, reports
from finance.demo.region import demo_region
from finance.forms.service import FormService
from finance.models import Organization, Report
from oms_kit.auth import Principal

CODES = ["990001", "990002", "990003", "990007", "990012", "990013"]


async def test_demo_reports_in_every_state(session: AsyncSession) -> None:
    for code in CODES:
        session.add(
            Organization(
                id=uuid.uuid5(uuid.NAMESPACE_URL, f"t:{code}"), name=f"МО {code}", kind="mo", code=code
            )
        )
    await session.flush()
    region = await demo_region(session)
    assert region is not None
    await budget.seed(session, region)
    result = await reports.seed(session, region)
    assert result["reports"] > 0
    rows = (await session.execute(select(Report.mo_id, Report.form, Report.quarter, Report.status))).all()
    statuses = {status for _, _, _, status in rows}
    today = date.today()
    quarters = [q for q in (1, 2, 3, 4) if date(today.year, q * 3, 28) < today]
    if len(quarters) >= 3:
        assert statuses == {"draft", "submitted", "accepted", "returned"}
        fine_mo = region.mo("990003").id
        last = max(quarters)
        (fine_status,) = [s for mo, f, q, s in rows if mo == fine_mo and f == "14F" and q == last]
        assert fine_status == "draft"
        assert any(r.startswith("990003") and "К07" in r for r in result["refused_by_control_ratios"])
        returned = await session.scalar(select(Report.comment).where(Report.status == "returned"))
        assert returned and "стр. 01" in returned
        # accepted quarters lock their months
        accepted = await session.scalar(
            text(
                "SELECT count(*) FROM period_lock l JOIN report r ON r.id = l.report_id "
                "WHERE r.status = 'accepted'"
            )
        )
        assert accepted and accepted >= 3
        tfoms = Principal(subject="t", org_id=uuid.uuid4(), roles=frozenset({"tfoms_analyst"}))
        overdue = await FormService(session, tfoms).overdue("14F", date(today.year, 1, 1))
        assert {o.status for o in overdue} >= {"missing", "draft"}
    again = await reports.seed(session, region)
    assert again["reports"] == 0
