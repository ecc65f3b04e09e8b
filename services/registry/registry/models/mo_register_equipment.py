"""The register of medical equipment of the MOs: the unit, its state history, monthly use and
inventory records. ``state`` on the unit is the latest row of its history, kept in the same
transaction, so lists and the need calculation read one table."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import BigInteger, Date, DateTime, ForeignKey, Identity, Index, Integer, Numeric, String, func
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from registry.models import Base


class Equipment(Base):
    __tablename__ = "equipment"
    # The need calculation counts an MO's working units by type.
    __table_args__ = (Index("ix_equipment_mo_type_state", "mo_id", "type_code", "state"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    mo_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), ForeignKey("organization.id"))
    department_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("mo_department.id"), index=True
    )
    room_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("mo_room.id"), nullable=True, index=True
    )
    type_code: Mapped[str] = mapped_column(String(40))  # NSI equipment_type
    model: Mapped[str] = mapped_column(String(300))
    manufacturer: Mapped[str] = mapped_column(String(300))
    serial_number: Mapped[str] = mapped_column(String(100))
    inventory_number: Mapped[str | None] = mapped_column(String(60), nullable=True)
    manufactured_year: Mapped[int] = mapped_column(Integer)
    commissioned_on: Mapped[date] = mapped_column(Date)
    # Hours a month the unit is expected to work; null: the standards' norm for its type.
    norm_hours_month: Mapped[int | None] = mapped_column(Integer, nullable=True)
    state: Mapped[str] = mapped_column(String(20))  # working, under_repair, decommissioned
    state_since: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class EquipmentState(Base):
    """One state of a unit from ``since`` (the next row's ``since`` ends it)."""

    __tablename__ = "equipment_state"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    equipment_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("equipment.id"), index=True
    )
    state: Mapped[str] = mapped_column(String(20))
    since: Mapped[date] = mapped_column(Date)
    reason: Mapped[str | None] = mapped_column(String(500), nullable=True)
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    recorded_by: Mapped[str] = mapped_column(String(200))


class EquipmentUsage(Base):
    """Hours a unit worked in a month (``month`` is its first day)."""

    __tablename__ = "equipment_usage"

    equipment_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("equipment.id"), primary_key=True
    )
    month: Mapped[date] = mapped_column(Date, primary_key=True)
    hours_used: Mapped[float] = mapped_column(Numeric(6, 1, asdecimal=False))


class EquipmentInventory(Base):
    """A record of an inventory count (инвентаризация) of a unit."""

    __tablename__ = "equipment_inventory"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    equipment_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("equipment.id"), index=True
    )
    inventory_number: Mapped[str] = mapped_column(String(60))
    counted_on: Mapped[date] = mapped_column(Date)
    result: Mapped[str] = mapped_column(String(20))  # found, not_found, damaged, surplus
    note: Mapped[str | None] = mapped_column(String(500), nullable=True)
    recorded_by: Mapped[str] = mapped_column(String(200))
    recorded_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
