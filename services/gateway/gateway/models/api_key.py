"""API keys of external systems (MIS, accounting, TFOMS and FOMS exchange)."""

import uuid
from datetime import datetime

from sqlalchemy import ARRAY, CheckConstraint, DateTime, ForeignKey, Integer, String, func
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from gateway.models import Base

CLIENT_ROLES = ("mis", "accounting", "tfoms_exchange", "foms_exchange")


class ApiKey(Base):
    __tablename__ = "api_key"

    id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True, default=uuid.uuid4)
    prefix: Mapped[str] = mapped_column(String(16), unique=True)  # shown in lists, identifies the key
    # sha256 of the full key. The key is 256 random bits, so a fast hash is enough: slow
    # password hashes (argon2) exist to stop guessing of low-entropy secrets, and there is
    # nothing to guess here; a fast hash also keeps the per-request lookup cheap.
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    org_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("organization.id"), index=True)
    client_role: Mapped[str] = mapped_column(String(40))
    scopes: Mapped[list[str]] = mapped_column(ARRAY(String(100)))
    rate_per_minute: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), nullable=True)

    __table_args__ = (
        CheckConstraint(
            "client_role IN (" + ", ".join(f"'{r}'" for r in CLIENT_ROLES) + ")", name="client_role"
        ),
        CheckConstraint("rate_per_minute > 0", name="rate_per_minute"),
    )
