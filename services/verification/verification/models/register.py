"""The register of a run: stable subjects, the run's entries, the rows it rejected.

- ``subject``: the stable id of a register person across runs. Its ``key`` is the ЕНП, else
  the СНИЛС, else the normalised surname, first name, patronymic and birth date (the registry
  person id when the register came from ``registry``); a second row of one file with the same
  key gets the key with ``#2`` (see ``verification.register.subjects``).
- ``subject_alias``: a further key of a subject, recorded when a person gained an identifier
  (listed by СНИЛС, later with an ЕНП): the row's new key leads to the subject it had.
- ``register_entry``: one row of the run's register per subject, with the row number in the
  file and a ``fingerprint`` of the person's fields (equal fingerprints across runs: nothing
  changed, nothing to score again).
- ``register_rejection``: one problem of a rejected row (row number, field, Russian message)."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from verification.models import Base


class Subject(Base):
    __tablename__ = "subject"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    key: Mapped[str] = mapped_column(Text, unique=True)
    first_run_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), ForeignKey("verification_run.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SubjectAlias(Base):
    __tablename__ = "subject_alias"

    key: Mapped[str] = mapped_column(Text, primary_key=True)
    subject_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), ForeignKey("subject.id"))
    created_run_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class RegisterEntry(Base):
    __tablename__ = "register_entry"
    __table_args__ = (
        CheckConstraint("sex IN ('male', 'female')", name="sex"),
        Index("ix_register_entry_run_id_row_no", "run_id", "row_no"),
    )

    run_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("verification_run.id", ondelete="CASCADE"), primary_key=True
    )
    # No FK: the load takes the id from ``subject`` by key in the same statement (migration 0002).
    subject_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    row_no: Mapped[int] = mapped_column(Integer)
    surname: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str] = mapped_column(String(100))
    patronymic: Mapped[str | None] = mapped_column(String(100), nullable=True)
    birth_date: Mapped[date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(6))  # 'male' | 'female'
    snils: Mapped[str | None] = mapped_column(String(11), nullable=True)  # digits only
    enp: Mapped[str | None] = mapped_column(String(16), nullable=True)
    doc_type: Mapped[str | None] = mapped_column(String(20), nullable=True)
    doc_series: Mapped[str | None] = mapped_column(String(20), nullable=True)
    doc_number: Mapped[str | None] = mapped_column(String(30), nullable=True)
    address: Mapped[str | None] = mapped_column(String(500), nullable=True)
    district: Mapped[str | None] = mapped_column(String(20), nullable=True)  # district code
    fingerprint: Mapped[bytes] = mapped_column(LargeBinary(16))


class RegisterRejection(Base):
    __tablename__ = "register_rejection"

    run_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("verification_run.id", ondelete="CASCADE"), primary_key=True
    )
    row_no: Mapped[int] = mapped_column(Integer, primary_key=True)
    # The column the problem is in, or 'row' for the row as a whole (shape, encoding).
    field: Mapped[str] = mapped_column(String(40), primary_key=True)
    message: Mapped[str] = mapped_column(String(500))
