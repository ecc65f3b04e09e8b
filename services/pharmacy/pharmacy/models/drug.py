"""The drug catalogue (справочник лекарственных препаратов): one row per medicinal product
(МНН, trade name, form, dosage, package), its GTINs, and its membership of the drug lists
(ОНЛС, ВЗН, regional) of the beneficiaries slice. ``valid_from``/``valid_to`` follow the NSI
convention (inclusive; none — open-ended) so a check "the NSI entry is valid on that date" can
be made at dispensing."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import Boolean, CheckConstraint, Date, DateTime, ForeignKey, Index, Integer, String, func
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from pharmacy.models import Base


class Drug(Base):
    __tablename__ = "drug"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    inn: Mapped[str] = mapped_column(String(300))
    trade_name: Mapped[str] = mapped_column(String(300))
    dosage_form: Mapped[str] = mapped_column(String(200))
    dosage: Mapped[str] = mapped_column(String(100))
    package_quantity: Mapped[int] = mapped_column(Integer)
    atc_code: Mapped[str | None] = mapped_column(String(7))
    vital: Mapped[bool] = mapped_column(Boolean, server_default="false")
    marked: Mapped[bool] = mapped_column(Boolean, server_default="true")
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (
        CheckConstraint("package_quantity > 0", name="package_quantity"),
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="validity"),
        Index("ix_drug_inn", "inn"),
        Index("ix_drug_trade_name", "trade_name"),
    )


class DrugGtin(Base):
    """A GTIN (14 digits, GS1 check digit verified) names exactly one drug."""

    __tablename__ = "drug_gtin"

    gtin: Mapped[str] = mapped_column(String(14), primary_key=True)
    drug_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("drug.id", ondelete="CASCADE"), index=True)


class DrugListItem(Base):
    """A drug on a drug list (the list's ``inns`` stay as the INN-level statement of the list)."""

    __tablename__ = "drug_list_item"

    drug_list_code: Mapped[str] = mapped_column(ForeignKey("drug_list.code"), primary_key=True)
    drug_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("drug.id", ondelete="CASCADE"), primary_key=True)

    __table_args__ = (Index("ix_drug_list_item_drug", "drug_id"),)
