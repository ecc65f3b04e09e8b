"""The MO register (паспорт МО): region territories with their demographics, and the structure
of each medical organization — branches, departments, rooms, licenses, service areas.

The MO itself is the ``organization`` row the gateway's directory feeds (kind ``mo``); every
table here carries ``mo_id`` (that organization's id), so the organization scope of a row is
one column, whatever its depth in the hierarchy. Equipment is in ``mo_register_equipment``."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    ARRAY,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    SmallInteger,
    String,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from registry.models import Base


class Territory(Base):
    """A district of the region (муниципальный район / городской округ) with its ОКТМО code."""

    __tablename__ = "territory"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    oktmo: Mapped[str] = mapped_column(String(11), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(30))  # municipal_district, city_okrug, municipal_okrug
    center: Mapped[str | None] = mapped_column(String(200), nullable=True)  # административный центр
    synthetic: Mapped[bool] = mapped_column(Boolean, server_default="false")  # demo: not a real ОКТМО
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class TerritoryPopulation(Base):
    """Population of a territory on 1 January of ``year`` by age band and sex (as Rosstat gives it);
    ``age_to`` is null for the open band (``85+``)."""

    __tablename__ = "territory_population"

    territory_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("territory.id", ondelete="CASCADE"), primary_key=True
    )
    year: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    sex: Mapped[str] = mapped_column(String(10), primary_key=True)
    age_from: Mapped[int] = mapped_column(SmallInteger, primary_key=True)
    age_to: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    population: Mapped[int] = mapped_column(Integer)


class MoPassport(Base):
    """The MO card beyond the directory's name and code: where it is, who heads it, who founds
    it (the health authority organization) and its legal form (budget, autonomous, state, private)."""

    __tablename__ = "mo_passport"
    __table_args__ = (
        CheckConstraint(
            "legal_form IS NULL OR legal_form IN ('budget', 'autonomous', 'state', 'private')",
            name="legal_form",
        ),
    )

    mo_id: Mapped[uuid.UUID] = mapped_column(
        UUID(as_uuid=True), ForeignKey("organization.id"), primary_key=True
    )
    territory_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("territory.id"), nullable=True, index=True
    )
    address: Mapped[str | None] = mapped_column(String(500), nullable=True)
    head_name: Mapped[str | None] = mapped_column(String(300), nullable=True)
    phone: Mapped[str | None] = mapped_column(String(40), nullable=True)
    founder_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), nullable=True)
    legal_form: Mapped[str | None] = mapped_column(String(20), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_by: Mapped[str] = mapped_column(String(200))


class MoBranch(Base):
    """A branch (филиал) or a separate unit (обособленное подразделение) of an MO."""

    __tablename__ = "mo_branch"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    mo_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), ForeignKey("organization.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))  # branch, separate_unit
    name: Mapped[str] = mapped_column(String(300))
    address: Mapped[str | None] = mapped_column(String(500), nullable=True)
    territory_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("territory.id"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class MoDepartment(Base):
    """A department (отделение) of the MO's main site (``branch_id`` null) or of a branch; its
    ``department_type`` is the key of the equipping standards."""

    __tablename__ = "mo_department"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    mo_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), ForeignKey("organization.id"), index=True)
    branch_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("mo_branch.id"), nullable=True, index=True
    )
    name: Mapped[str] = mapped_column(String(300))
    department_type: Mapped[str] = mapped_column(String(40))
    care_profiles: Mapped[list[str]] = mapped_column(ARRAY(String(20)), server_default="{}")
    beds: Mapped[int | None] = mapped_column(Integer, nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class MoRoom(Base):
    """A room (кабинет, помещение) of a department."""

    __tablename__ = "mo_room"
    __table_args__ = (UniqueConstraint("department_id", "number"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    mo_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), ForeignKey("organization.id"), index=True)
    department_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), ForeignKey("mo_department.id"))
    number: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(300))
    floor: Mapped[int | None] = mapped_column(SmallInteger, nullable=True)
    area_m2: Mapped[float | None] = mapped_column(Numeric(8, 2, asdecimal=False), nullable=True)


class MoLicense(Base):
    """A license for medical activity; an MO's license periods never overlap (a re-issued license
    starts when the previous one ends). ``care_profiles`` are the works and services it covers."""

    __tablename__ = "mo_license"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    mo_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), ForeignKey("organization.id"), index=True)
    number: Mapped[str] = mapped_column(String(60))
    issued_on: Mapped[date] = mapped_column(Date)
    issuer: Mapped[str | None] = mapped_column(String(300), nullable=True)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date, nullable=True)  # null: бессрочная
    care_profiles: Mapped[list[str]] = mapped_column(ARRAY(String(20)))


class MoArea(Base):
    """A service area (участок) of an MO; attachments name it by ``code`` (``area_code``)."""

    __tablename__ = "mo_area"
    __table_args__ = (UniqueConstraint("mo_id", "code"),)

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    mo_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), ForeignKey("organization.id"))
    department_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("mo_department.id"), nullable=True, index=True
    )
    code: Mapped[str] = mapped_column(String(20))
    kind: Mapped[str] = mapped_column(String(30))
    description: Mapped[str | None] = mapped_column(String(500), nullable=True)
    territory_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("territory.id"), nullable=True
    )
