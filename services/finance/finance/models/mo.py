"""What finance knows about an MO beyond the organization directory, from registry's
``registry.mo.updated`` (its MO passport): the founder (whose health authority sees it), the
legal form, beds and attached persons (the denominators of the comparisons between MOs)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import DateTime, Integer, String, func
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from finance.models import Base


class MoProfile(Base):
    __tablename__ = "mo_profile"

    mo_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    founder_id: Mapped[uuid.UUID | None] = mapped_column(UUID(as_uuid=True), nullable=True, index=True)
    legal_form: Mapped[str | None] = mapped_column(
        String(20), nullable=True
    )  # budget, autonomous, state, private
    beds: Mapped[int | None] = mapped_column(Integer, nullable=True)
    attached_persons: Mapped[int | None] = mapped_column(Integer, nullable=True)
    territory_oktmo: Mapped[str | None] = mapped_column(String(11), nullable=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # The time of the registry event whose snapshot the row holds (null: not from registry yet);
    # an older snapshot arriving late does not overwrite a newer one.
    snapshot_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
