"""Organizations of the region: the gateway is where they are registered (event
``gateway.organization.registered`` feeds every service's local copy)."""

import enum
import uuid
from datetime import datetime

from sqlalchemy import CheckConstraint, DateTime, String, UniqueConstraint, func
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from gateway.models import Base


class OrganizationKind(enum.StrEnum):
    mo = "mo"  # medical organization
    pharmacy = "pharmacy"
    warehouse = "warehouse"  # pharmaceutical warehouse
    insurer = "insurer"  # insurance medical organization (СМО)
    tfoms = "tfoms"
    foms = "foms"
    health_authority = "health_authority"  # regional ministry, founder of MOs
    payer = "payer"  # pays contributions for the non-working population


KINDS_SQL = ", ".join(f"'{k.value}'" for k in OrganizationKind)


class Organization(Base):
    __tablename__ = "organization"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    name: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(40))
    code: Mapped[str | None] = mapped_column(String(40), nullable=True)  # e.g. the MO register code
    inn: Mapped[str | None] = mapped_column(String(12), nullable=True)
    ogrn: Mapped[str | None] = mapped_column(String(15), nullable=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    __table_args__ = (
        CheckConstraint(f"kind IN ({KINDS_SQL})", name="kind"),
        # A register code identifies an organization among those of its kind.
        UniqueConstraint("kind", "code", name="uq_organization_kind_code"),
    )
