"""The register of insured persons (ЕРЗ): a person, its bitemporal facts, the search projection.

- ``person``: identity only (id, ОИП, merge pointer, mother for newborns). Everything that
  can change or be corrected is a fact.
- ``person_fact``: one row per fact with a validity period (``valid``, dates, when it was true)
  and a recorded period (``recorded``, when the register held it). A correction closes the
  recorded period of the old row and inserts a new row, so "X on date D as known at time T"
  is ``valid @> D AND recorded @> T``. Current facts (``upper_inf(recorded)``) of one kind
  and slot never overlap: the service checks under the person's row lock, and a unique index
  forbids two open-ended ones (decision 0007, amended by migration 0008).
- ``person_search``: one row per person with its current name, birth date and identifiers,
  written in the same transaction as the facts; search reads only this table (see
  docs/decisions/0007-person-history.md)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Date,
    DateTime,
    ForeignKey,
    Identity,
    Sequence,
    String,
    func,
)
from sqlalchemy.dialects.postgresql import DATERANGE, JSONB, TSTZRANGE, UUID, Range
from sqlalchemy.orm import Mapped, mapped_column

from registry.models import Base

OIP_SEQUENCE = Sequence("person_oip_seq", start=1_000_001)


class Person(Base):
    __tablename__ = "person"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    # ОИП: a number that says nothing about the person; stable for life, kept after a merge.
    oip: Mapped[int] = mapped_column(
        BigInteger, OIP_SEQUENCE, server_default=OIP_SEQUENCE.next_value(), unique=True
    )
    merged_into: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("person.id"), nullable=True
    )
    mother_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("person.id"), nullable=True, index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class PersonFact(Base):
    __tablename__ = "person_fact"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    person_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), ForeignKey("person.id"))
    kind: Mapped[str] = mapped_column(String(20))
    # Facts of one kind that may hold at once: the address kind, the document type, the contact kind.
    slot: Mapped[str] = mapped_column(String(40), server_default="")
    valid: Mapped[Range[date]] = mapped_column(DATERANGE)
    recorded: Mapped[Range[datetime]] = mapped_column(
        TSTZRANGE, server_default=func.tstzrange(func.now(), None)
    )
    # The insurer of an insurance fact, the MO of an attachment.
    org_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), nullable=True)
    # The exact-lookup key: SNILS or ENP digits, document series+number, policy number.
    key: Mapped[str | None] = mapped_column(String(64), nullable=True)
    data: Mapped[dict[str, Any]] = mapped_column(JSONB)
    reason: Mapped[str | None] = mapped_column(String(200), nullable=True)
    recorded_by: Mapped[str] = mapped_column(String(200))


class PersonSearch(Base):
    """The current state of a person as search needs it (not a history)."""

    __tablename__ = "person_search"

    person_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("person.id"), primary_key=True
    )
    oip: Mapped[int] = mapped_column(BigInteger)
    surname: Mapped[str] = mapped_column(String(100))
    first_name: Mapped[str] = mapped_column(String(100))
    patronymic: Mapped[str | None] = mapped_column(String(100), nullable=True)
    name_norm: Mapped[str] = mapped_column(String(320))  # upper case, ё→е, hyphens as spaces
    birth_date: Mapped[date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(10))
    snils: Mapped[str | None] = mapped_column(String(11), nullable=True)
    enp: Mapped[str | None] = mapped_column(String(16), nullable=True)
    death_date: Mapped[date | None] = mapped_column(Date, nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class UnidentifiedPerson(Base):
    """НИЛ: a patient an MO could not identify (unconscious, no documents), registered under a
    registration sheet number and later linked to a person of the register."""

    __tablename__ = "unidentified_person"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    sheet_number: Mapped[str] = mapped_column(String(40), unique=True)  # номер листа регистрации
    mo_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    admitted_on: Mapped[date] = mapped_column(Date)
    sex: Mapped[str | None] = mapped_column(String(10), nullable=True)
    estimated_birth_year: Mapped[int | None] = mapped_column(nullable=True)
    description: Mapped[str | None] = mapped_column(String(2000), nullable=True)
    person_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("person.id"), nullable=True, index=True
    )
    linked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    linked_by: Mapped[str | None] = mapped_column(String(200), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    created_by: Mapped[str] = mapped_column(String(200))
