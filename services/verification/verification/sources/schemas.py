"""What the sources API shows: the sources with their kinds and counts, batches, rejected rows."""

from __future__ import annotations

import uuid
from datetime import datetime

from pydantic import BaseModel, Field


class KindRead(BaseModel):
    kind: str = Field(description="Код вида сведений, например zags.death")
    title: str = Field(description="Вид сведений")
    records: int = Field(description="Сколько записей этого вида загружено")


class SourceRead(BaseModel):
    code: str = Field(description="Код источника: fns, sfr, zags, mvd, military")
    name: str = Field(description="Источник сведений")
    kinds: list[KindRead]
    batches: int = Field(description="Сколько ответов (файлов и сообщений СМЭВ) получено")
    last_received_at: datetime | None = None


class BatchCounts(BaseModel):
    rows: int = 0
    loaded: int = 0
    already_known: int = 0
    rejected: int = 0


class BatchRead(BaseModel):
    id: uuid.UUID
    source: str
    mode: str = Field(description="file — файл ответа, smev — сообщение СМЭВ")
    file_name: str | None = None
    media_type: str | None = None
    sha256: str | None = None
    message_id: uuid.UUID | None = None
    received_at: datetime
    counts: BatchCounts


class RejectionRead(BaseModel):
    row_no: int = Field(description="Строка файла (заголовок — 1) или номер записи XML; 0 — файл целиком")
    field: str | None = None
    message: str
