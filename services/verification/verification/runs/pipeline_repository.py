"""All SQL of the run pipeline's stages: the linkage inputs copied out of PostgreSQL as CSV
files (register entries, source records of the run's organization and period), the scored
pairs copied back in (``linkage_pair``, with the stable pair key and the status by the
thresholds computed in SQL), the carry-over of an incremental run, the facts and duplicate
pairs the rules read, and the counts."""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.db import asyncpg_connection
from verification.linkage.records import PERSON_FIELDS, PersonRecord
from verification.rules import DuplicatePair, Fact

# The person columns of a linkage input, in ``PERSON_SCHEMA`` order after ``unique_id``.
_FIELDS = PERSON_FIELDS[1:]
_REGISTER_COLUMNS = ", ".join("NULL::text AS inn" if f == "inn" else f"e.{f}" for f in _FIELDS)
_SOURCE_COLUMNS = ", ".join(f"r.{f}" for f in _FIELDS)
_REGISTER_SELECT = f"""
SELECT e.subject_id::text AS unique_id, {_REGISTER_COLUMNS} FROM register_entry e WHERE e.run_id = $1
"""  # noqa: S608  (built from the constant column list)
_SOURCE_WHERE = """
 (b.organization_id IS NULL OR b.organization_id = $2)
 AND (r.date_from IS NULL OR r.date_from <= $4) AND (r.date_to IS NULL OR r.date_to >= $3)
 AND ($5::timestamptz IS NULL OR b.received_at > $5)
"""
_SOURCE_SELECT = f"""
SELECT r.id::text AS unique_id, {_SOURCE_COLUMNS}
  FROM source_record r JOIN source_batch b ON b.id = r.batch_id
 WHERE r.source = ANY($1::text[]) AND {_SOURCE_WHERE}
"""  # noqa: S608
# Every source's records received after a date ($1 unused: the parameters of _SOURCE_SELECT).
_NEW_RECORDS = f"""
SELECT count(*) FROM source_record r JOIN source_batch b ON b.id = r.batch_id
 WHERE $1::text IS NULL AND {_SOURCE_WHERE}
"""  # noqa: S608
# What the run reads by source (the run page's «Источники в проверке»): its batches and records.
_SOURCES_USED = f"""
SELECT r.source, count(DISTINCT r.batch_id) AS batches, count(*) AS records
  FROM source_record r JOIN source_batch b ON b.id = r.batch_id
 WHERE r.source = ANY($1::text[]) AND {_SOURCE_WHERE}
 GROUP BY r.source
"""  # noqa: S608
PAIR_STAGE = "run_pair_stage"
_PAIR_STAGE_DDL = (
    f"CREATE TEMP TABLE IF NOT EXISTS {PAIR_STAGE} (left_id uuid, right_id uuid, "
    "match_probability double precision, match_weight double precision, evidence jsonb) "
    "ON COMMIT DELETE ROWS"
)
_STATUS = (
    "CASE WHEN s.match_probability >= t.accept THEN 'auto' "
    "WHEN s.match_probability >= t.review THEN 'review' ELSE 'ignored' END"
)
# The thresholds by source ('register' for duplicates): $2 names, $3 accept, $4 review.
_THRESHOLDS = "unnest($2::text[], $3::float8[], $4::float8[]) AS t(source, accept, review)"
# pair_key as ``verification.rules.pair_keys``: source pairs "<subject>|<source>:<fingerprint hex>",
# duplicates "<smaller id>|<larger id>" by text (C collation: Python's str order).
_INSERT_SOURCE_PAIRS = f"""
INSERT INTO linkage_pair (run_id, subject_id, source_record_id, pair_key, match_probability,
                          match_weight, evidence, status)
SELECT $1, s.left_id, s.right_id, s.left_id::text || '|' || r.source || ':' || encode(r.fingerprint, 'hex'),
       s.match_probability, s.match_weight, s.evidence, {_STATUS}
  FROM {PAIR_STAGE} s JOIN source_record r ON r.id = s.right_id JOIN {_THRESHOLDS} ON t.source = r.source
ON CONFLICT (run_id, pair_key) DO NOTHING
"""  # noqa: S608  (constant names)
_LOW = 'least(s.left_id::text COLLATE "C", s.right_id::text COLLATE "C")'
_HIGH = 'greatest(s.left_id::text COLLATE "C", s.right_id::text COLLATE "C")'
_INSERT_DUPLICATE_PAIRS = f"""
INSERT INTO linkage_pair (run_id, subject_id, other_subject_id, pair_key, match_probability,
                          match_weight, evidence, status)
SELECT $1, ({_LOW})::uuid, ({_HIGH})::uuid, {_LOW} || '|' || {_HIGH},
       s.match_probability, s.match_weight, s.evidence, {_STATUS}
  FROM {PAIR_STAGE} s JOIN {_THRESHOLDS} ON t.source = 'register' WHERE s.left_id <> s.right_id
ON CONFLICT (run_id, pair_key) DO NOTHING
"""  # noqa: S608
# An incremental run: the previous run's pairs of subjects whose fields did not change (both
# subjects of a duplicate pair), with source records that still touch this run's period.
_CARRY_OVER = """
WITH unchanged AS (
  SELECT e.subject_id FROM register_entry e
    JOIN register_entry p ON p.run_id = $2 AND p.subject_id = e.subject_id AND p.fingerprint = e.fingerprint
   WHERE e.run_id = $1
)
INSERT INTO linkage_pair (run_id, subject_id, other_subject_id, source_record_id, pair_key,
                          match_probability, match_weight, evidence, status)
SELECT $1, l.subject_id, l.other_subject_id, l.source_record_id, l.pair_key, l.match_probability,
       l.match_weight, l.evidence,
       CASE WHEN l.status IN ('confirmed', 'rejected')
            THEN CASE WHEN l.match_probability >= $5 THEN 'auto' ELSE 'review' END ELSE l.status END
  FROM linkage_pair l
 WHERE l.run_id = $2
   AND l.subject_id IN (SELECT subject_id FROM unchanged)
   AND (l.other_subject_id IS NULL OR l.other_subject_id IN (SELECT subject_id FROM unchanged))
   AND (l.source_record_id IS NULL OR EXISTS (
         SELECT 1 FROM source_record r WHERE r.id = l.source_record_id
            AND (r.date_from IS NULL OR r.date_from <= $4) AND (r.date_to IS NULL OR r.date_to >= $3)))
ON CONFLICT (run_id, pair_key) DO NOTHING
"""
# The newest operator decision of a pair (``review_decision``), by its stable key.
_DECISION = (
    "(SELECT d.decision FROM review_decision d WHERE d.pair_key = l.pair_key "
    "ORDER BY d.decided_at DESC, d.id LIMIT 1)"
)
_DUPLICATES = f"""
SELECT l.id, l.subject_id, l.other_subject_id, l.match_probability, {_DECISION} AS decision
  FROM linkage_pair l WHERE l.run_id = $1 AND l.other_subject_id IS NOT NULL AND l.status <> 'ignored'
"""  # noqa: S608
_FACTS = f"""
SELECT l.id, l.subject_id, l.source_record_id, l.match_probability, r.kind, r.date_from, r.date_to,
       r.attributes, {_DECISION} AS decision
  FROM linkage_pair l JOIN source_record r ON r.id = l.source_record_id
 WHERE l.run_id = $1 AND l.status <> 'ignored'
"""  # noqa: S608
_SUBJECTS_WITH_PAIRS = """
SELECT subject_id FROM linkage_pair WHERE run_id = $1 AND status <> 'ignored'
UNION SELECT other_subject_id FROM linkage_pair
 WHERE run_id = $1 AND other_subject_id IS NOT NULL AND status <> 'ignored'
ORDER BY 1
"""
_ENTRY_COLUMNS = ", ".join("NULL AS inn" if f == "inn" else f for f in _FIELDS)
_ENTRIES = f"""
SELECT subject_id, {_ENTRY_COLUMNS} FROM register_entry WHERE run_id = $1 AND subject_id = ANY($2::uuid[])
"""  # noqa: S608
_DECIDED_STATUS = f"""
UPDATE linkage_pair l SET status = CASE d.decision WHEN 'confirm' THEN 'confirmed' ELSE 'rejected' END
  FROM (SELECT l2.id, {_DECISION.replace("l.pair_key", "l2.pair_key")} AS decision
          FROM linkage_pair l2 WHERE l2.run_id = $1) d
 WHERE l.id = d.id AND d.decision IS NOT NULL
"""  # noqa: S608


