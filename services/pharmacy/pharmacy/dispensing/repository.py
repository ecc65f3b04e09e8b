"""All SQL of dispensing: the checks' lookups, the deferred-service list, the packages taken by a
dispense (one conditional UPDATE, so two counters never take the same package), the dispense
rows."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date

from sqlalchemy import and_, exists, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from pharmacy.models import (
    DeferredService,
    Dispense,
    DrugListItem,
    Prescription,
)

# --- the checks ---------------------------------------------------------------------------

_INN_ON_LIST = text(
    "SELECT EXISTS (SELECT 1 FROM drug_list, unnest(drug_list.inns) AS i(inn) "
    "WHERE drug_list.code = :code AND lower(i.inn) = lower(:inn))"
)


async def drug_on_list(session: AsyncSession, list_code: str, drug_id: uuid.UUID, inn: str) -> bool:
    """The drug is on the list: linked to it, or its МНН is among the list's МНН."""
    linked = await session.scalar(
        select(
            exists().where(and_(DrugListItem.drug_list_code == list_code, DrugListItem.drug_id == drug_id))
        )
    )
    if linked:
        return True
    return bool(await session.scalar(_INN_ON_LIST, {"code": list_code, "inn": inn}))


async def deferred_since(session: AsyncSession, prescription_id: uuid.UUID) -> date | None:
    """The day the prescription was accepted for deferred service (not cancelled), if it was."""
    return await session.scalar(
        select(DeferredService.requested_on).where(
            DeferredService.prescription_id == prescription_id, DeferredService.status != "cancelled"
        )
    )


async def number_taken_by_another(session: AsyncSession, series: str, number: int, own: uuid.UUID) -> bool:
    return bool(
        await session.scalar(
            select(
                exists().where(
                    Prescription.series == series, Prescription.number == number, Prescription.id != own
                )
            )
        )
    )


async def dispense_of(session: AsyncSession, prescription_id: uuid.UUID) -> Dispense | None:
    return await session.scalar(select(Dispense).where(Dispense.prescription_id == prescription_id))


# --- deferred service ----------------------------------------------------------------------


async def waiting_of_pharmacy(
    session: AsyncSession, pharmacy_id: uuid.UUID
) -> Sequence[tuple[DeferredService, Prescription]]:
    """The pharmacy's waiting deferred entries with their prescriptions, oldest first."""
    stmt = (
        select(DeferredService, Prescription)
        .join(Prescription, Prescription.id == DeferredService.prescription_id)
        .where(
            DeferredService.pharmacy_id == pharmacy_id,
            DeferredService.status == "waiting",
            Prescription.status == "deferred",
        )
        .order_by(
            DeferredService.requested_on, DeferredService.registered_at, DeferredService.prescription_id
        )
    )
    return [(d, p) for d, p in (await session.execute(stmt)).tuples().all()]


async def lock_waiting(session: AsyncSession, prescription_ids: Sequence[uuid.UUID]) -> set[uuid.UUID]:
    """Lock these entries if still waiting; ones another transaction is serving are skipped."""
    if not prescription_ids:
        return set()
    stmt = (
        select(DeferredService.prescription_id)
        .where(DeferredService.prescription_id.in_(prescription_ids), DeferredService.status == "waiting")
        .with_for_update(skip_locked=True)
    )
    return set((await session.scalars(stmt)).all())


async def mark_ready(session: AsyncSession, prescription_id: uuid.UUID, reservation_id: uuid.UUID) -> None:
    await session.execute(
        update(DeferredService)
        .where(DeferredService.prescription_id == prescription_id)
        .values(status="ready", reservation_id=reservation_id)
    )
