"""Builders of the rows a prescription needs (an MO with its code, a pharmacy attached to it, a
drug on a list, a beneficiary with a category) and the callers' tokens."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.testing.tokens import TokenFactory
from pharmacy.marking.gs1 import complete_gtin
from pharmacy.models import (
    Beneficiary,
    BeneficiaryDiagnosis,
    Drug,
    DrugGtin,
    DrugListItem,
    Entitlement,
    Organization,
    PharmacyAttachment,
    Prescription,
    StockBatch,
)

DOCTOR_PERMS = ["pharmacy.prescription:read", "pharmacy.prescription:write", "pharmacy.stock:read"]
PHARMACIST_PERMS = ["pharmacy.prescription:read", "pharmacy.prescription:dispense", "pharmacy.stock:read"]
_GTIN_SEQ = iter(range(10_000_000, 99_999_999))


def unique_code(prefix: str = "9") -> str:
    """A six-digit organization code unlikely to repeat in one test run (its last five digits
    make the MO's part of the series)."""
    return prefix + f"{uuid.uuid4().int % 100_000:05d}"


def doctor(tokens: TokenFactory, mo_id: uuid.UUID, subject: str = "doctor") -> dict[str, str]:
    return tokens.auth(roles=["doctor"], perms=DOCTOR_PERMS, subject=subject, org_id=mo_id, org_type="mo")


def pharmacist(tokens: TokenFactory, pharmacy_id: uuid.UUID) -> dict[str, str]:
    return tokens.auth(
        roles=["pharmacist"],
        perms=PHARMACIST_PERMS,
        subject="pharmacist",
        org_id=pharmacy_id,
        org_type="pharmacy",
    )


def fund(tokens: TokenFactory) -> dict[str, str]:
    return tokens.auth(
        roles=["tfoms_analyst"], perms=["pharmacy.prescription:read"], subject="fund", org_type="tfoms"
    )


async def organization(
    session: AsyncSession, kind: str, code: str | None = None, name: str | None = None
) -> uuid.UUID:
    code = code or unique_code()
    org = Organization(id=uuid.uuid4(), kind=kind, code=code, name=name or f"{kind} {code}")
    session.add(org)
    await session.flush()
    return org.id


async def attach(session: AsyncSession, mo_id: uuid.UUID, pharmacy_id: uuid.UUID) -> None:
    session.add(PharmacyAttachment(mo_id=mo_id, pharmacy_id=pharmacy_id))
    await session.flush()


async def drug(
    session: AsyncSession,
    inn: str = "Метформин",
    *,
    lists: tuple[str, ...] = ("onls",),
    dosage_form: str = "таблетки",
    dosage: str = "500 мг",
    valid_from: date = date(2020, 1, 1),
    valid_to: date | None = None,
) -> Drug:
    row = Drug(
        id=uuid.uuid4(),
        inn=inn,
        trade_name=f"{inn} Тева",
        dosage_form=dosage_form,
        dosage=dosage,
        package_quantity=30,
        marked=True,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    session.add(row)
    await session.flush()
    session.add(DrugGtin(gtin=complete_gtin(f"46070{next(_GTIN_SEQ)}"), drug_id=row.id))
    for code in lists:
        session.add(DrugListItem(drug_list_code=code, drug_id=row.id))
    await session.flush()
    return row


async def beneficiary(
    session: AsyncSession,
    category: str = "082",
    *,
    person_id: uuid.UUID | None = None,
    valid_from: date = date(2020, 1, 1),
    valid_to: date | None = None,
    diagnoses: tuple[str, ...] = (),
    surname: str = "Орлова",
) -> Beneficiary:
    b = Beneficiary(
        id=uuid.uuid4(),
        person_id=person_id or uuid.uuid4(),
        surname=surname,
        first_name="Анна",
        patronymic="Петровна",
        birth_date=date(1950, 3, 1),
        sex="female",
        snils=None,
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


async def batch(
    session: AsyncSession,
    pharmacy_id: uuid.UUID,
    drug_row: Drug,
    quantity: int,
    *,
    reserved: int = 0,
    expiry: date | None = None,
    funding_source: str = "federal",
) -> StockBatch:
    row = StockBatch(
        id=uuid.uuid4(),
        pharmacy_id=pharmacy_id,
        drug_id=drug_row.id,
        series=f"S{uuid.uuid4().hex[:8]}",
        expiry_date=expiry or date.today() + timedelta(days=400),
        funding_source=funding_source,
        unit_price=Decimal("123.45"),
        quantity=quantity,
        reserved=reserved,
    )
    session.add(row)
    await session.flush()
    return row


_NUMBERS = iter(range(1, 10_000_000))


async def prescription_row(
    session: AsyncSession,
    b: Beneficiary,
    drug_row: Drug,
    mo_id: uuid.UUID,
    *,
    status: str = "issued",
    person_id: uuid.UUID | None = None,
    pharmacy_id: uuid.UUID | None = None,
    issued_on: date | None = None,
    valid_until: date | None = None,
    **extra: Any,
) -> Prescription:
    """A prescription written straight into the table (for the effects that only need one)."""
    day = issued_on or date.today()
    row = Prescription(
        id=uuid.uuid4(),
        form="148-1/у-04(л)",
        series="9800000",
        number=next(_NUMBERS),
        mo_id=mo_id,
        mo_code="00000",
        doctor_subject="doctor",
        doctor_name="Врач",
        person_id=person_id or b.person_id,
        beneficiary_id=b.id,
        category_code="082",
        funding_source="federal",
        diagnosis_code="I10",
        drug_id=drug_row.id,
        inn=drug_row.inn,
        dosage_form=drug_row.dosage_form,
        dosage=drug_row.dosage,
        quantity=2,
        signa="по 1 таблетке 2 раза в день",
        issued_on=day,
        validity_basis="standard",
        valid_until=valid_until or day + timedelta(days=30),
        pharmacy_id=pharmacy_id,
        status=status,
        **extra,
    )
    session.add(row)
    await session.flush()
    return row
