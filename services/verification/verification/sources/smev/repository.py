"""All SQL of the SMEV request queue (table ``smev_request``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession


@dataclass(frozen=True)
class DueRequest:
    id: uuid.UUID
    message_id: uuid.UUID
    payload: bytes
    attempts: int


class SmevRequestRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add(
        self,
        source: str,
        message_id: uuid.UUID,
        payload: bytes,
        persons: int,
        now: datetime,
        run_id: uuid.UUID | None,
    ) -> None:
        await self.session.execute(
            text(
                "INSERT INTO smev_request (id, source, message_id, status, persons, payload, created_at, "
                "next_attempt_at, run_id) VALUES (:id, :source, :message_id, 'queued', :persons, :payload, "
                ":now, :now, :run_id)"
            ),
            {
                "id": uuid.uuid4(),
                "source": source,
                "message_id": message_id,
                "persons": persons,
                "payload": payload,
                "now": now,
                "run_id": run_id,
            },
        )

    async def sent_between(self, source: str, start: datetime, end: datetime) -> int:
        count = await self.session.scalar(
            text(
                "SELECT count(*) FROM smev_request WHERE source = :source "
                "AND sent_at >= :start AND sent_at < :end"
            ),
            {"source": source, "start": start, "end": end},
        )
        return int(count or 0)

    async def due(self, source: str, now: datetime, limit: int) -> list[DueRequest]:
        if limit <= 0:
            return []
        rows = await self.session.execute(
            text(
                "SELECT id, message_id, payload, attempts FROM smev_request WHERE source = :source "
                "AND status = 'queued' AND next_attempt_at <= :now ORDER BY next_attempt_at, created_at, id "
                "LIMIT :limit FOR UPDATE SKIP LOCKED"
            ),
            {"source": source, "now": now, "limit": limit},
        )
        return [DueRequest(r.id, r.message_id, r.payload, r.attempts) for r in rows]

    async def postpone_due(self, source: str, now: datetime, until: datetime) -> int:
        """Requests due now that the quota leaves for ``until`` (the next day)."""
        result: Any = await self.session.execute(
            text(
                "UPDATE smev_request SET next_attempt_at = :until WHERE source = :source "
                "AND status = 'queued' AND next_attempt_at <= :now"
            ),
            {"source": source, "now": now, "until": until},
        )
        return int(result.rowcount or 0)

    async def mark_sent(self, request_id: uuid.UUID, now: datetime, expires_at: datetime) -> None:
        await self.session.execute(
            text(
                "UPDATE smev_request SET status = 'sent', attempts = attempts + 1, sent_at = :now, "
                "expires_at = :expires_at, last_error = NULL WHERE id = :id"
            ),
            {"id": request_id, "now": now, "expires_at": expires_at},
        )

    async def mark_attempt_failed(
        self, request_id: uuid.UUID, error: str, next_attempt_at: datetime | None
    ) -> None:
        """A failed send: retried at ``next_attempt_at``, or given up (``failed``) when None."""
        await self.session.execute(
            text(
                "UPDATE smev_request SET attempts = attempts + 1, last_error = :error, "
                "status = CASE WHEN CAST(:next AS timestamptz) IS NULL THEN 'failed' ELSE status END, "
                "next_attempt_at = COALESCE(CAST(:next AS timestamptz), next_attempt_at) WHERE id = :id"
            ),
            {"id": request_id, "error": error[:1000], "next": next_attempt_at},
        )

    async def expire(self, now: datetime) -> int:
        result: Any = await self.session.execute(
            text("UPDATE smev_request SET status = 'expired' WHERE status = 'sent' AND expires_at <= :now"),
            {"now": now},
        )
        return int(result.rowcount or 0)

    async def by_message_id(self, message_id: uuid.UUID) -> dict[str, Any] | None:
        row = (
            (
                await self.session.execute(
                    text(
                        "SELECT id, source, status, batch_id, answered_at, run_id FROM smev_request "
                        "WHERE message_id = :message_id FOR UPDATE"
                    ),
                    {"message_id": message_id},
                )
            )
            .mappings()
            .first()
        )
        return dict(row) if row else None

    async def mark_answered(self, request_id: uuid.UUID, now: datetime, batch_id: uuid.UUID) -> None:
        """The first answer of a request: ``answered``, or left ``expired`` with the late answer
        recorded beside it."""
        await self.session.execute(
            text(
                "UPDATE smev_request SET answered_at = :now, batch_id = :batch_id, "
                "status = CASE WHEN status = 'expired' THEN status ELSE 'answered' END "
                "WHERE id = :id AND batch_id IS NULL"
            ),
            {"id": request_id, "now": now, "batch_id": batch_id},
        )

    async def status_counts(self, source: str | None = None) -> dict[str, int]:
        rows = await self.session.execute(
            text(
                "SELECT status, count(*) AS n FROM smev_request WHERE CAST(:source AS text) IS NULL "
                "OR source = :source GROUP BY status"
            ),
            {"source": source},
        )
        return {r.status: r.n for r in rows}
