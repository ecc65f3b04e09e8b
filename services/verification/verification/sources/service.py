"""Loading an answer: read it with the source's adapter, store the valid records of the batch
and report the rejected rows, all in the caller's transaction. The same answer twice (a file
with the same content, a response message with the same id) is recognised as such and adds
nothing; a fact already stored from another batch is counted as known, not stored again."""

from __future__ import annotations

import hashlib
import io
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from verification.sources.adapter import SourceAdapter
from verification.sources.records import RowRejection, SourceRecord
from verification.sources.repository import BatchKey, SourceRepository
from verification.sources.smev.messages import ResponseMessage

CHUNK = 10_000


@dataclass
class LoadResult:
    batch_id: uuid.UUID
    repeated: bool  # this answer was received before: nothing was loaded
    rows: int = 0
    loaded: int = 0  # new records
    already_known: int = 0  # valid records whose fact was stored before
    rejected: int = 0  # rows not loaded
    rejections: list[RowRejection] = field(default_factory=list)  # the first REPORTED of them

    def counts(self) -> dict[str, Any]:
        return {
            "rows": self.rows,
            "loaded": self.loaded,
            "already_known": self.already_known,
            "rejected": self.rejected,
        }


REPORTED = 1_000


async def _load(
    repo: SourceRepository, batch_id: uuid.UUID, items: Iterable[SourceRecord | RowRejection]
) -> LoadResult:
    result = LoadResult(batch_id=batch_id, repeated=False)
    records: list[SourceRecord] = []
    rejected: list[RowRejection] = []

    async def flush() -> None:
        added = await repo.write_records(batch_id, records)
        result.loaded += added
        result.already_known += len(records) - added
        records.clear()
        await repo.write_rejections(batch_id, rejected)
        rejected.clear()

    for item in items:
        if isinstance(item, RowRejection):
            rejected.append(item)
            result.rejected += 1
            if len(result.rejections) < REPORTED:
                result.rejections.append(item)
        else:
            records.append(item)
        result.rows += 1
        if len(records) >= CHUNK or len(rejected) >= CHUNK:
            await flush()
    await flush()
    await repo.close_batch(batch_id, result.counts())
    return result


async def load_answer_file(
    session: AsyncSession,
    adapter: SourceAdapter,
    content: bytes,
    media_type: str,
    *,
    file_name: str | None = None,
    organization_id: uuid.UUID | None = None,
    received_by: str | None = None,
    today: date | None = None,
) -> LoadResult:
    """Load an answer file of ``adapter``'s source (``UnsupportedFormat`` for neither CSV nor
    XML). Nothing is read again for a file received before: its batch is returned as repeated."""
    repo = SourceRepository(session)
    key = BatchKey(source=adapter.code, mode="file", sha256=hashlib.sha256(content).hexdigest())
    items = adapter.read_answer_file(io.BytesIO(content), media_type, today=today)
    batch_id, created = await repo.open_batch(
        key,
        file_name=file_name,
        media_type=media_type,
        organization_id=organization_id,
        received_by=received_by,
    )
    if not created:
        return LoadResult(batch_id=batch_id, repeated=True)
    return await _load(repo, batch_id, items)


async def load_response(
    session: AsyncSession, adapter: SourceAdapter, response: ResponseMessage
) -> LoadResult:
    """Load a SMEV response message (already read by ``adapter.read_response_message``)."""
    repo = SourceRepository(session)
    key = BatchKey(source=adapter.code, mode="smev", message_id=response.message_id)
    batch_id, created = await repo.open_batch(key, media_type="application/xml")
    if not created:
        return LoadResult(batch_id=batch_id, repeated=True)
    return await _load(repo, batch_id, response.items)
