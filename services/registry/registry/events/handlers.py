"""What the registry consumes. Handlers are idempotent: the inbox records each event id in
the same transaction as the effect."""

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.events import EventEnvelope, EventHandlers
from oms_kit.tenancy import register_organization_copy
from registry.events.consumed import VerificationPersonExcluded, VerificationPersonReinstated
from registry.models import Organization
from registry.person import exclusions

handlers = EventHandlers(queue="registry")
register_organization_copy(handlers, Organization)


@handlers.on(VerificationPersonExcluded)
async def on_person_excluded(
    session: AsyncSession, envelope: EventEnvelope, payload: VerificationPersonExcluded
) -> None:
    """A verification run excluded a person of the registry's extract: recorded for the card."""
    await exclusions.record_excluded(session, envelope, payload)


@handlers.on(VerificationPersonReinstated)
async def on_person_reinstated(
    session: AsyncSession, envelope: EventEnvelope, payload: VerificationPersonReinstated
) -> None:
    """A later run kept a person an earlier run excluded: the open exclusions are closed."""
    await exclusions.record_reinstated(session, envelope, payload)
