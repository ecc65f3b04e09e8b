"""The rules of the MO–pharmacy attachment: who sees which pharmacies (``pharmacy.scope``: a
doctor the pharmacies of their MO, a pharmacist their own, the region everything), an MO's list
replaced as a whole, unknown organizations refused by name. No SQL here (``repository``)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.auth import Principal
from oms_kit.errors import InvalidInput, NotFound
from pharmacy.attachments import repository
from pharmacy.attachments.schemas import (
    MoPharmacies,
    MoPharmaciesIn,
    OrganizationBrief,
    PharmacyRead,
    StockSummary,
)
from pharmacy.models import Organization
from pharmacy.scope import scope_of

MO_NOT_FOUND = "Медицинская организация не найдена"


class UnknownOrganization(InvalidInput):
    """An id in the request that the organization directory does not know (as this kind)."""

    code = "unknown-organization"


async def list_pharmacies(
    session: AsyncSession,
    principal: Principal,
    *,
    q: str | None,
    mo_id: uuid.UUID | None,
    with_stock: bool,
    on: date,
    order: list[Any],
    limit: int,
    offset: int,
) -> tuple[list[PharmacyRead], int]:
    scope = await scope_of(session, principal)
    orgs, total = await repository.pharmacies(
        session,
        condition=scope.pharmacy_condition(Organization.id),
        q=q,
        mo_id=mo_id,
        order=order,
        limit=limit,
        offset=offset,
    )
    rows = [(o.id, o.code, o.name) for o in orgs]
    return await _pharmacies(session, rows, with_stock=with_stock, on=on), total


async def mo_pharmacies(
    session: AsyncSession, principal: Principal, mo_id: uuid.UUID, *, with_stock: bool, on: date
) -> MoPharmacies:
    scope = await scope_of(session, principal)
    scope.ensure_mo(mo_id, MO_NOT_FOUND)
    mo = await repository.organization(session, mo_id, repository.MO)
    if mo is None:
        raise NotFound(MO_NOT_FOUND)
    rows = await repository.pharmacies_of_mo(session, mo_id)
    return MoPharmacies(
        mo=OrganizationBrief(id=mo.id, code=mo.code, name=mo.name),
        pharmacies=await _pharmacies(session, rows, with_stock=with_stock, on=on),
    )


async def set_mo_pharmacies(
    session: AsyncSession, principal: Principal, mo_id: uuid.UUID, body: MoPharmaciesIn, *, on: date
) -> MoPharmacies:
    """Replace the MO's pharmacies by ``body.pharmacy_ids`` (repeats ignored; an empty list
    detaches them all). The MO and every pharmacy must be in the organization directory;
    otherwise nothing changes and the problem names the unknown ids."""
    scope = await scope_of(session, principal)
    scope.ensure_mo(mo_id, MO_NOT_FOUND)
    if await repository.organization(session, mo_id, repository.MO) is None:
        raise UnknownOrganization(
            f"Медицинской организации {mo_id} нет в справочнике организаций", field="mo_id"
        )
    wanted = set(body.pharmacy_ids)
    unknown = sorted(wanted - await repository.known_ids(session, wanted, repository.PHARMACY), key=str)
    if unknown:
        listed = ", ".join(str(u) for u in unknown)
        raise UnknownOrganization(
            f"Нет в справочнике организаций аптек с идентификаторами: {listed}", field="pharmacy_ids"
        )
    await repository.replace_pharmacies_of_mo(session, mo_id, wanted)
    return await mo_pharmacies(session, principal, mo_id, with_stock=False, on=on)


async def _pharmacies(
    session: AsyncSession,
    rows: Sequence[tuple[uuid.UUID, str | None, str | None]],
    *,
    with_stock: bool,
    on: date,
) -> list[PharmacyRead]:
    ids = [pid for pid, _, _ in rows]
    mos = await repository.mos_of(session, ids)
    stock = await repository.stock_summaries(session, ids, on) if with_stock else {}
    empty = {"drugs": 0, "packages": 0, "reserved": 0, "expiring_30_days": 0, "expired": 0}
    return [
        PharmacyRead(
            id=pid,
            code=code,
            name=name,
            mos=[OrganizationBrief(id=m, code=c, name=n) for m, c, n in mos.get(pid, [])],
            stock=StockSummary(on=on, **stock.get(pid, empty)) if with_stock else None,
        )
        for pid, code, name in rows
    ]


async def pharmacies_attached_to(
    session: AsyncSession, mo_id: uuid.UUID
) -> list[tuple[uuid.UUID, str | None, str | None]]:
    """The pharmacies attached to the MO (id, code, name), by pharmacy code — for other
    features (a prescription's pharmacy, the doctor's drug options); no scope check here."""
    return await repository.pharmacies_of_mo(session, mo_id)
