"""Demo part ``deviations``: the deviation search over the seeded months (as the job would run
it), so the deviation list and the dashboards' alerts are filled in ``make run``; the summary
says which of the budget part's planted anomalies were found."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from finance.demo.region import DemoRegion
from finance.deviations import service
from finance.models import Deviation

# The deviation a planted anomaly (finance.demo.budget.PLANTED_ANOMALIES) is found as:
# its kind → (deviation kind, metric).
EXPECTED: dict[str, tuple[str, str]] = {
    "cmi_not_allowed": ("rule", "cmi_not_allowed_293"),
    "wages_share": ("rule", "cmi_wages_share"),
    "mom_spike": ("month_on_month", "cmi_341"),
    "peer_outlier": ("peer_group", "utilities_per_bed"),
    "payables_growth": ("rule", "payables_growth"),
}


async def seed(session: AsyncSession, region: DemoRegion) -> dict[str, Any]:
    summary = await service.search(session)
    try:
        from finance.demo.budget import planted_anomalies
    except ImportError:  # the budget part absent: nothing planted
        return summary
    codes = {mo.code: mo.id for mo in region.mos}
    rows = await session.execute(select(Deviation.mo_id, Deviation.month, Deviation.kind, Deviation.metric))
    found = {tuple(row) for row in rows.all()}
    summary["planted_found"] = {
        f"{a.kind} {a.mo_code} {a.month}": (codes.get(a.mo_code), a.month, *EXPECTED[a.kind]) in found
        for a in planted_anomalies(region)
        if a.kind in EXPECTED
    }
    return summary
