"""Writing the outcomes of a run (the only SQL beside the pure rules; nothing in ``rules``
imports it)."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterable

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from verification.rules.model import Outcome

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
        connection = await self.session.connection()
        raw = (await connection.get_raw_connection()).driver_connection
        assert raw is not None
        await raw.copy_records_to_table("outcome", records=rows, columns=COLUMNS)
        return len(rows)
