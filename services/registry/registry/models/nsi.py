"""NSI (reference dictionaries): a dictionary, its immutable versions, and each version's entries.

Every version keeps its full content (entries are copied per version: ICD-10 is ~12-17 thousand
rows, so a copy costs a few MB and buys simple, indexed reads). "The version in force on D" is
the latest version whose ``valid_from`` is on or before D (index on dictionary, valid_from);
"the entry valid on D" is then a lookup by (version, code) filtered by the entry's own period."""

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
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from registry.models import Base

# Codes compare byte-wise: ``ORDER BY code`` and ``code LIKE 'A0%'`` then use the same btree
# index whatever the database's collation.
CODE = String(100, collation="C")


class NsiDictionary(Base):
    __tablename__ = "nsi_dictionary"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    code: Mapped[str] = mapped_column(String(60), unique=True)  # short code in URLs: icd10
    identifier: Mapped[str | None] = mapped_column(String(100), unique=True, nullable=True)  # OID / F011
    name: Mapped[str] = mapped_column(String(500))
    description: Mapped[str | None] = mapped_column(Text, nullable=True)
    owner: Mapped[str] = mapped_column(String(300))  # who maintains it: Минздрав, ФФОМС, the project
    # Which columns of an import file hold what; everything else goes to ``attributes``.
    columns: Mapped[dict[str, Any]] = mapped_column(JSONB)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class NsiVersion(Base):
    __tablename__ = "nsi_version"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    dictionary_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("nsi_dictionary.id", ondelete="CASCADE")
    )
    version: Mapped[str] = mapped_column(String(40))  # as on the portal: "2.21"
    valid_from: Mapped[date] = mapped_column(Date)
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    job_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), nullable=True)
    source_name: Mapped[str | None] = mapped_column(String(255), nullable=True)
    record_count: Mapped[int] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64))

    __table_args__ = (
        UniqueConstraint("dictionary_id", "version", name="uq_nsi_version_dictionary_id_version"),
        Index("ix_nsi_version_dictionary_id_valid_from", "dictionary_id", "valid_from"),
        Index("ix_nsi_version_dictionary_id_content_hash", "dictionary_id", "content_hash"),
    )


class NsiEntry(Base):
    __tablename__ = "nsi_entry"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=True)
    version_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("nsi_version.id", ondelete="CASCADE")
    )
    code: Mapped[str] = mapped_column(CODE)
    name: Mapped[str] = mapped_column(Text)
    # Lower case with ё folded to е: what a name search compares against.
    search_name: Mapped[str] = mapped_column(Text)
    parent_code: Mapped[str | None] = mapped_column(CODE, nullable=True)
    attributes: Mapped[dict[str, Any]] = mapped_column(JSONB)
    valid_from: Mapped[date | None] = mapped_column(Date, nullable=True)
    valid_to: Mapped[date | None] = mapped_column(Date, nullable=True)

    __table_args__ = (
        UniqueConstraint("version_id", "code", name="uq_nsi_entry_version_id_code"),
        Index("ix_nsi_entry_version_id_parent_code", "version_id", "parent_code"),
    )
