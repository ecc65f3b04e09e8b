"""What finance keeps from other services' events (the consumers in ``finance.events.handlers``),
each in the transaction that records the event in the inbox (a redelivery is skipped there):

- ``registry.mo.updated`` with a snapshot → ``mo_profile`` (an older snapshot never overwrites
  a newer one: the envelope's time is kept as ``snapshot_at``; a profile the demo filled
  before any snapshot came is overwritten by the first one);
- ``verification.run.completed`` → ``verification_savings`` (one row per run);
- ``pharmacy.prescription.dispensed`` → ``drug_dispensing`` once per prescription and its amount
  added to ``drug_spending`` of the prescribing MO, the month and the funding source."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from finance.analytics import repository
from finance.events.consumed import PharmacyPrescriptionDispensed, RegistryMoUpdated, VerificationRunCompleted


async def keep_mo_snapshot(session: AsyncSession, payload: RegistryMoUpdated, at: datetime) -> bool:
    """Upsert the MO's profile from the event's snapshot; False when there is none."""
    snapshot = payload.snapshot
    if snapshot is None:
        return False
    await repository.upsert_mo_profile(
        session,
        payload.mo_id,
        {
            "founder_id": snapshot.founder_id,
            "legal_form": snapshot.legal_form,
            "beds": snapshot.beds,
            "attached_persons": snapshot.attached_persons,
            "territory_oktmo": snapshot.territory_oktmo,
            "snapshot_at": at,
        },
    )
    return True


async def keep_run_savings(session: AsyncSession, payload: VerificationRunCompleted, at: datetime) -> None:
    await repository.upsert_run_savings(
        session,
        payload.run_id,
        {
            "organization_id": payload.organization_id,
            "period_from": payload.period_from,
            "period_to": payload.period_to,
            "as_of": payload.as_of,
            "excluded": sum(payload.excluded_by_reason.values()),
            "months_excluded": payload.months_excluded,
            "monthly_tariff": payload.monthly_tariff,
            "savings_amount": payload.savings_amount,
            "actual_register": payload.actual_register,
            "forecast_year": payload.forecast_year,
            "appropriation_forecast": payload.appropriation_forecast,
            "completed_at": at,
        },
    )


def month_of(moment: datetime) -> date:
    return date(moment.year, moment.month, 1)


async def keep_dispensing(session: AsyncSession, payload: PharmacyPrescriptionDispensed) -> bool:
    """Count the prescription once (False when it was counted before, under another event id)."""
    counted = await repository.add_dispensing(
        session,
        {
            "prescription_id": payload.prescription_id,
            "pharmacy_id": payload.pharmacy_id,
            "mo_id": payload.mo_id,
            "dispensed_at": payload.dispensed_at,
            "funding_source": payload.funding_source,
            "amount": payload.amount,
            "drug_inn": payload.drug_inn,
        },
    )
    if counted:
        await repository.add_drug_spending(
            session,
            mo_id=payload.mo_id,
            month=month_of(payload.dispensed_at),
            funding_source=payload.funding_source,
            amount=payload.amount,
        )
    return counted
