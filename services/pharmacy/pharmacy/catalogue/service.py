"""The drug catalogue's rules: GTINs are 14 digits with a valid GS1 check digit (the marking
module's helper decides), a GTIN names one drug only, lists are the drug lists of the
beneficiaries slice, validity runs forward."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import func
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.errors import Conflict, InvalidInput, NotFound
from pharmacy.catalogue import repository
from pharmacy.catalogue.csv_file import CatalogueFileError, Line, read_catalogue
from pharmacy.catalogue.gtin import gtin_problem
from pharmacy.catalogue.repository import DrugFilter
from pharmacy.catalogue.schemas import CatalogueLoadRead, DrugIn, DrugRead, LoadProblem
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


async def load_file(session: AsyncSession, data: bytes, *, today: date) -> CatalogueLoadRead:
    """Apply a catalogue file: a known GTIN updates its drug (an empty «Перечни» or «ДействуетС»
    keeps what the drug has), a new GTIN joins the drug of the same МНН, name, form, dosage and
    package or makes a new one. Loading the same file again changes nothing."""
    try:
        lines, read_problems = read_catalogue(data)
    except CatalogueFileError as exc:
        raise InvalidInput(str(exc)) from exc
    problems = [LoadProblem(line=p.line, field=p.field, message=p.message) for p in read_problems]
    known = await repository.list_codes(session)
    owners = await repository.owners_of(session, [line.gtin for line in lines])
    created = updated = unchanged = 0
    for line in lines:
        unknown = [c for c in line.drug_lists or () if c not in known]
        if unknown:
            problems.append(
                LoadProblem(line=line.line, field="Перечни", message=f"нет перечня «{unknown[0]}»")
            )
            continue
        owner = owners.get(line.gtin)
        drug = await repository.get(session, owner, lock=True) if owner is not None else None
        if drug is None:
            drug = await repository.by_description(
                session, line.inn, line.trade_name, line.dosage_form, line.dosage, line.package_quantity
            )
            if drug is None:
                drug = Drug(id=uuid.uuid4(), **_line_values(line, line.valid_from or today))
                await repository.add(session, drug)
                await repository.add_gtin(session, drug.id, line.gtin)
                await repository.set_lists(session, drug.id, line.drug_lists or ())
                created += 1
                continue
            await repository.add_gtin(session, drug.id, line.gtin)
            updated += 1
            owners[line.gtin] = drug.id
            continue
        values = _line_values(line, line.valid_from or drug.valid_from)
        if values["valid_to"] is not None and values["valid_to"] < values["valid_from"]:
            problems.append(
                LoadProblem(line=line.line, field="ДействуетПо", message="дата окончания раньше даты начала")
            )
            continue
        lists_now = (await repository.lists_of(session, [drug.id]))[drug.id]
        lists_new = list(line.drug_lists) if line.drug_lists is not None else lists_now
        if all(getattr(drug, k) == v for k, v in values.items()) and lists_new == lists_now:
            unchanged += 1
            continue
        for k, v in values.items():
            setattr(drug, k, v)
        drug.updated_at = func.now()
        await repository.set_lists(session, drug.id, lists_new)
        updated += 1
    problems.sort(key=lambda p: p.line)
    return CatalogueLoadRead(
        lines=len(lines) + len(read_problems),
        created=created,
        updated=updated,
        unchanged=unchanged,
        problems=problems,
    )


def _line_values(line: Line, valid_from: date) -> dict[str, Any]:
    return {
        "inn": line.inn,
        "trade_name": line.trade_name,
        "dosage_form": line.dosage_form,
        "dosage": line.dosage,
        "package_quantity": line.package_quantity,
        "atc_code": line.atc_code,
        "vital": line.vital,
        "marked": line.marked,
        "valid_from": valid_from,
        "valid_to": line.valid_to,
    }
