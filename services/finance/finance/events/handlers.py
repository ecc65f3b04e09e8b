"""What the finance consumes. Handlers are idempotent: the inbox records each event id in
the same transaction as the effect."""

from sqlalchemy.ext.asyncio import AsyncSession

from finance.analytics import intake
from finance.events.consumed import PharmacyPrescriptionDispensed, RegistryMoUpdated, VerificationRunCompleted
from finance.models import Organization
from oms_kit.events import EventEnvelope, EventHandlers
from oms_kit.tenancy import register_organization_copy

handlers = EventHandlers(queue="finance")
register_organization_copy(handlers, Organization)


@handlers.on(RegistryMoUpdated)
async def on_mo_updated(session: AsyncSession, envelope: EventEnvelope, payload: RegistryMoUpdated) -> None:
    """The MO profile (founder, legal form, beds, attached persons) from registry's snapshot."""
    await intake.keep_mo_snapshot(session, payload, envelope.time)


@handlers.on(VerificationRunCompleted)
async def on_run_completed(
    session: AsyncSession, envelope: EventEnvelope, payload: VerificationRunCompleted
) -> None:
    """The non-working population's appropriation and the savings of a verification run."""
    await intake.keep_run_savings(session, payload, envelope.time)


@handlers.on(PharmacyPrescriptionDispensed)
async def on_dispensed(
    session: AsyncSession, envelope: EventEnvelope, payload: PharmacyPrescriptionDispensed
) -> None:
    """Drug spending of the prescribing MO by funding source."""
    await intake.keep_dispensing(session, payload)
