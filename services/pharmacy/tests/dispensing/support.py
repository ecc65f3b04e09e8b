"""A counter ready to dispense: a pharmacy with a batch of marked packages (codes shaped like
real scans), a drug on the ОНЛС list, a beneficiary of category 082, a prescription of an MO."""

from __future__ import annotations

import itertools
import secrets
import string
import uuid
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.auth import Principal
from oms_kit.testing.tokens import TokenFactory
from pharmacy.marking.gs1 import GS, complete_gtin
from pharmacy.models import (
    Beneficiary,
    Drug,
    DrugGtin,
    DrugListItem,
    Entitlement,
    MarkedPackage,
    Organization,
    Prescription,
    StockBatch,
)

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
    org = Organization(
        id=uuid.uuid4(), kind="pharmacy", code=str(990000 + secrets.randbelow(9999)), name=name
    )
    session.add(org)
    await session.flush()
    return org.id


async def drug(
    session: AsyncSession,
    *,
    inn: str = "Метформин",
    trade_name: str = "Глюкофаж",
    dosage_form: str = "таблетки",
    dosage: str = "500 мг",
    marked: bool = True,
    valid_from: date = date(2020, 1, 1),
    valid_to: date | None = None,
    lists: tuple[str, ...] = ("onls",),
) -> tuple[Drug, str]:
    row = Drug(
        id=uuid.uuid4(),
        inn=inn,
        trade_name=trade_name,
        dosage_form=dosage_form,
        dosage=dosage,
        package_quantity=60,
        marked=marked,
        valid_from=valid_from,
        valid_to=valid_to,
    )
    session.add(row)
    await session.flush()
    gtin = new_gtin()
    session.add(DrugGtin(gtin=gtin, drug_id=row.id))
    for code in lists:
        session.add(DrugListItem(drug_list_code=code, drug_id=row.id))
    await session.flush()
    return row, gtin


async def beneficiary(
    session: AsyncSession, *, category: str = "082", valid_to: date | None = None
) -> Beneficiary:
    b = Beneficiary(
        id=uuid.uuid4(),
        person_id=uuid.uuid4(),
        surname="Орлова",
        first_name="Анна",
        patronymic="Петровна",
        birth_date=date(1950, 3, 1),
        sex="female",
        snils=f"{secrets.randbelow(10**11):011d}",
        source="manual",
    )
    session.add(b)
    await session.flush()
    session.add(
        Entitlement(
            id=uuid.uuid4(),
            beneficiary_id=b.id,
            category_code=category,
            valid_from=date(2020, 1, 1),
            valid_to=valid_to,
            source="manual",
        )
    )
    await session.flush()
    return b


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
    row = StockBatch(
        id=uuid.uuid4(),
        pharmacy_id=pharmacy_id,
        drug_id=drug_row.id,
        series=f"S{secrets.token_hex(4)}",
        expiry_date=expiry or date.today() + timedelta(days=400),
        funding_source=funding_source,
        unit_price=price,
        quantity=packages,
        reserved=0,
    )
    session.add(row)
    await session.flush()
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
    day = issued_on or date.today()
    values: dict[str, Any] = {
        "id": uuid.uuid4(),
        "form": "148-1/у-04(л)",
        "series": f"99{secrets.randbelow(10**5):05d}",
        "number": next(_numbers) + secrets.randbelow(10**6),
        "mo_id": c.mo_id,
        "mo_code": "12345",
        "doctor_subject": "doctor",
        "doctor_name": "Иванов Иван Иванович",
        "person_id": c.beneficiary.person_id,
        "beneficiary_id": c.beneficiary.id,
        "category_code": "082",
        "funding_source": "federal",
        "diagnosis_code": "I10",
        "drug_id": None,
        "inn": c.drug.inn,
        "dosage_form": c.drug.dosage_form,
        "dosage": c.drug.dosage,
        "quantity": quantity,
        "signa": "по 1 таблетке 2 раза в день",
        "issued_on": day,
        "validity_basis": "standard",
        "valid_until": day + timedelta(days=valid_days),
        "status": status,
        "patient_full_name": "Орлова Анна Петровна",
        "patient_birth_date": date(1950, 3, 1),
        "patient_snils": "11223344595",
        "patient_policy_number": "7700000000000001",
        "medical_record_number": "МК-1024",
    }
    values.update(extra)
    row = Prescription(**values)
    session.add(row)
    await session.flush()
    return row


async def counter(session: AsyncSession, packages: int = 5, **drug_args: Any) -> Counter:
    pharmacy_id = await pharmacy(session)
    drug_row, gtin = await drug(session, **drug_args)
    b = await beneficiary(session)
    batch_row, scans = await batch(session, pharmacy_id, drug_row, gtin, packages)
    return Counter(pharmacy_id, uuid.uuid4(), drug_row, gtin, b, batch_row, scans)
