"""The papers behind stock movements (приходная накладная, накладная на перемещение, возврат
поставщику, акт списания, инвентаризационная опись) and the counted lines of an inventory.

A receipt is kept once per pharmacy, invoice number and date (a repeat is refused: the
partial unique index). An inventory is a ``draft`` while it is being counted and ``posted`` when
its differences are booked; the other documents are posted when written."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import CheckConstraint, Date, DateTime, ForeignKey, Index, Integer, String, func, text
from sqlalchemy.dialects.postgresql import ARRAY, UUID
from sqlalchemy.orm import Mapped, mapped_column

from pharmacy.models import Base

DOCUMENT_KINDS = ("receipt", "transfer", "return", "write_off", "inventory")
WRITE_OFF_REASONS = ("expired", "defect", "damage", "recall", "shortage")


class StockDocument(Base):
    __tablename__ = "stock_document"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    pharmacy_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    kind: Mapped[str] = mapped_column(String(12))
    number: Mapped[str] = mapped_column(String(60))
    doc_date: Mapped[date] = mapped_column(Date)
    counterparty_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True))  # the other pharmacy
    counterparty_name: Mapped[str | None] = mapped_column(String(300))  # the supplier
    reason: Mapped[str | None] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(10), server_default="posted")
    comment: Mapped[str | None] = mapped_column(String(500))
    created_by: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    posted_by: Mapped[str | None] = mapped_column(String(200))
    posted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    __table_args__ = (
        CheckConstraint("kind IN (" + ", ".join(f"'{k}'" for k in DOCUMENT_KINDS) + ")", name="kind"),
        CheckConstraint("status IN ('draft', 'posted')", name="status"),
        CheckConstraint(
            "reason IS NULL OR reason IN (" + ", ".join(f"'{r}'" for r in WRITE_OFF_REASONS) + ")",
            name="reason",
        ),
        Index(
            "uq_stock_document_receipt",
            "pharmacy_id",
            "number",
            "doc_date",
            unique=True,
            postgresql_where=text("kind = 'receipt'"),
        ),
        Index("ix_stock_document_pharmacy_created", "pharmacy_id", "created_at"),
    )


class InventoryLine(Base):
    """One batch counted in an inventory: ``counted_quantity`` (for a marked drug the number of
    ``codes`` scanned); ``book_quantity`` and ``difference`` are fixed when the inventory is
    posted."""

    __tablename__ = "inventory_line"

    document_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("stock_document.id", ondelete="CASCADE"), primary_key=True
    )
    batch_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("stock_batch.id"), primary_key=True)
    counted_quantity: Mapped[int] = mapped_column(Integer)
    codes: Mapped[list[str] | None] = mapped_column(ARRAY(String(27)))
    book_quantity: Mapped[int | None] = mapped_column(Integer)
    difference: Mapped[int | None] = mapped_column(Integer)

    __table_args__ = (CheckConstraint("counted_quantity >= 0", name="counted_quantity"),)
