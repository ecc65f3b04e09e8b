"""Benefit prescriptions (рецепты 148-1/у-04(л), 148-1/у-06(л)), their per-MO numbering, the
dispenses against them (one per prescription, per marked package), the deferred-service list
and the track-and-trace reports of dispensed packages.

The prescription names a drug by МНН, form and dosage (a trade name only when the doctor
chose one: ``drug_id``); the pharmacy dispenses any drug of that МНН/form/dosage it holds."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB, UUID
from sqlalchemy.orm import Mapped, mapped_column

from pharmacy.models import Base

PRESCRIPTION_STATUSES = ("issued", "deferred", "dispensed", "cancelled", "expired")


class PrescriptionCounter(Base):
    """The last number given in an MO's series (locked row: numbers are gapless per MO)."""

    __tablename__ = "prescription_counter"

    series: Mapped[str] = mapped_column(String(7), primary_key=True)
    last_number: Mapped[int] = mapped_column(Integer, server_default="0")


class Prescription(Base):
    __tablename__ = "prescription"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    form: Mapped[str] = mapped_column(String(20))
    series: Mapped[str] = mapped_column(String(7))
    number: Mapped[int] = mapped_column(Integer)
    mo_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    mo_code: Mapped[str] = mapped_column(String(10))
    doctor_subject: Mapped[str] = mapped_column(String(200))
    doctor_name: Mapped[str | None] = mapped_column(String(300))
    person_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    beneficiary_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("beneficiary.id"))
    category_code: Mapped[str] = mapped_column(ForeignKey("benefit_category.code"))
    funding_source: Mapped[str] = mapped_column(String(10))
    discount_percent: Mapped[int] = mapped_column(SmallInteger, server_default="100")
    diagnosis_code: Mapped[str] = mapped_column(String(10))
    drug_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("drug.id"))
    inn: Mapped[str] = mapped_column(String(300))
    dosage_form: Mapped[str] = mapped_column(String(200))
    dosage: Mapped[str] = mapped_column(String(100))
    quantity: Mapped[int] = mapped_column(Integer)  # packages
    signa: Mapped[str] = mapped_column(String(500))  # способ применения
    issued_on: Mapped[date] = mapped_column(Date)
    validity_basis: Mapped[str] = mapped_column(String(40))
    valid_until: Mapped[date] = mapped_column(Date)
    pharmacy_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))  # where it is reserved
    status: Mapped[str] = mapped_column(String(10), server_default="issued")
    copied_from_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    # the detached signature over the canonical form (pharmacy/signing)
    signature_algorithm: Mapped[str | None] = mapped_column(String(40))
    signature: Mapped[bytes | None] = mapped_column(LargeBinary)
    signature_certificate: Mapped[bytes | None] = mapped_column(LargeBinary)
    signature_cms: Mapped[bytes | None] = mapped_column(LargeBinary)
    signed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancelled_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    cancel_reason: Mapped[str | None] = mapped_column(String(500))
    # The patient and the paper as written on the form at issue (migration 0006): the register's
    # name, birth date, SNILS and policy then, the medical record number the doctor gave, and for
    # 148-1/у-06(л) the text of its barcode.
    patient_full_name: Mapped[str | None] = mapped_column(String(300))
    patient_birth_date: Mapped[date | None] = mapped_column(Date)
    patient_snils: Mapped[str | None] = mapped_column(String(11))
    patient_policy_number: Mapped[str | None] = mapped_column(String(16))
    medical_record_number: Mapped[str | None] = mapped_column(String(30))
    barcode: Mapped[str | None] = mapped_column(String(100))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity"),
        CheckConstraint("funding_source IN ('federal', 'regional')", name="funding_source"),
        CheckConstraint(
            "status IN (" + ", ".join(f"'{s}'" for s in PRESCRIPTION_STATUSES) + ")", name="status"
        ),
        CheckConstraint("valid_until >= issued_on", name="validity"),
        UniqueConstraint("series", "number", name="uq_prescription_series_number"),
        Index("ix_prescription_mo_issued", "mo_id", "issued_on"),
        Index("ix_prescription_person", "person_id"),
        Index("ix_prescription_status", "status"),
        Index("ix_prescription_pharmacy", "pharmacy_id"),
        Index("ix_prescription_inn", "inn"),
        Index("ix_prescription_issued_on", "issued_on"),
    )


