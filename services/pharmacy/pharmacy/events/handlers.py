"""What the pharmacy consumes. Handlers are idempotent: the inbox records each event id in
the same transaction as the effect."""

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.events import EventEnvelope, EventHandlers
from oms_kit.tenancy import register_organization_copy
from pharmacy.beneficiaries import repository as beneficiaries
from pharmacy.events.consumed import (
    RegistryPersonDeathRetracted,
    RegistryPersonDied,
    RegistryPersonMerged,
    RegistryPersonUnmerged,
)
from pharmacy.models import Organization
from pharmacy.prescriptions import service as prescriptions

handlers = EventHandlers(queue="pharmacy")
register_organization_copy(handlers, Organization)


@handlers.on(RegistryPersonDied)
async def on_person_died(session: AsyncSession, envelope: EventEnvelope, payload: RegistryPersonDied) -> None:
    """The beneficiary's entitlement is suspended from the death date (the latest event wins);
    while the death is in force (a late event older than a retraction is not), the person's open
    prescriptions — of every id merged with theirs — are cancelled and their reservations
    released (``prescriptions.service.cancel_open_for_person``)."""
    await beneficiaries.record_death(
        session, payload.person_id, payload.death_date, retracted=False, event_time=envelope.time
    )
    ids = await beneficiaries.same_person_ids(session, payload.person_id)
    death = await beneficiaries.death_of(session, ids)
    if death is not None:
        await prescriptions.cancel_open_for_person(
            session, ids, reason=f"Смерть пациента {death:%d.%m.%Y}", cause="death", open_on=death
        )


@handlers.on(RegistryPersonDeathRetracted)
async def on_person_death_retracted(
    session: AsyncSession, envelope: EventEnvelope, payload: RegistryPersonDeathRetracted
) -> None:
    """A death recorded in error withdrawn: the entitlement is back (unless a later death came)."""
    await beneficiaries.record_death(
        session, payload.person_id, payload.retracted_death_date, retracted=True, event_time=envelope.time
    )


@handlers.on(RegistryPersonMerged)
async def on_person_merged(
    session: AsyncSession, envelope: EventEnvelope, payload: RegistryPersonMerged
) -> None:
    """Reads by either id see the two persons' beneficiary records together."""
    await beneficiaries.record_merge(
        session,
        payload.merge_id,
        payload.survivor_id,
        payload.merged_id,
        undone=False,
        event_time=envelope.time,
    )


@handlers.on(RegistryPersonUnmerged)
async def on_person_unmerged(
    session: AsyncSession, envelope: EventEnvelope, payload: RegistryPersonUnmerged
) -> None:
    """The merge undone: each id sees its own records again."""
    await beneficiaries.record_merge(
        session,
        payload.merge_id,
        payload.survivor_id,
        payload.merged_id,
        undone=True,
        event_time=envelope.time,
    )
