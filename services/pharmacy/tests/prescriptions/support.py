"""Builders of the rows a prescription needs (an MO with its code, a pharmacy attached to it, a
drug on a list, a beneficiary with a category) and the callers' tokens."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from tests.factories import add_batch, add_beneficiary, add_drug, add_organization, add_prescription

from oms_kit.testing.tokens import TokenFactory
from pharmacy.marking.gs1 import complete_gtin
from pharmacy.models import Beneficiary, Drug, PharmacyAttachment, Prescription, StockBatch

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
    return await add_organization(session, kind, code=code, name=name or f"{kind} {code}")


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
    return await add_drug(
        session,
        gtin=complete_gtin(f"46070{next(_GTIN_SEQ)}"),
        inn=inn,
        trade_name=f"{inn} Тева",
        dosage_form=dosage_form,
        dosage=dosage,
        package_quantity=30,
        valid_from=valid_from,
        valid_to=valid_to,
        lists=lists,
    )


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
    return await add_beneficiary(
        session,
        category=category,
        person_id=person_id,
        surname=surname,
        valid_from=valid_from,
        valid_to=valid_to,
        diagnoses=diagnoses,
    )


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
    return await add_batch(
        session,
        pharmacy_id,
        drug_row,
        quantity,
        reserved=reserved,
        expiry=expiry,
        funding_source=funding_source,
    )


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
    if valid_until is not None:
        extra["valid_until"] = valid_until
    return await add_prescription(
        session,
        drug_row,
        issued_on=issued_on,
        series="9800000",
        number=next(_NUMBERS),
        mo_id=mo_id,
        mo_code="00000",
        doctor_name="Врач",
        person_id=person_id or b.person_id,
        beneficiary_id=b.id,
        drug_id=drug_row.id,
        pharmacy_id=pharmacy_id,
        status=status,
        **extra,
    )
