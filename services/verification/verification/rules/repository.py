"""The SQL beside the pure rules: writing the outcomes of a run, operators' decisions on pairs.
Nothing else in ``rules`` imports it."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable

from sqlalchemy import func, text
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.db import asyncpg_connection
from verification.models import ReviewDecision
from verification.rules.model import Decision, Outcome

COLUMNS = (
    "run_id",
    "subject_id",
    "outcome",
    "reason",
    "reasons",
    "periods",
    "months_excluded",
    "evidence",
    "duplicate_of",
    "decided_by",
)


class OutcomeRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def replace(self, run_id: uuid.UUID, outcomes: Iterable[Outcome], decided_by: str = "rule") -> int:
        """Write ``outcomes`` of ``run_id`` by binary COPY in the session's transaction, replacing
        earlier outcomes of the same subjects (a resumed stage writes its batch again)."""
        rows = [
            (
                run_id,
                uuid.UUID(o.subject_id),
                o.outcome,
                o.reason,
                list(o.reasons),
                json.dumps([p.as_json() for p in o.periods]),
                o.months_excluded,
                json.dumps(o.evidence_json(), ensure_ascii=False),
                uuid.UUID(o.duplicate_of) if o.duplicate_of else None,
                decided_by,
            )
            for o in outcomes
        ]
        if not rows:
            return 0
        await self.session.execute(
            text("DELETE FROM outcome WHERE run_id = :run_id AND subject_id = ANY(:subjects)"),
            {"run_id": run_id, "subjects": [r[1] for r in rows]},
        )
        db = await asyncpg_connection(self.session)
        await db.copy_records_to_table("outcome", records=rows, columns=COLUMNS)
        return len(rows)


class ReviewDecisionRepository:
    """Operators' decisions on pairs, by the pair's stable key (``rules.pair_keys``); the newest
    decision of a key holds, in this run and the next ones."""

    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def record(
        self,
        subject_id: uuid.UUID,
        pair_key: str,
        decision: Decision,
        decided_by: str,
        *,
        run_id: uuid.UUID | None = None,
        comment: str | None = None,
    ) -> None:
        self.session.add(
            ReviewDecision(
                subject_id=subject_id,
                pair_key=pair_key,
                decision=decision,
                decided_by=decided_by,
                run_id=run_id,
                comment=comment,
                decided_at=func.clock_timestamp(),
            )
        )
        await self.session.flush()

    async def latest(self, pair_keys: Iterable[str]) -> dict[str, Decision]:
        """The newest decision of each key that has one."""
        keys = sorted(set(pair_keys))
        if not keys:
            return {}
        rows = await self.session.execute(
            text(
                "SELECT DISTINCT ON (pair_key) pair_key, decision FROM review_decision "
                "WHERE pair_key = ANY(:keys) ORDER BY pair_key, decided_at DESC, id"
            ),
            {"keys": keys},
        )
        return {row[0]: row[1] for row in rows}
