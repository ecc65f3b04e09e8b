"""``registry.mo.updated``: one event per change of an MO's structure or passport, written to
the outbox in the change's transaction."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.events.outbox import add_event
from registry.events.published import MoUpdated

SOURCE = "registry"


async def mo_updated(session: AsyncSession, mo_id: uuid.UUID, part: str, object_id: uuid.UUID | None) -> None:
    """``part`` says what changed (passport, branch, department, room, license, area, equipment)."""
    await add_event(
        session, MoUpdated(mo_id=mo_id, part=part, object_id=object_id), source=SOURCE, subject=str(mo_id)
    )
