"""Pharmacies' stock (остатки): batches of a drug by series, expiry and funding source; the
marked packages of each batch by their marking code (SGTIN); every movement booked as a signed
quantity (the stock card); reservations of packages for a prescription; which pharmacies serve
the patients of an MO (прикрепление аптек к МО).

Invariants kept by the database, not only by the code: quantities never negative, never more
reserved than held, a marked package in exactly one state."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import Mapped, mapped_column

from pharmacy.models import Base

FUNDING = "funding_source IN ('federal', 'regional')"


class PharmacyAttachment(Base):
    """A pharmacy that serves the benefit prescriptions of an MO's patients (the doctor sees
    what these pharmacies hold when choosing a drug)."""

    __tablename__ = "pharmacy_attachment"

    mo_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    pharmacy_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)

    __table_args__ = (Index("ix_pharmacy_attachment_pharmacy", "pharmacy_id"),)


class StockBatch(Base):
    """Packages of one drug of one series in one pharmacy, bought from one funding source.
    ``quantity`` is what the pharmacy holds (reserved included); ``reserved`` is held for
    prescriptions. ``unit_price`` (roubles per package) is what a dispense costs the payer."""

    __tablename__ = "stock_batch"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    pharmacy_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    drug_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("drug.id"))
    series: Mapped[str] = mapped_column(String(20))
    expiry_date: Mapped[date] = mapped_column(Date)
    funding_source: Mapped[str] = mapped_column(String(10))
    unit_price: Mapped[Decimal] = mapped_column(Numeric(14, 2))
    quantity: Mapped[int] = mapped_column(Integer, server_default="0")
    reserved: Mapped[int] = mapped_column(Integer, server_default="0")
    low_threshold: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (
        CheckConstraint(FUNDING, name="funding_source"),
        CheckConstraint("quantity >= 0", name="quantity"),
        CheckConstraint("reserved >= 0 AND reserved <= quantity", name="reserved"),
        CheckConstraint("unit_price >= 0", name="unit_price"),
        UniqueConstraint(
            "pharmacy_id", "drug_id", "series", "funding_source", name="uq_stock_batch_identity"
        ),
        Index("ix_stock_batch_pharmacy_drug", "pharmacy_id", "drug_id"),
        Index("ix_stock_batch_drug", "drug_id"),
    )


class MarkedPackage(Base):
    """One package of a marked drug, known by its SGTIN (GTIN + serial, the code's identity)
    with the crypto tail (AI 91/92) kept exactly as scanned at receipt. ``status``:
    ``in_stock`` (or ``reserved`` for a prescription), ``dispensed``, ``written_off``,
    ``returned`` (to the supplier), ``transferred`` (moved to another pharmacy: the row moves
    with it, so the status there is ``in_stock`` again)."""

    __tablename__ = "marked_package"

    sgtin: Mapped[str] = mapped_column(String(27), primary_key=True)  # 14 GTIN + 13 serial
    gtin: Mapped[str] = mapped_column(String(14))
    serial: Mapped[str] = mapped_column(String(20))
    crypto_key: Mapped[str | None] = mapped_column(String(10))  # AI 91
    crypto_code: Mapped[str | None] = mapped_column(String(100))  # AI 92
    batch_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stock_batch.id"))
    pharmacy_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    status: Mapped[str] = mapped_column(String(12), server_default="in_stock")
    reservation_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    dispense_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    received_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    changed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (
        CheckConstraint(
            "status IN ('in_stock', 'reserved', 'dispensed', 'written_off', 'returned', 'transferred')",
            name="status",
        ),
        Index("ix_marked_package_batch_status", "batch_id", "status"),
        Index("ix_marked_package_pharmacy", "pharmacy_id"),
    )


MOVEMENT_KINDS = (
    "receipt",  # приход от поставщика / со склада
    "transfer_out",  # перемещение в другую аптеку
    "transfer_in",
    "return",  # возврат поставщику
    "write_off",  # списание (истёк срок, брак, бой, изъятие)
    "inventory",  # излишек (+) или недостача (−) по инвентаризации
    "dispense",  # отпуск по рецепту
    "dispense_cancel",  # сторно отпуска
)


class StockMovement(Base):
    """One booked change of a batch: ``quantity`` is signed (+ in, − out). The stock card of a
    drug is these rows in time order with a running balance. ``document`` names the paper behind
    it (накладная, акт списания, инвентаризационная опись, рецепт); ``sgtins`` the marked
    packages moved."""

    __tablename__ = "stock_movement"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    pharmacy_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    batch_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stock_batch.id"))
    drug_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("drug.id"))
    kind: Mapped[str] = mapped_column(String(20))
    quantity: Mapped[int] = mapped_column(Integer)
    balance_after: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(String(40))
    document: Mapped[str | None] = mapped_column(String(200))
    counterparty_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    prescription_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))
    sgtins: Mapped[list[str] | None] = mapped_column(ARRAY(String(27)))
    comment: Mapped[str | None] = mapped_column(String(500))
    document_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("stock_document.id"))
    booked_by: Mapped[str] = mapped_column(String(200))
    booked_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (
        CheckConstraint("quantity <> 0", name="quantity"),
        CheckConstraint("balance_after >= 0", name="balance_after"),
        CheckConstraint(
            "kind IN (" + ", ".join(f"'{k}'" for k in MOVEMENT_KINDS) + ")",
            name="kind",
        ),
        Index("ix_stock_movement_card", "pharmacy_id", "drug_id", "booked_at"),
        Index("ix_stock_movement_batch", "batch_id"),
        Index("ix_stock_movement_document", "document_id"),
        Index("ix_stock_movement_sgtins", "sgtins", postgresql_using="gin"),
    )


class Reservation(Base):
    """Packages of a batch held for a prescription until ``expires_at``; a lapsed reservation
    is released by the periodic sweep (``status`` ``lapsed``), a dispensed one is ``consumed``."""

    __tablename__ = "reservation"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    prescription_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("prescription.id"))
    pharmacy_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    batch_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stock_batch.id"))
    quantity: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(10), server_default="active")
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_reason: Mapped[str | None] = mapped_column(String(40))

    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity"),
        CheckConstraint("status IN ('active', 'released', 'lapsed', 'consumed')", name="status"),
        Index("ix_reservation_prescription", "prescription_id"),
        Index(
            "ix_reservation_active_expiry",
            "expires_at",
            postgresql_where="status = 'active'",
        ),
    )
