"""``registry.mo.updated``: one event per change of an MO's structure or passport, written to
the outbox in the change's transaction, with the MO's snapshot after the change (founder,
legal form, beds, attached persons, territory — what finance keeps in its MO profile)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.events.outbox import add_event
from registry.events.published import MoSnapshot, MoUpdated
from registry.mo_register.repository import snapshot_figures

SOURCE = "registry"
SNAPSHOT_PART = "snapshot"  # nothing changed: the snapshot re-sent (after attachments were loaded)


async def mo_snapshot(session: AsyncSession, mo_id: uuid.UUID, on: date | None = None) -> MoSnapshot:
    """The MO on ``on`` (today)."""
    on = on or date.today()
    row = await snapshot_figures(session, mo_id, on)
    return MoSnapshot(
        as_of=on,
        founder_id=row.founder_id,
        legal_form=row.legal_form,
        beds=int(row.beds) if row.beds is not None else None,
        attached_persons=int(row.attached or 0),
        territory_oktmo=row.oktmo,
    )


async def mo_updated(session: AsyncSession, mo_id: uuid.UUID, part: str, object_id: uuid.UUID | None) -> None:
    """``part`` says what changed (passport, branch, department, room, license, area, equipment,
    or ``snapshot``: nothing, the snapshot re-sent). Call after the change is flushed."""
    await add_event(
        session,
        MoUpdated(mo_id=mo_id, part=part, object_id=object_id, snapshot=await mo_snapshot(session, mo_id)),
        source=SOURCE,
        subject=str(mo_id),
    )
