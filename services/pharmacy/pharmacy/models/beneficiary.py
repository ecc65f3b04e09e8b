"""The register of beneficiaries (льготники): categories and drug lists (reference data),
beneficiaries, their entitlements with the documents behind them, refusals of the in-kind
benefit per year, relevant diagnoses; the registry's deaths and merges as consumed; loads of
the federal register."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    SmallInteger,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from pharmacy.models import Base

FUNDING = "funding_source IN ('federal', 'regional')"


class DrugList(Base):
    __tablename__ = "drug_list"

    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    funding_source: Mapped[str] = mapped_column(String(10))
    basis: Mapped[str] = mapped_column(String(300))
    inns: Mapped[list[str]] = mapped_column(ARRAY(String(300)), server_default="{}")

    __table_args__ = (CheckConstraint(FUNDING, name="funding_source"),)


class BenefitCategory(Base):
    __tablename__ = "benefit_category"

    code: Mapped[str] = mapped_column(String(30), primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(300))
    funding_source: Mapped[str] = mapped_column(String(10))
    drug_list_code: Mapped[str] = mapped_column(ForeignKey("drug_list.code"))
    discount_percent: Mapped[int] = mapped_column(SmallInteger, server_default="100")
    icd10: Mapped[list[str]] = mapped_column(ARRAY(String(10)), server_default="{}")
    in_kind_refusable: Mapped[bool] = mapped_column(Boolean, server_default="false")
    basis: Mapped[str] = mapped_column(String(300))
    sort_order: Mapped[int] = mapped_column(Integer)

    __table_args__ = (
        CheckConstraint(FUNDING, name="funding_source"),
        CheckConstraint("kind IN ('onls', 'vzn', 'regional_disease', 'regional_social')", name="kind"),
    )


class Beneficiary(Base):
    """A registry person on the register. ``person_id`` is the registry's id (none yet for a
    line of the federal register whose SNILS matches nobody here); ``home_region`` and
    ``temporary_until`` mark a person from another region served here for a time."""

    __tablename__ = "beneficiary"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    person_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), unique=True)
    snils: Mapped[str | None] = mapped_column(String(11), unique=True)
    enp: Mapped[str | None] = mapped_column(String(16))
    # A copy of the name as the federal register sent it (none for a person registered here by id
    # alone: the registry holds the name).
    surname: Mapped[str | None] = mapped_column(String(100))
    first_name: Mapped[str | None] = mapped_column(String(100))
    patronymic: Mapped[str | None] = mapped_column(String(100))
    birth_date: Mapped[date | None] = mapped_column(Date)
    sex: Mapped[str | None] = mapped_column(String(6))
    home_region: Mapped[str | None] = mapped_column(String(2))
    temporary_until: Mapped[date | None] = mapped_column(Date)
    source: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (
        CheckConstraint("sex IN ('male', 'female')", name="sex"),
        CheckConstraint("source IN ('federal_register', 'manual', 'demo')", name="source"),
        Index("ix_beneficiary_surname", "surname", "first_name"),
    )


class Entitlement(Base):
    """A category held from ``valid_from`` to ``valid_to`` (inclusive; none — open-ended), with
    the document behind it."""

    __tablename__ = "entitlement"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    beneficiary_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("beneficiary.id", ondelete="CASCADE"), index=True
    )
    category_code: Mapped[str] = mapped_column(ForeignKey("benefit_category.code"), index=True)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    document_kind: Mapped[str | None] = mapped_column(String(200))
    document_series: Mapped[str | None] = mapped_column(String(20))
    document_number: Mapped[str | None] = mapped_column(String(40))
    document_date: Mapped[date | None] = mapped_column(Date)
    document_issuer: Mapped[str | None] = mapped_column(String(300))
    source: Mapped[str] = mapped_column(String(20))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="period"),
        CheckConstraint("source IN ('federal_register', 'manual', 'demo')", name="source"),
        UniqueConstraint("beneficiary_id", "category_code", "valid_from", name="uq_entitlement_start"),
    )


class InKindRefusal(Base):
    """The person chose money instead of the in-kind drugs of the НСУ for ``year`` (federal
    register's «отказники»): no ОНЛС drugs that year."""

    __tablename__ = "in_kind_refusal"

    beneficiary_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("beneficiary.id", ondelete="CASCADE"), primary_key=True
    )
    year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    source: Mapped[str] = mapped_column(String(20))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class BeneficiaryDiagnosis(Base):
    """An ICD-10 diagnosis relevant to the disease categories."""

    __tablename__ = "beneficiary_diagnosis"

    beneficiary_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("beneficiary.id", ondelete="CASCADE"), primary_key=True
    )
    icd10: Mapped[str] = mapped_column(String(10), primary_key=True)
    since: Mapped[date | None] = mapped_column(Date)


class PersonDeath(Base):
    """The registry's ``registry.person.died`` / ``death_retracted`` of a person, the latest by
    the envelope's time wins (a late older event changes nothing)."""

    __tablename__ = "person_death"

    person_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    death_date: Mapped[date] = mapped_column(Date)
    retracted: Mapped[bool] = mapped_column(Boolean, server_default="false")
    event_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class PersonMerge(Base):
    """The registry merged ``merged_id`` into ``survivor_id`` (``registry.person.merged``);
    ``undone`` once ``registry.person.unmerged`` arrives. Beneficiaries keep their own
    ``person_id``: a read by either id sees the survivor's and the merged one's together."""

    __tablename__ = "person_merge"

    merge_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    survivor_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    merged_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), index=True)
    undone: Mapped[bool] = mapped_column(Boolean, server_default="false")
    event_time: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class RegisterLoad(Base):
    """One load of the federal register file: its diff and per-line problems."""

    __tablename__ = "register_load"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    job_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    file_name: Mapped[str] = mapped_column(String(255))
    file_sha256: Mapped[str] = mapped_column(String(64))
    as_of: Mapped[date] = mapped_column(Date)
    lines: Mapped[int] = mapped_column(Integer, server_default="0")
    new: Mapped[int] = mapped_column(Integer, server_default="0")
    ended: Mapped[int] = mapped_column(Integer, server_default="0")
    changed: Mapped[int] = mapped_column(Integer, server_default="0")
    unchanged: Mapped[int] = mapped_column(Integer, server_default="0")
    refusals: Mapped[int] = mapped_column(Integer, server_default="0")
    problems: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, server_default="[]")
    changes: Mapped[list[dict[str, Any]]] = mapped_column(JSONB, server_default="[]")
    # The lines matched to registry persons by SNILS and those left unmatched, with the reason
    # (beneficiaries/register_match.py); none for loads before the matching (migration 0010).
    matching: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    loaded_by: Mapped[str] = mapped_column(String(200))
    loaded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
