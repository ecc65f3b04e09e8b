"""A counter ready to dispense: a pharmacy with a batch of marked packages (codes shaped like
real scans), a drug on the ОНЛС list, a beneficiary of category 082, a prescription of an MO."""

from __future__ import annotations

import itertools
import secrets
import string
import uuid
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession
from tests.factories import add_batch, add_beneficiary, add_drug, add_organization, add_prescription

from oms_kit.auth import Principal
from oms_kit.testing.tokens import TokenFactory
from pharmacy.marking.gs1 import GS, complete_gtin
from pharmacy.models import Beneficiary, Drug, MarkedPackage, Prescription, StockBatch

PERMS = ["pharmacy.prescription:read", "pharmacy.prescription:dispense", "pharmacy.stock:read"]
_gtins = itertools.count(1)
_numbers = itertools.count(1)
_ALPHABET = string.ascii_letters + string.digits


def pharmacist(tokens: TokenFactory, pharmacy_id: uuid.UUID, subject: str = "pharmacist") -> dict[str, str]:
    return tokens.auth(
        org_id=pharmacy_id, org_type="pharmacy", roles=["pharmacist"], perms=PERMS, subject=subject
    )


def pharmacist_principal(pharmacy_id: uuid.UUID, subject: str = "pharmacist") -> Principal:
    return Principal(
        subject=subject,
        org_id=pharmacy_id,
        org_type="pharmacy",
        roles=frozenset({"pharmacist"}),
        permissions=frozenset(PERMS),
    )


def fund(tokens: TokenFactory) -> dict[str, str]:
    return tokens.auth(
        org_type="tfoms", roles=["tfoms_analyst"], perms=["pharmacy.prescription:read"], subject="fund"
    )


def new_gtin() -> str:
    return complete_gtin(f"46088{(next(_gtins) * 7919 + secrets.randbelow(10**6)) % 10**8:08d}")


def scan_of(gtin: str, serial: str, *, expiry: date | None = None) -> str:
    """A scan as a wedge scanner sends it: ``]d2`` + 01 + 21 GS 91 GS 92 (+ 17)."""
    tail = f"{GS}91EE10{GS}92" + "".join(secrets.choice(_ALPHABET) for _ in range(44))
    exp = f"17{expiry:%y%m%d}" if expiry else ""
    return f"]d201{gtin}{exp}21{serial}{tail}"


def serial() -> str:
    return "".join(secrets.choice(_ALPHABET) for _ in range(13))


@dataclass
class Counter:
    pharmacy_id: uuid.UUID
    mo_id: uuid.UUID
    drug: Drug
    gtin: str
    beneficiary: Beneficiary
    batch: StockBatch
    codes: list[str] = field(default_factory=list)  # scans of the batch's packages

    def sgtin(self, i: int) -> str:
        return _sgtin(self.codes[i])


def _sgtin(scan: str) -> str:
    from pharmacy.marking.gs1 import parse_marking_code

    return parse_marking_code(scan).sgtin


async def pharmacy(session: AsyncSession, name: str = "Аптека № 7") -> uuid.UUID:
    return await add_organization(session, "pharmacy", code=str(990000 + secrets.randbelow(9999)), name=name)


async def drug(
    session: AsyncSession, *, lists: tuple[str, ...] = ("onls",), **fields: Any
) -> tuple[Drug, str]:
    """A drug on the ``lists`` (``fields``: those of :func:`tests.factories.add_drug`) and its GTIN."""
    gtin = new_gtin()
    return await add_drug(session, gtin=gtin, lists=lists, **fields), gtin


async def beneficiary(
    session: AsyncSession, *, category: str = "082", valid_to: date | None = None
) -> Beneficiary:
    return await add_beneficiary(
        session, category=category, valid_to=valid_to, snils=f"{secrets.randbelow(10**11):011d}"
    )


async def batch(
    session: AsyncSession,
    pharmacy_id: uuid.UUID,
    drug_row: Drug,
    gtin: str,
    packages: int,
    *,
    expiry: date | None = None,
    price: Decimal = Decimal("123.45"),
    marked: bool = True,
    funding_source: str = "federal",
) -> tuple[StockBatch, list[str]]:
    """A batch of ``packages`` packages (booked straight into the table), with their scans."""
    row = await add_batch(
        session, pharmacy_id, drug_row, packages, expiry=expiry, price=price, funding_source=funding_source
    )
    scans: list[str] = []
    if marked:
        for _ in range(packages):
            s = serial()
            scan = scan_of(gtin, s)
            scans.append(scan)
            session.add(
                MarkedPackage(
                    sgtin=gtin + s,
                    gtin=gtin,
                    serial=s,
                    batch_id=row.id,
                    pharmacy_id=pharmacy_id,
                    status="in_stock",
                )
            )
        await session.flush()
    return row, scans


async def prescription(
    session: AsyncSession,
    c: Counter,
    *,
    quantity: int = 2,
    issued_on: date | None = None,
    valid_days: int = 30,
    status: str = "issued",
    **extra: Any,
) -> Prescription:
    values: dict[str, Any] = {
        "series": f"99{secrets.randbelow(10**5):05d}",
        "number": next(_numbers) + secrets.randbelow(10**6),
        "mo_id": c.mo_id,
        "mo_code": "12345",
        "doctor_name": "Иванов Иван Иванович",
        "person_id": c.beneficiary.person_id,
        "beneficiary_id": c.beneficiary.id,
        "drug_id": None,
        "quantity": quantity,
        "status": status,
        "patient_full_name": "Орлова Анна Петровна",
        "patient_birth_date": date(1950, 3, 1),
        "patient_snils": "11223344595",
        "patient_policy_number": "7700000000000001",
        "medical_record_number": "МК-1024",
    }
    values.update(extra)
    return await add_prescription(session, c.drug, issued_on=issued_on, valid_days=valid_days, **values)


async def counter(session: AsyncSession, packages: int = 5, **drug_args: Any) -> Counter:
    pharmacy_id = await pharmacy(session)
    drug_row, gtin = await drug(session, **drug_args)
    b = await beneficiary(session)
    batch_row, scans = await batch(session, pharmacy_id, drug_row, gtin, packages)
    return Counter(pharmacy_id, uuid.uuid4(), drug_row, gtin, b, batch_row, scans)
