"""Files of jobs in PostgreSQL: a ``job_file`` row and its content as 1 MiB ``job_file_chunk``
rows, written as the bytes arrive and read back one chunk at a time, so neither an upload nor
a download is ever held whole in memory."""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import AsyncIterable, AsyncIterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.db import Database
from oms_kit.jobs.kinds import UploadTooLarge
from oms_kit.jobs.models import CHUNK_BYTES, JobFile, JobFileChunk


@dataclass(frozen=True)
class JobFileInfo:
    id: uuid.UUID
    job_id: uuid.UUID
    role: str
    name: str
    media_type: str
    size: int
    sha256: str | None
    created_at: datetime

    @classmethod
    def of(cls, row: JobFile) -> JobFileInfo:
        return cls(
            id=row.id,
            job_id=row.job_id,
            role=row.role,
            name=row.name,
            media_type=row.media_type,
            size=row.size,
            sha256=row.sha256,
            created_at=row.created_at,
        )


def human_size(size: int) -> str:
    if size >= 1024**3 and size % 1024**3 == 0:
        return f"{size // 1024**3} ГиБ"
    if size >= 1024**2:
        return f"{size / 1024**2:.0f} МиБ"
    return f"{size} байт"


class _ChunkWriter:
    """Cuts a byte stream into ``CHUNK_BYTES`` rows, inserting each once it is full."""

    def __init__(self, session: AsyncSession, file_id: uuid.UUID, max_bytes: int | None) -> None:
        self.session = session
        self.file_id = file_id
        self.max_bytes = max_bytes
        self.size = 0
        self.digest = hashlib.sha256()
        self._buffer = bytearray()
        self._seq = 0

    async def write(self, data: bytes) -> None:
        self.size += len(data)
        if self.max_bytes is not None and self.size > self.max_bytes:
            raise UploadTooLarge(f"Файл больше допустимых {human_size(self.max_bytes)}")
        self.digest.update(data)
        self._buffer += data
        while len(self._buffer) >= CHUNK_BYTES:
            await self._insert(bytes(self._buffer[:CHUNK_BYTES]))
            del self._buffer[:CHUNK_BYTES]

    async def close(self) -> None:
        if self._buffer:
            await self._insert(bytes(self._buffer))
            self._buffer.clear()

    async def _insert(self, data: bytes) -> None:
        await self.session.execute(
            insert(JobFileChunk).values(file_id=self.file_id, seq=self._seq, data=data)
        )
        self._seq += 1


async def store_file(
    session: AsyncSession,
    job_id: uuid.UUID,
    *,
    role: str,
    name: str,
    media_type: str,
    content: bytes | AsyncIterable[bytes],
    max_bytes: int | None = None,
) -> JobFile:
    """Write a file of ``job_id`` in ``session``'s transaction (the caller commits).
    Raises ``UploadTooLarge`` past ``max_bytes``; the transaction is then to be rolled back."""
    row = JobFile(id=uuid.uuid4(), job_id=job_id, role=role, name=name, media_type=media_type)
    session.add(row)
    await session.flush()
    writer = _ChunkWriter(session, row.id, max_bytes)
    if isinstance(content, bytes | bytearray | memoryview):
        await writer.write(bytes(content))
    else:
        async for piece in content:
            if piece:
                await writer.write(piece)
    await writer.close()
    stored = await session.scalar(
        update(JobFile)
        .where(JobFile.id == row.id)
        .values(size=writer.size, sha256=writer.digest.hexdigest())
        .returning(JobFile)
        .execution_options(populate_existing=True)
    )
    assert stored is not None
    return stored


async def read_chunks(database: Database, file_id: uuid.UUID) -> AsyncIterator[bytes]:
    """The content of a file, chunk by chunk, each read in its own short session so that a
    slow reader holds no connection between chunks."""
    seq = 0
    while True:
        async with database.sessions() as session:
            data = await session.scalar(
                select(JobFileChunk.data).where(JobFileChunk.file_id == file_id, JobFileChunk.seq == seq)
            )
        if data is None:
            return
        yield data
        seq += 1
