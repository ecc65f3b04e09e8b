"""Labels of the demo region: which generated person is a planted duplicate of which (for
measuring matching quality; see registry.demo_region)."""

from __future__ import annotations

import uuid

from sqlalchemy import String
from sqlalchemy.dialects.postgresql import UUID
from sqlalchemy.orm import Mapped, mapped_column

from registry.models import Base


class DemoPlantedDuplicate(Base):
    __tablename__ = "demo_planted_duplicate"

    original_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    duplicate_id: Mapped[uuid.UUID] = mapped_column(UUID(as_uuid=True), primary_key=True)
    # typo, swapped_date, transliterated, maiden_name, no_snils
    distortion: Mapped[str] = mapped_column(String(40))
