"""All SQL of the drug catalogue."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, delete, exists, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from pharmacy.models import Drug, DrugGtin, DrugList, DrugListItem


@dataclass(frozen=True)
class DrugFilter:
    inn: str | None = None
    trade_name: str | None = None
    gtin: str | None = None
    drug_list: str | None = None
    dosage_form: str | None = None
    valid_on: date | None = None


def _like(prefix: str) -> str:
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def filtered(f: DrugFilter) -> Select[Any]:
    stmt = select(Drug)
    if f.inn:
        stmt = stmt.where(Drug.inn.ilike(_like(f.inn)))
    if f.trade_name:
        stmt = stmt.where(Drug.trade_name.ilike(_like(f.trade_name)))
    if f.dosage_form:
        stmt = stmt.where(Drug.dosage_form.ilike(_like(f.dosage_form)))
    if f.gtin:
        stmt = stmt.where(exists().where(DrugGtin.drug_id == Drug.id, DrugGtin.gtin == f.gtin))
    if f.drug_list:
        stmt = stmt.where(
            exists().where(DrugListItem.drug_id == Drug.id, DrugListItem.drug_list_code == f.drug_list)
        )
    if f.valid_on is not None:
        stmt = stmt.where(
            Drug.valid_from <= f.valid_on, or_(Drug.valid_to.is_(None), Drug.valid_to >= f.valid_on)
        )
    return stmt


async def page(
    session: AsyncSession, f: DrugFilter, order: list[Any], limit: int, offset: int
) -> tuple[list[Drug], int]:
    stmt = filtered(f)
    total = int(await session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
    rows = (await session.scalars(stmt.order_by(*order, Drug.id).limit(limit).offset(offset))).all()
    return list(rows), total


async def get(session: AsyncSession, drug_id: uuid.UUID, *, lock: bool = False) -> Drug | None:
    stmt = select(Drug).where(Drug.id == drug_id)
    if lock:
        stmt = stmt.with_for_update()
    return (await session.scalars(stmt)).one_or_none()


async def drug_id_by_gtin(session: AsyncSession, gtin: str) -> uuid.UUID | None:
    return await session.scalar(select(DrugGtin.drug_id).where(DrugGtin.gtin == gtin))


async def owners_of(session: AsyncSession, gtins: Sequence[str]) -> dict[str, uuid.UUID]:
    if not gtins:
        return {}
    rows = await session.execute(select(DrugGtin.gtin, DrugGtin.drug_id).where(DrugGtin.gtin.in_(gtins)))
    return {g: d for g, d in rows}


async def list_codes(session: AsyncSession) -> set[str]:
    return set((await session.scalars(select(DrugList.code))).all())


async def gtins_of(session: AsyncSession, drug_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    out: dict[uuid.UUID, list[str]] = {i: [] for i in drug_ids}
    if drug_ids:
        rows = await session.execute(
            select(DrugGtin.drug_id, DrugGtin.gtin)
            .where(DrugGtin.drug_id.in_(drug_ids))
            .order_by(DrugGtin.gtin)
        )
        for drug_id, gtin in rows:
            out[drug_id].append(gtin)
    return out


async def lists_of(session: AsyncSession, drug_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, list[str]]:
    out: dict[uuid.UUID, list[str]] = {i: [] for i in drug_ids}
    if drug_ids:
        rows = await session.execute(
            select(DrugListItem.drug_id, DrugListItem.drug_list_code)
            .where(DrugListItem.drug_id.in_(drug_ids))
            .order_by(DrugListItem.drug_list_code)
        )
        for drug_id, code in rows:
            out[drug_id].append(code)
    return out


async def add(session: AsyncSession, drug: Drug) -> None:
    session.add(drug)
    await session.flush()


async def replace_links(
    session: AsyncSession, drug_id: uuid.UUID, gtins: Sequence[str], drug_lists: Sequence[str]
) -> None:
    await session.execute(delete(DrugGtin).where(DrugGtin.drug_id == drug_id))
    await session.execute(delete(DrugListItem).where(DrugListItem.drug_id == drug_id))
    session.add_all([DrugGtin(gtin=g, drug_id=drug_id) for g in gtins])
    session.add_all([DrugListItem(drug_list_code=c, drug_id=drug_id) for c in drug_lists])
    await session.flush()


async def by_description(
    session: AsyncSession, inn: str, trade_name: str, dosage_form: str, dosage: str, package_quantity: int
) -> Drug | None:
    stmt = (
        select(Drug)
        .where(
            Drug.inn == inn,
            Drug.trade_name == trade_name,
            Drug.dosage_form == dosage_form,
            Drug.dosage == dosage,
            Drug.package_quantity == package_quantity,
        )
        .order_by(Drug.created_at, Drug.id)
        .limit(1)
    )
    return (await session.scalars(stmt)).one_or_none()


async def add_gtin(session: AsyncSession, drug_id: uuid.UUID, gtin: str) -> None:
    session.add(DrugGtin(gtin=gtin, drug_id=drug_id))
    await session.flush()


async def set_lists(session: AsyncSession, drug_id: uuid.UUID, drug_lists: Sequence[str]) -> None:
    await session.execute(delete(DrugListItem).where(DrugListItem.drug_id == drug_id))
    session.add_all([DrugListItem(drug_list_code=c, drug_id=drug_id) for c in drug_lists])
    await session.flush()
