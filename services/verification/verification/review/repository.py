"""SQL of the review queue: the borderline pairs of a run with the latest operator decision of
each, the two records of a pair, the outcomes of subjects, the pair's status after a decision."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from verification.rules import KIND_REASON
from verification.runs.repository import PERSON_COLUMNS

PENDING = "pending"  # waiting for an operator (see _STATES)
DECIDED = "decided"  # confirmed or rejected by an operator
DUPLICATE = "duplicate"
REGISTER = "register"

_QUEUE = """
FROM linkage_pair l
LEFT JOIN source_record r ON r.id = l.source_record_id
LEFT JOIN outcome o ON o.run_id = l.run_id AND o.subject_id = l.subject_id
LEFT JOIN outcome o2 ON o2.run_id = l.run_id AND o2.subject_id = l.other_subject_id
LEFT JOIN LATERAL (SELECT decision, decided_by, decided_at, comment FROM review_decision
                    WHERE pair_key = l.pair_key ORDER BY decided_at DESC, id LIMIT 1) d ON true
WHERE l.run_id = :run_id AND {where}
"""
_STATES = {
    # In the review band with a person under review, or accepted but the very reason its person
    # is under review (an invalid passport, a fact without the date its rule needs).
    PENDING: (
        "((l.status = 'review' AND (o.outcome = 'review' OR o2.outcome = 'review')) "
        "OR (l.status = 'auto' AND o.outcome = 'review' AND EXISTS (SELECT 1 FROM "
        "jsonb_array_elements(coalesce(o.evidence->'items', '[]'::jsonb)) e "
        "WHERE e->>'pair_id' = l.id::text AND e->>'reason' = o.reason)))"
    ),
    DECIDED: "l.status IN ('confirmed', 'rejected')",
}
_ITEMS = """
SELECT l.id, l.pair_key, l.subject_id, l.other_subject_id, l.source_record_id, l.match_probability,
       l.match_weight, l.evidence, l.status, coalesce(r.source, 'register') AS source, r.kind,
       CASE WHEN o2.outcome = 'review' AND coalesce(o.outcome, 'keep') <> 'review'
            THEN o2.outcome ELSE coalesce(o.outcome, 'keep') END AS outcome,
       CASE WHEN o2.outcome = 'review' AND coalesce(o.outcome, 'keep') <> 'review'
            THEN o2.reason ELSE o.reason END AS outcome_reason,
       d.decision, d.decided_by, d.decided_at, d.comment
{queue}
ORDER BY l.match_probability DESC, l.id
LIMIT :limit OFFSET :offset
"""
_PERSONS = (
    f"SELECT subject_id, {', '.join(PERSON_COLUMNS)} FROM register_entry "  # noqa: S608  (constant columns)
    "WHERE run_id = :run_id AND subject_id = ANY(:ids)"
)
_SOURCE_COLUMNS = (
    "id, source, kind, external_id, surname, first_name, patronymic, birth_date, sex, snils, enp, "
    "doc_type, doc_series, doc_number, inn, district, date_from, date_to, attributes"
)
_SOURCE_RECORDS = f"SELECT {_SOURCE_COLUMNS} FROM source_record WHERE id = ANY(:ids)"  # noqa: S608
_OUTCOMES = (
    "SELECT subject_id, outcome, reason, reasons, periods, months_excluded, duplicate_of, decided_by "
    "FROM outcome WHERE run_id = :run_id AND subject_id = ANY(:ids)"
)


@dataclass(frozen=True)
class PairRow:
    id: uuid.UUID
    subject_id: uuid.UUID
    other_subject_id: uuid.UUID | None
    source_record_id: uuid.UUID | None
    pair_key: str
    status: str


def _filters(reason: str | None, source: str | None) -> tuple[str, dict[str, Any]]:
    clauses: list[str] = []
    params: dict[str, Any] = {}
    if reason == DUPLICATE:
        clauses.append("l.other_subject_id IS NOT NULL")
    elif reason is not None:
        clauses.append("r.kind = ANY(:kinds)")
        params["kinds"] = sorted(k for k, r in KIND_REASON.items() if r == reason)
    if source == REGISTER:
        clauses.append("l.other_subject_id IS NOT NULL")
    elif source is not None:
        clauses.append("r.source = :source")
        params["source"] = source
    return "".join(f" AND {c}" for c in clauses), params


class ReviewRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def page(
        self,
        run_id: uuid.UUID,
        *,
        state: str,
        reason: str | None,
        source: str | None,
        limit: int,
        offset: int,
    ) -> tuple[list[dict[str, Any]], int]:
        extra, params = _filters(reason, source)
        queue = _QUEUE.format(where=_STATES[state] + extra)
        params["run_id"] = run_id
        total = int(await self.session.scalar(text("SELECT count(*) " + queue), params) or 0)
        rows = await self.session.execute(
            text(_ITEMS.format(queue=queue)), {**params, "limit": limit, "offset": offset}
        )
        return [dict(r._mapping) for r in rows], total

    async def persons(self, run_id: uuid.UUID, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:
        if not ids:
            return {}
        rows = await self.session.execute(text(_PERSONS), {"run_id": run_id, "ids": list(ids)})
        return {r.subject_id: {c: getattr(r, c) for c in PERSON_COLUMNS} for r in rows}

    async def source_records(self, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:
        if not ids:
            return {}
        rows = await self.session.execute(text(_SOURCE_RECORDS), {"ids": list(ids)})
        return {r.id: dict(r._mapping) for r in rows}

    async def lock_run(self, run_id: uuid.UUID) -> None:
        """Decisions on one run one at a time: two pairs of one duplicate group decided at once
        would each decide the group again without the other's decision."""
        await self.session.execute(
            text("SELECT 1 FROM verification_run WHERE id = :id FOR UPDATE"), {"id": run_id}
        )

    async def lock_pair(self, run_id: uuid.UUID, pair_id: uuid.UUID) -> PairRow | None:
        """The pair, locked until the transaction ends; None when there is no such pair or
        another transaction holds it (a decision on it in flight: ``pair_exists`` tells which).
        Never waits: the second of two operators deciding one pair at once is told at once."""
        row = (
            await self.session.execute(
                text(
                    "SELECT id, subject_id, other_subject_id, source_record_id, pair_key, status "
                    "FROM linkage_pair WHERE run_id = :run_id AND id = :id FOR UPDATE SKIP LOCKED"
                ),
                {"run_id": run_id, "id": pair_id},
            )
        ).first()
        return PairRow(**row._mapping) if row is not None else None

    async def pair_exists(self, run_id: uuid.UUID, pair_id: uuid.UUID) -> bool:
        found = await self.session.scalar(
            text("SELECT 1 FROM linkage_pair WHERE run_id = :run_id AND id = :id"),
            {"run_id": run_id, "id": pair_id},
        )
        return found is not None

    async def set_status(self, pair_id: uuid.UUID, status: str) -> None:
        await self.session.execute(
            text("UPDATE linkage_pair SET status = :status WHERE id = :id"), {"id": pair_id, "status": status}
        )

    async def outcomes(self, run_id: uuid.UUID, ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:
        rows = await self.session.execute(text(_OUTCOMES), {"run_id": run_id, "ids": list(ids)})
        return {r.subject_id: dict(r._mapping) for r in rows}
