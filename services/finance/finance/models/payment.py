"""Payment orders and statement lines of an MO's accounts, as its accounting system exchanges
them (1C ``1CClientBankExchange``, CSV/XLSX), each classified to a КВФО and an expense (or
income) КОСГУ. ``direction``: ``out`` — the MO pays (an expense), ``in`` — it receives.

A document is the same document when its number, date, amount and the MO's account agree
(``uq_payment_order_document``): re-importing a file or an overlapping statement adds nothing."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    Index,
    Numeric,
    SmallInteger,
    String,
    Text,
    UniqueConstraint,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from finance.models import Base


class PaymentOrder(Base):
    __tablename__ = "payment_order"
    __table_args__ = (
        UniqueConstraint(
            "mo_id", "doc_number", "doc_date", "amount", "account", name="uq_payment_order_document"
        ),
        CheckConstraint("direction IN ('out', 'in')", name="direction"),
        CheckConstraint("amount > 0", name="amount_positive"),
        CheckConstraint(
            "classified_by IS NULL OR classified_by IN ('rule', 'model', 'user')", name="classified_by"
        ),
        Index("ix_payment_order_mo_date", "mo_id", "doc_date"),
        Index("ix_payment_order_review", "mo_id", "doc_date", postgresql_where=text("needs_review")),
    )

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    mo_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True))
    import_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), nullable=True, index=True)
    direction: Mapped[str] = mapped_column(String(3))
    doc_kind: Mapped[str] = mapped_column(String(60))  # «Платежное поручение», «Банковский ордер» …
    doc_number: Mapped[str] = mapped_column(String(40))
    doc_date: Mapped[date] = mapped_column(Date)
    amount: Mapped[Decimal] = mapped_column(Numeric(18, 2))
    account: Mapped[str] = mapped_column(String(34))  # the MO's account (payer's for out, payee's for in)
    payer_name: Mapped[str] = mapped_column(String(500))
    payer_inn: Mapped[str | None] = mapped_column(String(12), nullable=True)
    payer_kpp: Mapped[str | None] = mapped_column(String(9), nullable=True)
    payer_account: Mapped[str | None] = mapped_column(String(34), nullable=True)
    payer_bik: Mapped[str | None] = mapped_column(String(9), nullable=True)
    payee_name: Mapped[str] = mapped_column(String(500))
    payee_inn: Mapped[str | None] = mapped_column(String(12), nullable=True)
    payee_kpp: Mapped[str | None] = mapped_column(String(9), nullable=True)
    payee_account: Mapped[str | None] = mapped_column(String(34), nullable=True)
    payee_bik: Mapped[str | None] = mapped_column(String(9), nullable=True)
    purpose: Mapped[str] = mapped_column(Text)  # НазначениеПлатежа
    kbk: Mapped[str | None] = mapped_column(String(20), nullable=True)  # ПоказательКБК
    written_off: Mapped[date | None] = mapped_column(Date, nullable=True)  # ДатаСписано
    received: Mapped[date | None] = mapped_column(Date, nullable=True)  # ДатаПоступило
    # classification: set by the rules, the model or a person
    kvfo: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    kosgu: Mapped[str | None] = mapped_column(String(3), nullable=True)
    classified_by: Mapped[str | None] = mapped_column(String(5), nullable=True)
    confidence: Mapped[float | None] = mapped_column(Float, nullable=True)
    needs_review: Mapped[bool] = mapped_column(Boolean, server_default="false")
    classified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
