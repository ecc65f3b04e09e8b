"""Deferred service (отсроченное обслуживание) on stock arrival: the pharmacy's waiting
prescriptions of the drug that arrived are served first — oldest request first, stock reserved
for each (``pharmacy.stock.reservations.reserve``, for OMS_PHARMACY_RESERVATION_DAYS days) and
the entry marked ``ready`` so the pharmacist calls the patient in. Called by the stock booking
after every incoming movement (receipt, transfer in, inventory surplus) in the same transaction.

A prescription whose whole quantity cannot be reserved stays waiting and the next one in line
is tried (a younger request for one package is not held back by an older one for ten that the
arrival cannot fill); the order of the reservations is still oldest first. Only stock of the
prescription's funding source is held for it (federal stock for a federal prescription)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from pharmacy.dispensing import repository
from pharmacy.dispensing.checks import same_text
from pharmacy.models import Drug
from pharmacy.stock.config import stock_settings

SYSTEM_ACTOR = "system:deferred-service"


async def on_stock_arrived(session: AsyncSession, pharmacy_id: uuid.UUID, drug_id: uuid.UUID) -> int:
    """Reserve the arrived drug for the pharmacy's waiting deferred prescriptions of its
    МНН/form/dosage, oldest first; returns how many became ``ready``."""
    from pharmacy.stock.reservations import reserve  # stock imports this module: no cycle at load

    drug = await session.get(Drug, drug_id)
    if drug is None:
        return 0
    candidates = [
        (entry, p)
        for entry, p in await repository.waiting_of_pharmacy(session, pharmacy_id)
        if same_text(p.inn, drug.inn)
        and same_text(p.dosage_form, drug.dosage_form)
        and same_text(p.dosage, drug.dosage)
        and (p.drug_id is None or p.drug_id == drug.id)
    ]
    locked = await repository.lock_waiting(session, [p.id for _, p in candidates])
    ready = 0
    for _entry, p in candidates:
        if p.id not in locked:
            continue
        reservation = await reserve(
            session,
            prescription_id=p.id,
            pharmacy_id=pharmacy_id,
            inn=p.inn,
            dosage_form=p.dosage_form,
            dosage=p.dosage,
            quantity=p.quantity,
            days=stock_settings().reservation_days,  # OMS_PHARMACY_RESERVATION_DAYS
            created_by=SYSTEM_ACTOR,
            drug_id=p.drug_id,
            funding_source=p.funding_source,  # a federal prescription is not served from regional stock
        )
        if reservation is None:
            continue
        await repository.mark_ready(session, p.id, reservation.id)
        ready += 1
    return ready
