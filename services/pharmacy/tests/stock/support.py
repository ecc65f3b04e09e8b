"""Test data of the stock: a marked drug with its GTIN, batches in a pharmacy (received through
``book``), marking codes shaped like real scans, a prescription to reserve for."""

from __future__ import annotations

import itertools
import uuid
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from tests.factories import add_drug, add_organization, add_prescription

from oms_kit.testing.tokens import TokenFactory
from pharmacy.marking.gs1 import GS, complete_gtin
from pharmacy.models import Beneficiary, Drug, Prescription, Reservation, StockBatch
from pharmacy.stock.movements import book
from pharmacy.stock.reservations import reserve

_serial = itertools.count(1)
_gtin = itertools.count(1)

READ = ["pharmacy.stock:read"]
WRITE = ["pharmacy.stock:read", "pharmacy.stock:write"]


def pharmacist(tokens: TokenFactory, pharmacy_id: uuid.UUID, subject: str = "pharmacist") -> dict[str, str]:
    return tokens.auth(
        org_id=pharmacy_id, org_type="pharmacy", roles=["pharmacist"], perms=WRITE, subject=subject
    )


def doctor(tokens: TokenFactory, mo_id: uuid.UUID) -> dict[str, str]:
    return tokens.auth(org_id=mo_id, org_type="mo", roles=["doctor"], perms=READ, subject="doctor")


def tfoms(tokens: TokenFactory) -> dict[str, str]:
    return tokens.auth(org_type="tfoms", roles=["tfoms_analyst"], perms=READ, subject="tfoms")


def new_gtin() -> str:
    return complete_gtin(f"46099{next(_gtin) + uuid.uuid4().int % 10**6:08d}")


async def make_pharmacy(session: AsyncSession, name: str = "Аптека № 1") -> uuid.UUID:
    return await add_organization(session, "pharmacy", code=str(uuid.uuid4().int % 10**6), name=name)


async def make_drug(session: AsyncSession, **fields: Any) -> tuple[Drug, str]:
    """A drug on no list (``fields``: those of :func:`tests.factories.add_drug`) and its GTIN."""
    gtin = new_gtin()
    return await add_drug(session, gtin=gtin, **fields), gtin


async def make_batch(
    session: AsyncSession,
    pharmacy_id: uuid.UUID,
    drug: Drug,
    *,
    quantity: int = 10,
    series: str | None = None,
    expiry: date | None = None,
    funding_source: str = "federal",
    low_threshold: int | None = None,
    price: str = "100.00",
) -> StockBatch:
    batch = StockBatch(
        id=uuid.uuid4(),
        pharmacy_id=pharmacy_id,
        drug_id=drug.id,
        series=series or f"S{uuid.uuid4().hex[:6].upper()}",
        expiry_date=expiry or date.today() + timedelta(days=365),
        funding_source=funding_source,
        unit_price=Decimal(price),
        low_threshold=low_threshold,
    )
    session.add(batch)
    await session.flush()
    if quantity:
        await book(
            session, batch_id=batch.id, kind="receipt", quantity=quantity, booked_by="test", document="test"
        )
    await session.refresh(batch)
    return batch


def marking_code(
    gtin: str, *, serial: str | None = None, expiry: date | None = None, batch: str | None = None
) -> str:
    """A scan as a wedge sends it: GS1 DataMatrix with separators, crypto tail included."""
    serial = serial or f"{next(_serial):05d}{uuid.uuid4().hex[:8].upper()}"
    parts = [f"01{gtin}21{serial}{GS}"]
    if expiry is not None:
        parts.append(f"17{expiry:%y%m%d}")
    if batch is not None:
        parts.append(f"10{batch}{GS}")
    parts.append(f"91EE10{GS}92{'A' * 40}abcd")
    return "".join(parts)


async def make_prescription(
    session: AsyncSession, drug: Drug, *, quantity: int = 2, mo_id: uuid.UUID | None = None, **extra: Any
) -> Prescription:
    person = uuid.uuid4()
    beneficiary = Beneficiary(id=uuid.uuid4(), person_id=person, surname="Петрова", source="manual")
    session.add(beneficiary)
    await session.flush()
    return await add_prescription(
        session,
        drug,
        series="7801234",
        number=uuid.uuid4().int % 10**8,
        mo_id=mo_id or uuid.uuid4(),
        mo_code="123456",
        person_id=person,
        beneficiary_id=beneficiary.id,
        category_code="010",
        diagnosis_code="E11.9",
        quantity=quantity,
        validity_basis="30 дней",
        **extra,
    )


async def reserve_for(
    session: AsyncSession, prescription: Prescription, pharmacy_id: uuid.UUID, drug: Drug, **extra: Any
) -> Reservation | None:
    """``reserve`` for the prescription's quantity of the drug's МНН/form/dosage, 5 days."""
    values: dict[str, Any] = {
        "inn": drug.inn,
        "dosage_form": drug.dosage_form,
        "dosage": drug.dosage,
        "quantity": prescription.quantity,
        "days": 5,
        "created_by": "doctor",
        **extra,
    }
    return await reserve(session, prescription_id=prescription.id, pharmacy_id=pharmacy_id, **values)
