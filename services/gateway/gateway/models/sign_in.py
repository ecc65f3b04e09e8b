"""Sign-in attempts at the gateway: when, who, from which organization, and whether the
password was accepted. Written by the login in the same transaction as its outcome; read
only in aggregate (the activity dashboard), so the attempted login text is never kept."""

import uuid
from datetime import datetime

from sqlalchemy import ARRAY, BigInteger, Boolean, DateTime, ForeignKey, Identity, Index, String, func, text
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from gateway.models import Base


class SignIn(Base):
    __tablename__ = "sign_in"

    id: Mapped[int] = mapped_column(BigInteger, Identity(), primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    # Null for a login that names no account (the attempt still counts as failed).
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), nullable=True
    )
    org_id: Mapped[uuid.UUID | None] = mapped_column(
        UUID(as_uuid=True), ForeignKey("organization.id"), nullable=True
    )
    # The account's roles at the time: counts by role stay true after roles change.
    roles: Mapped[list[str]] = mapped_column(ARRAY(String(40)), server_default=text("'{}'"), default=list)
    succeeded: Mapped[bool] = mapped_column(Boolean)

    __table_args__ = (
        Index("ix_sign_in_at", "at"),
        Index("ix_sign_in_org_id_at", "org_id", "at"),
    )
