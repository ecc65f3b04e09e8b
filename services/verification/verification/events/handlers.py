"""What the verification consumes. Handlers are idempotent: the inbox records each event id in
the same transaction as the effect."""

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.events import EventEnvelope, EventHandlers
from oms_kit.tenancy import register_organization_copy
from verification.deaths import RegistryDeathRepository
from verification.events.consumed import RegistryPersonDeathRetracted, RegistryPersonDied
from verification.models import Organization

handlers = EventHandlers(queue="verification")
register_organization_copy(handlers, Organization)


@handlers.on(RegistryPersonDied)
async def on_person_died(session: AsyncSession, envelope: EventEnvelope, payload: RegistryPersonDied) -> None:
    """The registry recorded a death: the person is dead from that date in the next runs whose
    register came from the registry (``verification.deaths``)."""
    await RegistryDeathRepository(session).record(
        payload.person_id, payload.death_date, event_id=envelope.id, event_time=envelope.time
    )


@handlers.on(RegistryPersonDeathRetracted)
async def on_person_death_retracted(
    session: AsyncSession, envelope: EventEnvelope, payload: RegistryPersonDeathRetracted
) -> None:
    """The registry withdrew a death recorded in error: the next runs keep the person (unless
    the registry recorded a death of another date after the retraction); a death event older
    than the retraction arriving late is not recorded (``verification.deaths``)."""
    await RegistryDeathRepository(session).retract(
        payload.person_id, payload.retracted_death_date, event_id=envelope.id, event_time=envelope.time
    )
