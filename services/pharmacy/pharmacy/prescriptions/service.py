"""The rules of prescriptions as a service: issue (checked, numbered, signed, optionally with a
reservation), cancel, copy, the search within the caller's rights, the print form. No SQL here
(``repository``); services never commit (the request or the event handler owns the
transaction); events only through the outbox."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.events import add_event
from pharmacy.events.published import PrescriptionCancelled
from pharmacy.models import Prescription
from pharmacy.prescriptions import repository

SOURCE = "pharmacy"
RESOURCE = "pharmacy.prescription"


async def _cancel(
    session: AsyncSession, prescription: Prescription, *, reason: str, cause: str, at: datetime
) -> None:
    """One open prescription cancelled: its reservations released, its deferred-service entry
    cancelled, ``pharmacy.prescription.cancelled`` in the outbox."""
    from pharmacy.stock.reservations import release_for_prescription  # S's module; no import cycle

    await release_for_prescription(session, prescription.id, reason="prescription_cancelled")
    await repository.cancel_deferred(session, prescription.id)
    await repository.mark_cancelled(session, prescription, reason=reason, at=at)
    await add_event(
        session,
        PrescriptionCancelled(
            prescription_id=prescription.id,
            series=prescription.series,
            number=prescription.number,
            mo_id=prescription.mo_id,
            person_id=prescription.person_id,
            cause=cause,
            reason=reason,
            cancelled_at=at,
            pharmacy_id=prescription.pharmacy_id,
        ),
        source=SOURCE,
        subject=str(prescription.id),
    )


async def cancel_open_for_person(
    session: AsyncSession, person_ids: Sequence[uuid.UUID], *, reason: str, cause: str = "death"
) -> int:
    """Every open (issued or deferred) prescription of these ids of one person cancelled (the
    death consumer). A second call finds none open and changes nothing. Returns how many."""
    rows = await repository.open_for_persons(session, list(dict.fromkeys(person_ids)))
    at = datetime.now(UTC)
    for prescription in rows:
        await _cancel(session, prescription, reason=reason, cause=cause, at=at)
    return len(rows)
