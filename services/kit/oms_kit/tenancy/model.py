"""The columns of a service's local copy of an organization."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, String, func
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column


class OrganizationCopyMixin:
    """Table ``organization``, fed by ``gateway.organization.registered``. A service maps it
    on its own declarative base, so the table stays in that service's metadata::

        class Organization(OrganizationCopyMixin, Base):
            pass

    The schema is created by ``organization_table_v1_upgrade`` in the service's migrations."""

    __tablename__ = "organization"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    name: Mapped[str] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(40))
    code: Mapped[str | None] = mapped_column(String(40), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
