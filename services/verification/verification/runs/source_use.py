"""What a run checks against, by source: the answers (batches) and records the scoring stage
reads — of batches of the run's organization (or of none) whose records' dates touch the
period, as ``PipelineRepository.export_sources`` selects them. Stored in the run's counts
(``sources_used``) for the run page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from verification.runs.pipeline_repository import RunScope

_BY_SOURCE = text(
    """
SELECT r.source, count(DISTINCT r.batch_id) AS batches, count(*) AS records
  FROM source_record r JOIN source_batch b ON b.id = r.batch_id
 WHERE r.source = ANY(:sources)
   AND (b.organization_id IS NULL OR b.organization_id = :org)
   AND (r.date_from IS NULL OR r.date_from <= :period_to)
   AND (r.date_to IS NULL OR r.date_to >= :period_from)
 GROUP BY r.source
"""
)


class SourceUseRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def by_source(self, scope: RunScope, sources: Sequence[str]) -> dict[str, dict[str, Any]]:
        """Source → {"batches", "records"} the run reads (every source named, 0 when none)."""
        rows = await self.session.execute(
            _BY_SOURCE,
            {
                "sources": list(sources),
                "org": scope.organization_id,
                "period_from": scope.period_from,
                "period_to": scope.period_to,
            },
        )
        found = {r.source: {"batches": int(r.batches), "records": int(r.records)} for r in rows}
        return {s: found.get(s, {"batches": 0, "records": 0}) for s in sources}
