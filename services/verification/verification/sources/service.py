"""Loading an answer: read it with the source's adapter, store the valid records of the batch
and report the rejected rows, all in the caller's transaction. The same answer twice (a file
with the same content, a response message with the same id) is recognised as such and adds
nothing; a fact already stored from another batch is counted as known, not stored again."""

from __future__ import annotations

import asyncio
import hashlib
import io
import uuid
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from itertools import islice
from typing import IO, Any

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


def _take(items: Iterator[SourceRecord | RowRejection], n: int) -> list[SourceRecord | RowRejection]:
    return list(islice(items, n))


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

    stream = iter(items)
    # Parsing is CPU work: a chunk at a time in a worker thread, the event loop stays free.
    while chunk := await asyncio.to_thread(_take, stream, CHUNK):
        for item in chunk:
            if isinstance(item, RowRejection):
                rejected.append(item)
                result.rejected += 1
                if len(result.rejections) < REPORTED:
                    result.rejections.append(item)
            else:
                records.append(item)
            result.rows += 1
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
    return await load_answer_stream(
        session,
        adapter,
        io.BytesIO(content),
        media_type,
        file_name=file_name,
        organization_id=organization_id,
        received_by=received_by,
        today=today,
    )


async def load_answer_stream(
    session: AsyncSession,
    adapter: SourceAdapter,
    stream: IO[bytes],
    media_type: str,
    *,
    sha256: str | None = None,
    file_name: str | None = None,
    organization_id: uuid.UUID | None = None,
    received_by: str | None = None,
    today: date | None = None,
) -> LoadResult:
    """``load_answer_file`` over a seekable binary stream (a spooled upload), read as it goes;
    ``sha256`` of the content when known (else computed in a first pass)."""
    if sha256 is None:
        digest = hashlib.sha256()
        while block := stream.read(1 << 20):
            digest.update(block)
        sha256 = digest.hexdigest()
        stream.seek(0)
    repo = SourceRepository(session)
    key = BatchKey(source=adapter.code, mode="file", sha256=sha256)
    items = adapter.read_answer_file(stream, media_type, today=today)
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


async def load_records(
    session: AsyncSession,
    adapter: SourceAdapter,
    records: Sequence[SourceRecord],
    *,
    file_name: str | None = None,
    organization_id: uuid.UUID | None = None,
) -> LoadResult:
    """Store records already in hand (the demo seed, benchmarks: no file written and parsed)
    as one batch keyed by the SHA-256 of their fingerprints — the same records again are the
    same batch."""
    digest = hashlib.sha256()
    for record in records:
        digest.update(record.fingerprint())
    repo = SourceRepository(session)
    key = BatchKey(source=adapter.code, mode="file", sha256=digest.hexdigest())
    batch_id, created = await repo.open_batch(key, file_name=file_name, organization_id=organization_id)
    if not created:
        return LoadResult(batch_id=batch_id, repeated=True)
    return await _load(repo, batch_id, records)


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
