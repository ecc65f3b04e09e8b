"""The rows the tests of every feature build alike, written straight into the tables: an
organization (a pharmacy, an MO), a drug with its GTIN on drug lists, a beneficiary with one
entitlement (and diagnoses), a prescription, a batch. The features' ``support`` modules keep their own
names and defaults (codes, GTIN ranges, the patient) and build through these."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from pharmacy.models import (
    Beneficiary,
    BeneficiaryDiagnosis,
    Drug,
    DrugGtin,
    DrugListItem,
    Entitlement,
    Organization,
    Prescription,
    StockBatch,
)


async def add_organization(session: AsyncSession, kind: str, *, code: str, name: str) -> uuid.UUID:
    org = Organization(id=uuid.uuid4(), kind=kind, code=code, name=name)
    session.add(org)
    await session.flush()
    return org.id


async def add_drug(
    session: AsyncSession,
    *,
    gtin: str,
    inn: str = "Метформин",
    trade_name: str = "Глюкофаж",
    dosage_form: str = "таблетки",
    dosage: str = "500 мг",
    package_quantity: int = 60,
    marked: bool = True,
    valid_from: date = date(2020, 1, 1),
    valid_to: date | None = None,
    lists: tuple[str, ...] = (),
) -> Drug:
    """A drug with its GTIN, on the drug ``lists`` (codes: ``onls``, ``vzn``…)."""
    row = Drug(
        id=uuid.uuid4(),
        inn=inn,
        trade_name=trade_name,
        dosage_form=dosage_form,
        dosage=dosage,
        package_quantity=package_quantity,
        marked=marked,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    session.add(row)
    await session.flush()
    session.add(DrugGtin(gtin=gtin, drug_id=row.id))
    for code in lists:
        session.add(DrugListItem(drug_list_code=code, drug_id=row.id))
    await session.flush()
    return row


async def add_beneficiary(
    session: AsyncSession,
    *,
    category: str = "082",
    person_id: uuid.UUID | None = None,
    surname: str = "Орлова",
    snils: str | None = None,
    valid_from: date = date(2020, 1, 1),
    valid_to: date | None = None,
    diagnoses: tuple[str, ...] = (),
) -> Beneficiary:
    """Анна Петровна (born 1950-03-01), entitled by ``category`` from ``valid_from``, with the
    ``diagnoses`` (ICD-10) on record."""
    b = Beneficiary(
        id=uuid.uuid4(),
        person_id=person_id or uuid.uuid4(),
        surname=surname,
        first_name="Анна",
        patronymic="Петровна",
        birth_date=date(1950, 3, 1),
        sex="female",
        snils=snils,
        source="manual",
    )
    session.add(b)
    await session.flush()
    session.add(
        Entitlement(
            id=uuid.uuid4(),
            beneficiary_id=b.id,
            category_code=category,
            valid_from=valid_from,
            valid_to=valid_to,
            source="manual",
        )
    )
    for icd in diagnoses:
        session.add(BeneficiaryDiagnosis(beneficiary_id=b.id, icd10=icd))
    await session.flush()
    return b


async def add_prescription(
    session: AsyncSession, drug: Drug, *, issued_on: date | None = None, valid_days: int = 30, **values: Any
) -> Prescription:
    """A prescription of the drug's МНН/form/dosage (148-1/у-04(л), federal, category 082,
    I10, two packages, valid ``valid_days`` from ``issued_on`` — today). ``values`` give the rest
    — ``series``, ``number``, ``mo_id``, ``mo_code``, ``person_id``, ``beneficiary_id`` — and
    override any column."""
    day = issued_on or date.today()
    row = Prescription(
        **{
            "id": uuid.uuid4(),
            "form": "148-1/у-04(л)",
            "doctor_subject": "doctor",
            "category_code": "082",
            "funding_source": "federal",
            "diagnosis_code": "I10",
            "inn": drug.inn,
            "dosage_form": drug.dosage_form,
            "dosage": drug.dosage,
            "quantity": 2,
            "signa": "по 1 таблетке 2 раза в день",
            "issued_on": day,
            "validity_basis": "standard",
            "valid_until": day + timedelta(days=valid_days),
            **values,
        }
    )
    session.add(row)
    await session.flush()
    return row


async def add_batch(
    session: AsyncSession,
    pharmacy_id: uuid.UUID,
    drug: Drug,
    quantity: int,
    *,
    reserved: int = 0,
    expiry: date | None = None,
    price: Decimal = Decimal("123.45"),
    funding_source: str = "federal",
) -> StockBatch:
    """A batch of ``quantity`` packages written straight into the table (no stock movement),
    expiring in 400 days unless ``expiry``."""
    row = StockBatch(
        id=uuid.uuid4(),
        pharmacy_id=pharmacy_id,
        drug_id=drug.id,
        series=f"S{uuid.uuid4().hex[:8]}",
        expiry_date=expiry or date.today() + timedelta(days=400),
        funding_source=funding_source,
        unit_price=price,
        quantity=quantity,
        reserved=reserved,
    )
    session.add(row)
    await session.flush()
    return row