class Dispense(Base):
    """The dispense of a prescription (at most one: the unique prescription id is the last word
    on "dispensed twice"). ``amount`` = Σ unit prices of the packages given."""

    __tablename__ = "dispense"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    prescription_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("prescription.id"), unique=True)
    pharmacy_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    mo_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    pharmacist_subject: Mapped[str] = mapped_column(String(200))
    dispensed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    quantity: Mapped[int] = mapped_column(Integer)
    amount: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    funding_source: Mapped[str] = mapped_column(String(10))
    drug_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("drug.id"))

    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity"),
        Index("ix_dispense_pharmacy_at", "pharmacy_id", "dispensed_at"),
    )


class DispenseItem(Base):
    """One package given: its batch and, for a marked drug, its SGTIN (unique: a package is
    dispensed once)."""

    __tablename__ = "dispense_item"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    dispense_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("dispense.id", ondelete="CASCADE"), index=True)
    batch_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stock_batch.id"))
    sgtin: Mapped[str | None] = mapped_column(String(27), unique=True)
    unit_price: Mapped[Decimal] = mapped_column(Numeric(14, 2))


class DeferredService(Base):
    """A prescription the pharmacy could not fill, accepted for deferred service on
    ``requested_on``; ``deadline`` by the rules (5/10/15 working days); served first (oldest
    first) when stock arrives."""

    __tablename__ = "deferred_service"

    prescription_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("prescription.id"), primary_key=True)
    pharmacy_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    kind: Mapped[str] = mapped_column(String(30))
    requested_on: Mapped[date] = mapped_column(Date)
    deadline: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), server_default="waiting")
    reservation_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    served_on: Mapped[date | None] = mapped_column(Date)
    registered_by: Mapped[str] = mapped_column(String(200))
    registered_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (
        CheckConstraint("status IN ('waiting', 'ready', 'served', 'cancelled')", name="status"),
        Index("ix_deferred_service_pharmacy_status", "pharmacy_id", "status", "requested_on"),
    )


class TraceReport(Base):
    """A report to the national track-and-trace system (МДЛП) of packages leaving circulation
    (dispensed by a benefit prescription, written off, returned...). ``idempotency_key`` is the
    report's own: a resend carries the same key. ``status``: ``queued`` → ``sent`` →
    ``accepted`` | ``rejected`` (``failed`` after the attempts run out)."""

    __tablename__ = "trace_report"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    idempotency_key: Mapped[str] = mapped_column(String(80), unique=True)
    operation: Mapped[str] = mapped_column(String(40))
    pharmacy_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    dispense_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), index=True)
    sgtins: Mapped[list[str]] = mapped_column(JSONB, server_default="[]")
    document: Mapped[str] = mapped_column(Text)  # the XML as sent
    status: Mapped[str] = mapped_column(String(10), server_default="queued")
    attempts: Mapped[int] = mapped_column(Integer, server_default="0")
    external_id: Mapped[str | None] = mapped_column(String(100))
    error: Mapped[str | None] = mapped_column(String(1000))
    details: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    # the clock of the statement that writes the row, not the transaction's start: reports
    # queued in one transaction keep their order, which the sender follows (migration 0009)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.clock_timestamp()
    )
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    answered_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # when the sender next tries (a resend after a failed attempt, or the next poll of a sent
    # report); NULL — at once (migration 0008)
    next_attempt_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        CheckConstraint("status IN ('queued', 'sent', 'accepted', 'rejected', 'failed')", name="status"),
        Index("ix_trace_report_status", "status", "created_at"),
        Index("ix_trace_report_pharmacy_created", "pharmacy_id", "created_at"),
    )
