"""``registry.mo.updated``: one event per change of an MO's structure or passport, written to
the outbox in the change's transaction, with the MO's snapshot after the change (founder,
legal form, beds, attached persons, territory — what finance keeps in its MO profile)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.events.outbox import add_event
from registry.events.published import MoSnapshot, MoUpdated
from registry.models.mo_register import MoDepartment, MoPassport, Territory
from registry.models.person import Person, PersonFact
from registry.person.facts import FactKind
from registry.person.repository import is_current

SOURCE = "registry"
SNAPSHOT_PART = "snapshot"  # nothing changed: the snapshot re-sent (after attachments were loaded)


async def mo_snapshot(session: AsyncSession, mo_id: uuid.UUID, on: date | None = None) -> MoSnapshot:
    """The MO on ``on`` (today): one query of scalar subqueries (the attachment count uses the
    GiST index on current facts by organization, kind and period)."""
    on = on or date.today()
    beds = select(func.sum(MoDepartment.beds)).where(MoDepartment.mo_id == mo_id).scalar_subquery()
    attached = (
        select(func.count())
        .select_from(PersonFact)
        .join(Person, Person.id == PersonFact.person_id)
        .where(
            PersonFact.org_id == mo_id,
            PersonFact.kind == FactKind.attachment.value,
            PersonFact.valid.contains(on),
            is_current(),
            Person.merged_into.is_(None),
        )
        .scalar_subquery()
    )
    founder = select(MoPassport.founder_id).where(MoPassport.mo_id == mo_id).scalar_subquery()
    legal_form = select(MoPassport.legal_form).where(MoPassport.mo_id == mo_id).scalar_subquery()
    oktmo = (
        select(Territory.oktmo)
        .join(MoPassport, MoPassport.territory_id == Territory.id)
        .where(MoPassport.mo_id == mo_id)
        .scalar_subquery()
    )
    row = (
        await session.execute(
            select(
                founder.label("founder_id"),
                legal_form.label("legal_form"),
                oktmo.label("oktmo"),
                beds.label("beds"),
                attached.label("attached"),
            )
        )
    ).one()
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
