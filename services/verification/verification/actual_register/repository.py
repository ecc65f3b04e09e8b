"""SQL of the exports: the actual register a page at a time (keyset on the row number), the
exclusion list with each person's savings, the audit of exported persons."""

from __future__ import annotations

import json
import uuid
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.audit import audit_access_many
from oms_kit.auth import Principal
from verification.register.columns import COLUMNS

# Excluded from the actual register: an ``exclude`` outcome whose excluded months reach the last
# month of the verified period — the definition of the savings' forecast (decision 0009), so the
# file has as many rows as the forecast counts. A person excluded only for months before it (a
# job that ended in spring) is on the register again at the end of the period.
_STILL_EXCLUDED = """
o.outcome = 'exclude' AND EXISTS (
  SELECT 1 FROM jsonb_to_recordset(o.periods) AS p("to" date)
   WHERE p."to" >= (date_trunc('month', r.period_to) + interval '1 month - 1 day')::date)
"""
_ACTUAL = f"""
SELECT e.subject_id, e.row_no, {", ".join(f"e.{c}" for c in COLUMNS)},
       CASE WHEN o.outcome = 'update' THEN o.evidence->'updates' END AS updates
  FROM register_entry e
  JOIN verification_run r ON r.id = e.run_id
  LEFT JOIN outcome o ON o.run_id = e.run_id AND o.subject_id = e.subject_id
 WHERE e.run_id = :run_id AND (e.row_no, e.subject_id) > (:row_no, :subject_id)
   AND NOT coalesce({_STILL_EXCLUDED}, false)
 ORDER BY e.row_no, e.subject_id
 LIMIT :limit
"""  # noqa: S608  (constant columns)
_EXCLUDED = f"""
SELECT e.subject_id, e.row_no, {", ".join(f"e.{c}" for c in COLUMNS)},
       o.reason, o.reasons, o.periods, o.months_excluded, o.evidence, o.duplicate_of, o.decided_by,
       (SELECT coalesce(sum(p.months * t.monthly), 0)::numeric(14, 2)
          FROM jsonb_to_recordset(o.periods) AS p("from" date, months int)
          JOIN contribution_tariff t ON t.year = extract(year FROM p."from")::int) AS savings,
       (SELECT coalesce(sum(p.months), 0)::int
          FROM jsonb_to_recordset(o.periods) AS p("from" date, months int)
         WHERE NOT EXISTS (SELECT 1 FROM contribution_tariff t
                            WHERE t.year = extract(year FROM p."from")::int)) AS months_without_tariff
  FROM outcome o
  JOIN register_entry e ON e.run_id = o.run_id AND e.subject_id = o.subject_id
 WHERE o.run_id = :run_id AND o.outcome = 'exclude' AND (e.row_no, e.subject_id) > (:row_no, :subject_id)
 ORDER BY e.row_no, e.subject_id
 LIMIT :limit
"""  # noqa: S608
# The source records the evidence of an exclusion names (source, kind, date).
_RECORDS = "SELECT id, source, kind, date_from, date_to FROM source_record WHERE id = ANY(:ids)"
LOWEST = (0, uuid.UUID(int=0))


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value


class ExportRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def actual_page(
        self, run_id: uuid.UUID, after: tuple[int, uuid.UUID], limit: int
    ) -> list[dict[str, Any]]:
        rows = await self.session.execute(
            text(_ACTUAL),
            {"run_id": run_id, "row_no": after[0], "subject_id": after[1], "limit": limit},
        )
        out = []
        for r in rows:
            row = dict(r._mapping)
            row["updates"] = _json(row["updates"]) or {}
            out.append(row)
        return out

    async def excluded_page(
        self, run_id: uuid.UUID, after: tuple[int, uuid.UUID], limit: int
    ) -> list[dict[str, Any]]:
        rows = await self.session.execute(
            text(_EXCLUDED),
            {"run_id": run_id, "row_no": after[0], "subject_id": after[1], "limit": limit},
        )
        out = []
        for r in rows:
            row = dict(r._mapping)
            row["periods"] = _json(row["periods"]) or []
            row["evidence"] = _json(row["evidence"]) or {}
            out.append(row)
        return out

    async def source_records(self, ids: list[uuid.UUID]) -> dict[str, dict[str, Any]]:
        if not ids:
            return {}
        rows = await self.session.execute(text(_RECORDS), {"ids": ids})
        return {str(r.id): dict(r._mapping) for r in rows}

    async def audit(self, principal: Principal, ids: list[uuid.UUID], *, resource: str, reason: str) -> None:
        await audit_access_many(
            self.session, principal, ids, action="export", resource=resource, reason=reason
        )
