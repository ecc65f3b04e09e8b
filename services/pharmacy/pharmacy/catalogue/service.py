"""The drug catalogue's rules: GTINs are 14 digits with a valid GS1 check digit (the marking
module's helper decides), a GTIN names one drug only, lists are the drug lists of the
beneficiaries slice, validity runs forward."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.errors import Conflict, InvalidInput, NotFound
from pharmacy.catalogue import repository
from pharmacy.catalogue.repository import DrugFilter
from pharmacy.catalogue.schemas import DrugIn, DrugRead
from pharmacy.marking.gs1 import complete_gtin
from pharmacy.models import Drug

_FIELDS = (
    "inn",
    "trade_name",
    "dosage_form",
    "dosage",
    "package_quantity",
    "atc_code",
    "vital",
    "marked",
    "valid_from",
    "valid_to",
)


def gtin_problem(gtin: str) -> str | None:
    """Why ``gtin`` is not a GTIN-14, or None: 14 digits whose last is the GS1 check digit."""
    if len(gtin) != 14 or not gtin.isascii() or not gtin.isdigit():
        return f"GTIN «{gtin}»: нужно 14 цифр"
    expected = complete_gtin(gtin[:13])
    if expected != gtin:
        return f"Неверная контрольная цифра GTIN {gtin}: ожидалась {expected[-1]}, в коде {gtin[-1]}"
    return None


async def _read(session: AsyncSession, drugs: Sequence[Drug]) -> list[DrugRead]:
    ids = [d.id for d in drugs]
    gtins = await repository.gtins_of(session, ids)
    lists = await repository.lists_of(session, ids)
    return [
        DrugRead(id=d.id, gtins=gtins[d.id], drug_lists=lists[d.id], **{k: getattr(d, k) for k in _FIELDS})
        for d in drugs
    ]


async def search(
    session: AsyncSession, f: DrugFilter, order: list[Any], limit: int, offset: int
) -> tuple[list[DrugRead], int]:
    if f.gtin is not None and (problem := gtin_problem(f.gtin)) is not None:
        raise InvalidInput(problem)
    if f.drug_list is not None and f.drug_list not in await repository.list_codes(session):
        raise InvalidInput(f"Нет перечня лекарственных препаратов «{f.drug_list}»")
    rows, total = await repository.page(session, f, order, limit, offset)
    return await _read(session, rows), total


async def one(session: AsyncSession, drug_id: uuid.UUID) -> DrugRead:
    drug = await repository.get(session, drug_id)
    if drug is None:
        raise NotFound("Нет такого препарата в справочнике")
    return (await _read(session, [drug]))[0]


async def by_gtin(session: AsyncSession, gtin: str) -> DrugRead:
    if (problem := gtin_problem(gtin)) is not None:
        raise InvalidInput(problem)
    drug_id = await repository.drug_id_by_gtin(session, gtin)
    if drug_id is None:
        raise NotFound(f"GTIN {gtin} нет в справочнике препаратов")
    return await one(session, drug_id)


async def _check(
    session: AsyncSession, body: DrugIn, drug_id: uuid.UUID | None
) -> tuple[list[str], list[str]]:
    gtins = list(dict.fromkeys(body.gtins))
    for gtin in gtins:
        if (problem := gtin_problem(gtin)) is not None:
            raise InvalidInput(problem)
    known = await repository.list_codes(session)
    drug_lists = sorted(set(body.drug_lists))
    for code in drug_lists:
        if code not in known:
            raise InvalidInput(f"Нет перечня лекарственных препаратов «{code}»")
    if body.valid_to is not None and body.valid_to < body.valid_from:
        raise InvalidInput("Дата окончания действия раньше даты начала")
    for gtin, owner in (await repository.owners_of(session, gtins)).items():
        if owner != drug_id:
            raise Conflict(f"GTIN {gtin} уже принадлежит другому препарату справочника")
    return gtins, drug_lists


async def create(session: AsyncSession, body: DrugIn) -> DrugRead:
    gtins, drug_lists = await _check(session, body, None)
    drug = Drug(id=uuid.uuid4(), **{k: getattr(body, k) for k in _FIELDS})
    await repository.add(session, drug)
    await repository.replace_links(session, drug.id, gtins, drug_lists)
    return await one(session, drug.id)


async def update(session: AsyncSession, drug_id: uuid.UUID, body: DrugIn) -> DrugRead:
    drug = await repository.get(session, drug_id, lock=True)
    if drug is None:
        raise NotFound("Нет такого препарата в справочнике")
    gtins, drug_lists = await _check(session, body, drug_id)
    for k in _FIELDS:
        setattr(drug, k, getattr(body, k))
    drug.updated_at = func.now()
    await repository.replace_links(session, drug.id, gtins, drug_lists)
    return await one(session, drug.id)
