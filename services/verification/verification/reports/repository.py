"""SQL of the statistics: outcomes, exclusions by reason, district, age group and sex, pairs,
operator decisions; the finished runs of a scope for trends."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

# Age on the run's date, in the groups of the report.
AGE_GROUPS: tuple[tuple[int, int | None, str], ...] = (
    (0, 17, "0–17"),
    (18, 29, "18–29"),
    (30, 39, "30–39"),
    (40, 49, "40–49"),
    (50, 59, "50–59"),
    (60, 69, "60–69"),
    (70, None, "70 и старше"),
)
_AGE = "date_part('year', age(r.as_of, e.birth_date))::int"
_JOIN = """
FROM register_entry e
JOIN verification_run r ON r.id = e.run_id
LEFT JOIN outcome o ON o.run_id = e.run_id AND o.subject_id = e.subject_id
WHERE e.run_id = :run_id
"""
_OUTCOMES = f"SELECT coalesce(o.outcome, 'keep') AS outcome, count(*) AS n {_JOIN} GROUP BY 1"
_REASONS = """
SELECT reason, count(*) AS persons, coalesce(sum(months_excluded), 0)::int AS months FROM outcome
 WHERE run_id = :run_id AND outcome = 'exclude' GROUP BY reason ORDER BY persons DESC, reason
"""
_REVIEW = """
SELECT reason, count(*) AS n FROM outcome WHERE run_id = :run_id AND outcome = 'review' GROUP BY reason
"""
_DISTRICTS = f"""
SELECT e.district, count(*) AS entries, count(*) FILTER (WHERE o.outcome = 'exclude') AS excluded,
       coalesce(sum(o.months_excluded) FILTER (WHERE o.outcome = 'exclude'), 0)::int AS months
{_JOIN} GROUP BY e.district ORDER BY e.district NULLS LAST
"""
_AGE_SEX = f"""
SELECT {_AGE} AS age, e.sex, count(*) AS n {_JOIN} AND o.outcome = 'exclude' GROUP BY 1, 2
"""
_PAIRS_BY_STATUS = "SELECT status, count(*) AS n FROM linkage_pair WHERE run_id = :run_id GROUP BY status"
_PAIRS_BY_SOURCE = """
SELECT coalesce(r.source, 'register') AS source, count(*) AS n FROM linkage_pair l
  LEFT JOIN source_record r ON r.id = l.source_record_id WHERE l.run_id = :run_id GROUP BY 1
"""
_DECISIONS = "SELECT count(*) FROM review_decision WHERE run_id = :run_id"
_TRENDS = """
SELECT r.id, r.period_from, r.period_to, r.as_of, r.created_at,
       (SELECT count(*) FROM register_entry e WHERE e.run_id = r.id) AS register_size,
       (SELECT count(*) FROM outcome o WHERE o.run_id = r.id AND o.outcome = 'exclude') AS excluded,
       (SELECT count(*) FROM outcome o WHERE o.run_id = r.id AND o.outcome = 'review') AS review,
       (SELECT coalesce(sum(o.months_excluded), 0) FROM outcome o
         WHERE o.run_id = r.id AND o.outcome = 'exclude')::int AS months_excluded
  FROM (SELECT * FROM verification_run
         WHERE finished_stage = 'decisions' AND (CAST(:org_id AS uuid) IS NULL OR organization_id = :org_id)
         ORDER BY created_at DESC, id DESC LIMIT :limit) r
 ORDER BY r.created_at, r.id
"""


def age_group(age: int) -> str:
    for low, high, title in AGE_GROUPS:
        if age >= low and (high is None or age <= high):
            return title
    return AGE_GROUPS[0][2]  # a birth date after the run's date (the loader rejects those)


class StatisticsRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _rows(self, sql: str, **params: Any) -> list[dict[str, Any]]:
        return [dict(r._mapping) for r in await self.session.execute(text(sql), params)]

    async def outcomes(self, run_id: uuid.UUID) -> dict[str, int]:
        return {r["outcome"]: r["n"] for r in await self._rows(_OUTCOMES, run_id=run_id)}

    async def reasons(self, run_id: uuid.UUID) -> list[dict[str, Any]]:
        return await self._rows(_REASONS, run_id=run_id)

    async def review_reasons(self, run_id: uuid.UUID) -> dict[str, int]:
        return {r["reason"]: r["n"] for r in await self._rows(_REVIEW, run_id=run_id)}

    async def districts(self, run_id: uuid.UUID) -> list[dict[str, Any]]:
        return await self._rows(_DISTRICTS, run_id=run_id)

    async def age_sex(self, run_id: uuid.UUID) -> list[dict[str, Any]]:
        return await self._rows(_AGE_SEX, run_id=run_id)

    async def pairs(self, run_id: uuid.UUID) -> tuple[dict[str, int], dict[str, int]]:
        by_status = {r["status"]: r["n"] for r in await self._rows(_PAIRS_BY_STATUS, run_id=run_id)}
        by_source = {r["source"]: r["n"] for r in await self._rows(_PAIRS_BY_SOURCE, run_id=run_id)}
        return by_status, by_source

    async def operator_decisions(self, run_id: uuid.UUID) -> int:
        return int(await self.session.scalar(text(_DECISIONS), {"run_id": run_id}) or 0)

    async def finished_runs(self, org_id: uuid.UUID | None, limit: int) -> list[dict[str, Any]]:
        return await self._rows(_TRENDS, org_id=org_id, limit=limit)
