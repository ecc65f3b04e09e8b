"""Answers of the external sources (ФНС, СФР, ЗАГС, МВД, военкомат) and the SMEV request queue.

- ``source_batch``: one received answer — an uploaded file (``mode = 'file'``, keyed by the
  file's SHA-256) or one SMEV response message (``mode = 'smev'``, keyed by its message id).
  The key is unique per source: the same answer received twice is one batch.
- ``source_record``: one fact a source states about one person (a death, a month of income, a
  registration as entrepreneur …), with the person as the source knows them (the fields of
  ``linkage.records.PersonRecord``), the fact's dates and its attributes. ``fingerprint`` is a
  hash of everything the record says and is unique per source: the same fact arriving in a
  second batch, or late, adds nothing.
- ``source_rejection``: a row of a batch that could not be read, with the reason in Russian.
- ``smev_request``: a request message sent (or waiting to be sent) to a source in the SMEV-style
  mode, with its attempts, the daily quota slot it used, its expiry and the answer batch."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from verification.models import Base


class SourceBatch(Base):
    __tablename__ = "source_batch"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    source: Mapped[str] = mapped_column(String(20))  # fns | sfr | zags | mvd | military
    mode: Mapped[str] = mapped_column(String(10))  # file | smev
    sha256: Mapped[str | None] = mapped_column(String(64), nullable=True)  # file mode
    message_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), nullable=True)  # smev mode
    file_name: Mapped[str | None] = mapped_column(String(300), nullable=True)
    media_type: Mapped[str | None] = mapped_column(String(100), nullable=True)
    organization_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), nullable=True)
    received_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # {"rows": n, "loaded": n, "already_known": n, "rejected": n}
    counts: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))

    __table_args__ = (
        UniqueConstraint("source", "sha256", name="uq_source_batch_sha256"),
        UniqueConstraint("source", "message_id", name="uq_source_batch_message_id"),
    )


class SourceRecord(Base):
    __tablename__ = "source_record"

    id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), primary_key=True, server_default=text("gen_random_uuid()")
    )
    batch_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), ForeignKey("source_batch.id"), index=True)
    source: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(40))
    row_no: Mapped[int] = mapped_column(Integer)
    external_id: Mapped[str | None] = mapped_column(String(100), nullable=True)
    surname: Mapped[str | None] = mapped_column(String(200), nullable=True)
    first_name: Mapped[str | None] = mapped_column(String(200), nullable=True)
    patronymic: Mapped[str | None] = mapped_column(String(200), nullable=True)
    birth_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    sex: Mapped[str | None] = mapped_column(String(10), nullable=True)
    snils: Mapped[str | None] = mapped_column(String(11), nullable=True)
    enp: Mapped[str | None] = mapped_column(String(16), nullable=True)
    doc_type: Mapped[str | None] = mapped_column(String(20), nullable=True)
    doc_series: Mapped[str | None] = mapped_column(String(20), nullable=True)
    doc_number: Mapped[str | None] = mapped_column(String(40), nullable=True)
    inn: Mapped[str | None] = mapped_column(String(12), nullable=True)
    district: Mapped[str | None] = mapped_column(String(20), nullable=True)
    date_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    date_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSONB, server_default=text("'{}'::jsonb"))
    fingerprint: Mapped[bytes] = mapped_column(LargeBinary)

    __table_args__ = (
        UniqueConstraint("source", "fingerprint", name="uq_source_record_fingerprint"),
        Index("ix_source_record_source_kind", "source", "kind"),
    )


class SourceRejection(Base):
    __tablename__ = "source_rejection"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    batch_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), ForeignKey("source_batch.id"), index=True)
    row_no: Mapped[int] = mapped_column(Integer)
    field: Mapped[str | None] = mapped_column(String(60), nullable=True)
    message: Mapped[str] = mapped_column(Text)


class SmevRequest(Base):
    __tablename__ = "smev_request"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    source: Mapped[str] = mapped_column(String(20))
    message_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), unique=True)
    # queued | sent | answered | failed | expired
    status: Mapped[str] = mapped_column(String(10), server_default="queued")
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")
    persons: Mapped[int] = mapped_column(Integer)
    payload: Mapped[bytes] = mapped_column(LargeBinary)  # the request message as sent
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_error: Mapped[str | None] = mapped_column(Text, nullable=True)
    run_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("verification_run.id"), nullable=True, index=True
    )
    batch_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("source_batch.id"), nullable=True
    )

    __table_args__ = (
        Index("ix_smev_request_source_status", "source", "status", "next_attempt_at"),
        Index("ix_smev_request_source_sent_at", "source", "sent_at"),
    )
