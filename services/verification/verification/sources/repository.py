"""All SQL of source answers: batches (one per file content / response message and source),
records written in bulk (binary COPY into a temporary stage, then one ``INSERT … SELECT … ON
CONFLICT DO NOTHING`` on the fingerprint: a fact already stored adds nothing), rejected rows,
and the reads the API and the run pipeline need."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.db import asyncpg_connection
from verification.sources.records import PERSON_COLUMNS, RowRejection, SourceRecord

STAGE = "source_record_stage"
STAGE_COLUMNS: tuple[str, ...] = (
    "row_no",
    "source",
    "kind",
    "external_id",
    *PERSON_COLUMNS,
    "date_from",
    "date_to",
    "attributes",
    "fingerprint",
)
_TYPES = {
    "row_no": "integer",
    "birth_date": "date",
    "date_from": "date",
    "date_to": "date",
    "attributes": "jsonb",
    "fingerprint": "bytea",
}
_DDL = (
    f"CREATE TEMP TABLE IF NOT EXISTS {STAGE} ("
    + ", ".join(f"{c} {_TYPES.get(c, 'text')}" for c in STAGE_COLUMNS)
    + ") ON COMMIT DELETE ROWS"
)
_RECORD_COLUMNS = ", ".join(c for c in STAGE_COLUMNS)
# Built from the constant column list above, no input in it.
_INSERT = f"""
WITH added AS (
  INSERT INTO source_record (batch_id, {_RECORD_COLUMNS})
  SELECT $1, {_RECORD_COLUMNS} FROM {STAGE}
  ON CONFLICT (source, fingerprint) DO NOTHING
  RETURNING 1
)
SELECT count(*) FROM added
"""  # noqa: S608


@dataclass(frozen=True)
class BatchKey:
    source: str
    mode: str  # file | smev
    sha256: str | None = None
    message_id: uuid.UUID | None = None


@dataclass(frozen=True)
class StoredRecord:
    id: uuid.UUID
    batch_id: uuid.UUID
    record: SourceRecord


def _stage_row(record: SourceRecord) -> tuple[Any, ...]:
    values: list[Any] = [record.row_no, record.source, record.kind, record.external_id]
    values += [getattr(record, c) for c in PERSON_COLUMNS]
    values += [
        record.date_from,
        record.date_to,
        json.dumps(record.attributes, ensure_ascii=False),
        record.fingerprint(),
    ]
    return tuple(values)


class SourceRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def open_batch(
        self,
        key: BatchKey,
        *,
        file_name: str | None = None,
        media_type: str | None = None,
        organization_id: uuid.UUID | None = None,
        received_by: str | None = None,
    ) -> tuple[uuid.UUID, bool]:
        """The batch of ``key``: (id, True) when new, (id of the earlier one, False) when this
        answer was received before."""
        new_id = uuid.uuid4()
        created = await self.session.scalar(
            text(
                "INSERT INTO source_batch (id, source, mode, sha256, message_id, file_name, media_type, "
                "organization_id, received_by) VALUES (:id, :source, :mode, :sha256, :message_id, "
                ":file_name, :media_type, :organization_id, :received_by) ON CONFLICT DO NOTHING RETURNING id"
            ),
            {
                "id": new_id,
                "source": key.source,
                "mode": key.mode,
                "sha256": key.sha256,
                "message_id": key.message_id,
                "file_name": file_name,
                "media_type": media_type,
                "organization_id": organization_id,
                "received_by": received_by,
            },
        )
        if created is not None:
            return created, True
        column = "sha256" if key.mode == "file" else "message_id"
        existing = await self.session.scalar(
            text(f"SELECT id FROM source_batch WHERE source = :source AND {column} = :value"),  # noqa: S608
            {"source": key.source, "value": key.sha256 if key.mode == "file" else key.message_id},
        )
        assert existing is not None
        return existing, False

    async def write_records(self, batch_id: uuid.UUID, records: Sequence[SourceRecord]) -> int:
        """Store ``records`` of the batch; returns how many were new (the rest were known)."""
        if not records:
            return 0
        db = await asyncpg_connection(self.session)
        await db.execute(_DDL)
        await db.execute(f"TRUNCATE {STAGE}")
        await db.copy_records_to_table(STAGE, records=[_stage_row(r) for r in records], columns=STAGE_COLUMNS)
        added: int = await db.fetchval(_INSERT, batch_id)
        return added

    async def write_rejections(self, batch_id: uuid.UUID, rejections: Sequence[RowRejection]) -> None:
        rows = [(batch_id, r.row_no, field, message) for r in rejections for field, message in r.errors]
        if rows:
            db = await asyncpg_connection(self.session)
            await db.copy_records_to_table(
                "source_rejection", records=rows, columns=("batch_id", "row_no", "field", "message")
            )

    async def close_batch(self, batch_id: uuid.UUID, counts: dict[str, Any]) -> None:
        await self.session.execute(
            text("UPDATE source_batch SET counts = CAST(:counts AS jsonb) WHERE id = :id"),
            {"id": batch_id, "counts": json.dumps(counts)},
        )

    # --- reads ----------------------------------------------------------------------------

    async def batch(self, batch_id: uuid.UUID) -> dict[str, Any] | None:
        row = (
            (await self.session.execute(text("SELECT * FROM source_batch WHERE id = :id"), {"id": batch_id}))
            .mappings()
            .first()
        )
        return dict(row) if row else None

    async def batches(
        self, source: str, *, organization_id: uuid.UUID | None, limit: int = 50, offset: int = 0
    ) -> tuple[list[dict[str, Any]], int]:
        """Batches of ``source``, newest first, with the total; ``organization_id`` set: only
        the ones that organization uploaded and the SMEV answers (which belong to no one)."""
        params = {"source": source, "org": organization_id, "limit": limit, "offset": offset}
        rows = await self.session.execute(
            text(
                "SELECT id, source, mode, sha256, message_id, file_name, media_type, received_at, counts "
                "FROM source_batch WHERE source = :source AND (CAST(:org AS uuid) IS NULL "
                "OR organization_id IS NULL OR organization_id = :org) "
                "ORDER BY received_at DESC, id LIMIT :limit OFFSET :offset"
            ),
            params,
        )
        total = await self.session.scalar(
            text(
                "SELECT count(*) FROM source_batch WHERE source = :source AND (CAST(:org AS uuid) IS NULL "
                "OR organization_id IS NULL OR organization_id = :org)"
            ),
            params,
        )
        return [dict(r) for r in rows.mappings()], int(total or 0)

    async def rejections(
        self, batch_id: uuid.UUID, *, limit: int | None = None, offset: int = 0
    ) -> list[tuple[int, str | None, str]]:
        rows = await self.session.execute(
            text(
                "SELECT row_no, field, message FROM source_rejection WHERE batch_id = :id "
                "ORDER BY row_no, id LIMIT :limit OFFSET :offset"
            ),
            {"id": batch_id, "limit": limit, "offset": offset},
        )
        return [(r.row_no, r.field, r.message) for r in rows]

    async def rejection_count(self, batch_id: uuid.UUID) -> int:
        count = await self.session.scalar(
            text("SELECT count(*) FROM source_rejection WHERE batch_id = :id"), {"id": batch_id}
        )
        return int(count or 0)

    async def batch_summary(self) -> dict[str, tuple[int, datetime | None]]:
        """Per source: how many batches, and when the last arrived."""
        rows = await self.session.execute(
            text("SELECT source, count(*) AS n, max(received_at) AS last FROM source_batch GROUP BY source")
        )
        return {r.source: (r.n, r.last) for r in rows}

    async def counts_by_kind(self) -> dict[str, int]:
        rows = await self.session.execute(text("SELECT kind, count(*) AS n FROM source_record GROUP BY kind"))
        return {r.kind: r.n for r in rows}

    async def stream_records(
        self, kinds: Sequence[str] | None = None, *, since: datetime | None = None, chunk: int = 10_000
    ) -> AsyncIterator[StoredRecord]:
        """Every stored record (of ``kinds``; of batches received after ``since``), in id order,
        read in chunks (the run pipeline's input)."""
        last = uuid.UUID(int=0)
        while True:
            rows = (
                (
                    await self.session.execute(
                        text(
                            "SELECT r.* FROM source_record r JOIN source_batch b ON b.id = r.batch_id "
                            "WHERE r.id > :last AND (CAST(:kinds AS text[]) IS NULL OR r.kind = ANY(:kinds)) "
                            "AND (CAST(:since AS timestamptz) IS NULL OR b.received_at > :since) "
                            "ORDER BY r.id LIMIT :chunk"
                        ),
                        {
                            "last": last,
                            "kinds": list(kinds) if kinds else None,
                            "since": since,
                            "chunk": chunk,
                        },
                    )
                )
                .mappings()
                .all()
            )
            for row in rows:
                yield StoredRecord(id=row["id"], batch_id=row["batch_id"], record=_record_of(row))
            if len(rows) < chunk:
                return
            last = rows[-1]["id"]


def _record_of(row: Any) -> SourceRecord:
    return SourceRecord(
        source=row["source"],
        kind=row["kind"],
        row_no=row["row_no"],
        external_id=row["external_id"],
        date_from=row["date_from"],
        date_to=row["date_to"],
        attributes=dict(row["attributes"] or {}),
        **{c: row[c] for c in PERSON_COLUMNS},
    )