@dataclass(frozen=True)
class RunScope:
    """What the stages need of the run row."""

    id: uuid.UUID
    organization_id: uuid.UUID
    period_from: date
    period_to: date
    as_of: date
    previous_run_id: uuid.UUID | None
    previous_created_at: datetime | None
    finished_stage: str | None
    counts: dict[str, Any]
    linkage_model: dict[str, Any] | None
    previous_model: dict[str, Any] | None


class PipelineRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _db(self) -> Any:
        return await asyncpg_connection(self.session)

    # --- the run row ----------------------------------------------------------------------

    async def scope(self, run_id: uuid.UUID) -> RunScope | None:
        db = await self._db()
        row = await db.fetchrow(
            "SELECT r.id, r.organization_id, r.period_from, r.period_to, r.as_of, r.previous_run_id, "
            "r.finished_stage, r.counts, r.linkage_model, p.created_at AS previous_created_at, "
            "p.linkage_model AS previous_model "
            "FROM verification_run r LEFT JOIN verification_run p ON p.id = r.previous_run_id "
            "WHERE r.id = $1",
            run_id,
        )
        if row is None:
            return None
        return RunScope(
            id=row["id"],
            organization_id=row["organization_id"],
            period_from=row["period_from"],
            period_to=row["period_to"],
            as_of=row["as_of"],
            previous_run_id=row["previous_run_id"],
            previous_created_at=row["previous_created_at"],
            finished_stage=row["finished_stage"],
            counts=_json(row["counts"]) or {},
            linkage_model=_json(row["linkage_model"]),
            previous_model=_json(row["previous_model"]),
        )

    async def finish_stage(self, run_id: uuid.UUID, stage: str, counts: dict[str, Any]) -> None:
        """The stage is done: its counts merged into the run's, the stage recorded (resume point)."""
        db = await self._db()
        await db.execute(
            "UPDATE verification_run SET finished_stage = $2, counts = counts || $3::jsonb WHERE id = $1",
            run_id,
            stage,
            json.dumps(counts),
        )

    async def save_model(self, run_id: uuid.UUID, model: dict[str, Any]) -> None:
        db = await self._db()
        await db.execute(
            "UPDATE verification_run SET linkage_model = $2::jsonb WHERE id = $1", run_id, json.dumps(model)
        )

    # --- linkage inputs -------------------------------------------------------------------

    async def export_register(
        self,
        run_id: uuid.UUID,
        path: Path,
        *,
        only: Sequence[uuid.UUID] | None = None,
        excluding: Sequence[uuid.UUID] | None = None,
    ) -> None:
        """The run's entries (``only`` those subjects, or all but ``excluding``) as a CSV file
        of the linkage columns."""
        db = await self._db()
        if only is not None:
            await db.copy_from_query(
                _REGISTER_SELECT.rstrip() + " AND e.subject_id = ANY($2::uuid[])",
                run_id,
                list(only),
                output=str(path),
                format="csv",
                header=True,
            )
        elif excluding:
            await db.copy_from_query(
                _REGISTER_SELECT.rstrip() + " AND NOT (e.subject_id = ANY($2::uuid[]))",
                run_id,
                list(excluding),
                output=str(path),
                format="csv",
                header=True,
            )
        else:
            await db.copy_from_query(_REGISTER_SELECT, run_id, output=str(path), format="csv", header=True)

    async def export_sources(
        self, scope: RunScope, sources: Sequence[str], path: Path, *, received_after: datetime | None = None
    ) -> None:
        """The records of ``sources`` the run checks against: of batches of its organization
        (or of none), whose dates touch the period; only those received after
        ``received_after`` when given."""
        db = await self._db()
        await db.copy_from_query(
            _SOURCE_SELECT,
            list(sources),
            scope.organization_id,
            scope.period_from,
            scope.period_to,
            received_after,
            output=str(path),
            format="csv",
            header=True,
        )

    async def sources_used(self, scope: RunScope, sources: Sequence[str]) -> dict[str, dict[str, int]]:
        """Source → {"batches", "records"} that ``export_sources`` selects for the run (every
        source named, 0 when none)."""
        db = await self._db()
        rows = await db.fetch(
            _SOURCES_USED, list(sources), scope.organization_id, scope.period_from, scope.period_to, None
        )
        found = {r["source"]: {"batches": int(r["batches"]), "records": int(r["records"])} for r in rows}
        return {s: found.get(s, {"batches": 0, "records": 0}) for s in sources}

    async def count_new_source_records(self, scope: RunScope, received_after: datetime) -> int:
        db = await self._db()
        count: int = await db.fetchval(
            _NEW_RECORDS,
            None,
            scope.organization_id,
            scope.period_from,
            scope.period_to,
            received_after,
        )
        return count

    # --- pairs ----------------------------------------------------------------------------

    async def clear_pairs(self, run_id: uuid.UUID) -> None:
        db = await self._db()
        await db.execute("DELETE FROM linkage_pair WHERE run_id = $1", run_id)

    async def write_pairs(
        self,
        run_id: uuid.UUID,
        csv_path: Path,
        *,
        duplicates: bool,
        thresholds: dict[str, tuple[float, float]],
    ) -> int:
        """Pairs of a CSV file (``linkage.PAIR_SCHEMA`` columns, with a header) into the run:
        register↔source pairs, or register↔register (``duplicates``), their status by
        ``thresholds`` (source or 'register' → accept, review). Returns how many were new."""
        db = await self._db()
        await db.execute(_PAIR_STAGE_DDL)
        await db.execute(f"TRUNCATE {PAIR_STAGE}")
        await db.copy_to_table(PAIR_STAGE, source=str(csv_path), format="csv", header=True)
        names = list(thresholds)
        status: str = await db.execute(
            _INSERT_DUPLICATE_PAIRS if duplicates else _INSERT_SOURCE_PAIRS,
            run_id,
            names,
            [thresholds[n][0] for n in names],
            [thresholds[n][1] for n in names],
        )
        return int(status.rsplit(" ", 1)[-1])

    async def carry_over_pairs(
        self, run_id: uuid.UUID, scope: RunScope, previous_run_id: uuid.UUID, accept: float
    ) -> int:
        db = await self._db()
        status: str = await db.execute(
            _CARRY_OVER, run_id, previous_run_id, scope.period_from, scope.period_to, accept
        )
        return int(status.rsplit(" ", 1)[-1])

    async def pairs_by_source(self, run_id: uuid.UUID) -> dict[str, int]:
        """Pairs of the run by source ('register': duplicates); refreshes the table's
        statistics first (the rules join the fresh pairs next)."""
        db = await self._db()
        await db.execute("ANALYZE linkage_pair")
        rows = await db.fetch(
            "SELECT coalesce(r.source, 'register') AS source, count(*) AS n FROM linkage_pair l "
            "LEFT JOIN source_record r ON r.id = l.source_record_id WHERE l.run_id = $1 GROUP BY 1",
            run_id,
        )
        return {r["source"]: r["n"] for r in rows}

    async def changed_subjects(self, run_id: uuid.UUID, previous_run_id: uuid.UUID) -> list[uuid.UUID]:
        db = await self._db()
        rows = await db.fetch(
            "SELECT e.subject_id FROM register_entry e LEFT JOIN register_entry p "
            "ON p.run_id = $2 AND p.subject_id = e.subject_id "
            "WHERE e.run_id = $1 AND (p.subject_id IS NULL OR p.fingerprint <> e.fingerprint)",
            run_id,
            previous_run_id,
        )
        return [r["subject_id"] for r in rows]

    # --- rules ----------------------------------------------------------------------------

    async def apply_decisions(self, run_id: uuid.UUID) -> int:
        """Pairs an operator decided (by pair key, in any run) take the decision as status."""
        db = await self._db()
        status: str = await db.execute(_DECIDED_STATUS, run_id)
        return int(status.rsplit(" ", 1)[-1])

    async def duplicate_pairs(self, run_id: uuid.UUID) -> list[DuplicatePair]:
        db = await self._db()
        return [
            DuplicatePair(
                pair_id=str(r["id"]),
                left=str(r["subject_id"]),
                right=str(r["other_subject_id"]),
                match_probability=r["match_probability"],
                decision=r["decision"],
            )
            for r in await db.fetch(_DUPLICATES, run_id)
        ]

    async def subjects_with_pairs(self, run_id: uuid.UUID) -> list[uuid.UUID]:
        db = await self._db()
        return [r[0] for r in await db.fetch(_SUBJECTS_WITH_PAIRS, run_id)]

    async def persons(self, run_id: uuid.UUID, subject_ids: Sequence[uuid.UUID]) -> dict[str, PersonRecord]:
        db = await self._db()
        rows = await db.fetch(_ENTRIES, run_id, list(subject_ids))
        return {
            str(r["subject_id"]): PersonRecord(str(r["subject_id"]), *(r[f] for f in _FIELDS)) for r in rows
        }

    async def facts(
        self, run_id: uuid.UUID, subject_ids: Sequence[uuid.UUID] | None = None
    ) -> dict[str, list[Fact]]:
        """The source facts of the run's pairs by subject id: of ``subject_ids``, or of every
        subject."""
        db = await self._db()
        out: dict[str, list[Fact]] = {}
        rows = (
            await db.fetch(_FACTS + " AND l.subject_id = ANY($2::uuid[])", run_id, list(subject_ids))
            if subject_ids is not None
            else await db.fetch(_FACTS, run_id)
        )
        for r in rows:
            out.setdefault(str(r["subject_id"]), []).append(
                Fact(
                    record_id=str(r["source_record_id"]),
                    kind=r["kind"],
                    date_from=r["date_from"],
                    date_to=r["date_to"],
                    match_probability=r["match_probability"],
                    pair_id=str(r["id"]),
                    attributes={k: str(v) for k, v in (_json(r["attributes"]) or {}).items()},
                    decision=r["decision"],
                )
            )
        return out

    async def clear_outcomes(self, run_id: uuid.UUID) -> None:
        db = await self._db()
        await db.execute("DELETE FROM outcome WHERE run_id = $1", run_id)

    # --- decisions ------------------------------------------------------------------------

    async def outcome_counts(self, run_id: uuid.UUID) -> dict[str, Any]:
        db = await self._db()
        by_outcome = {
            r["outcome"]: r["n"]
            for r in await db.fetch(
                "SELECT outcome, count(*) AS n FROM outcome WHERE run_id = $1 GROUP BY outcome", run_id
            )
        }
        by_reason = {
            r["reason"]: r["n"]
            for r in await db.fetch(
                "SELECT reason, count(*) AS n FROM outcome WHERE run_id = $1 AND outcome = 'exclude' "
                "GROUP BY reason",
                run_id,
            )
        }
        review_by_reason = {
            r["reason"]: r["n"]
            for r in await db.fetch(
                "SELECT reason, count(*) AS n FROM outcome WHERE run_id = $1 AND outcome = 'review' "
                "GROUP BY reason",
                run_id,
            )
        }
        months = await db.fetchval(
            "SELECT coalesce(sum(months_excluded), 0) FROM outcome WHERE run_id = $1", run_id
        )
        pairs = {
            r["status"]: r["n"]
            for r in await db.fetch(
                "SELECT status, count(*) AS n FROM linkage_pair WHERE run_id = $1 GROUP BY status", run_id
            )
        }
        entries = await db.fetchval("SELECT count(*) FROM register_entry WHERE run_id = $1", run_id)
        # A subject without an outcome row is kept (no pair of it was found).
        decided = sum(n for k, n in by_outcome.items() if k != "keep")
        by_outcome["keep"] = entries - decided
        return {
            "outcomes": {k: by_outcome.get(k, 0) for k in ("keep", "exclude", "update", "review")},
            "excluded_by_reason": by_reason,
            "review_by_reason": review_by_reason,
            "months_excluded": int(months),
            "pairs_by_status": pairs,
        }

    async def excluded(
        self, run_id: uuid.UUID
    ) -> list[tuple[uuid.UUID, str, list[str], int, uuid.UUID | None]]:
        db = await self._db()
        rows = await db.fetch(
            "SELECT subject_id, reason, reasons, months_excluded, duplicate_of FROM outcome "
            "WHERE run_id = $1 AND outcome = 'exclude' ORDER BY subject_id",
            run_id,
        )
        return [
            (r["subject_id"], r["reason"], list(r["reasons"]), r["months_excluded"], r["duplicate_of"])
            for r in rows
        ]


def _json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str) else value
