"""The CloudEvents-like envelope every event travels in."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any, ClassVar

from pydantic import BaseModel, ConfigDict, Field


class EventPayload(BaseModel):
    """Base of event payload models. ``event_type`` is the routing key
    ``<service>.<aggregate>.<event>``; ``schema_version`` grows on breaking changes."""

    # Tolerant reader: a consumer ignores fields a newer producer adds.
    model_config = ConfigDict(extra="ignore", frozen=True)

    event_type: ClassVar[str]
    schema_version: ClassVar[int] = 1


class EventEnvelope(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID = Field(default_factory=uuid.uuid4)
    type: str
    source: str
    time: datetime = Field(default_factory=lambda: datetime.now(UTC))
    subject: str | None = None
    data: dict[str, Any]
    schema_version: int = 1
    request_id: str | None = None

    @property
    def routing_key(self) -> str:
        return self.type
