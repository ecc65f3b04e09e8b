"""Dispenses written straight into the tables (the control judges what was recorded, whatever
the counter's checks said at the time), their packages and their МДЛП reports."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

from sqlalchemy.ext.asyncio import AsyncSession
from tests.dispensing.support import Counter

from oms_kit.auth import Principal
from oms_kit.testing.tokens import TokenFactory
from pharmacy.models import Dispense, DispenseItem, Prescription
from pharmacy.models.prescription import TraceReport

PERMS = ["pharmacy.control:read", "pharmacy.control:write"]
_package = itertools.count(0)


def analyst() -> Principal:
    return Principal(
        subject="analyst",
        org_id=uuid.uuid4(),
        org_type="tfoms",
        roles=frozenset({"tfoms_analyst"}),
        permissions=frozenset(PERMS),
    )


def analyst_headers(tokens: TokenFactory) -> dict[str, str]:
    return tokens.auth(org_type="tfoms", roles=["tfoms_analyst"], perms=PERMS, subject="analyst")


def pharmacy_headers(tokens: TokenFactory, pharmacy_id: uuid.UUID) -> dict[str, str]:
    return tokens.auth(
        org_id=pharmacy_id, org_type="pharmacy", roles=["pharmacist"], perms=PERMS, subject="pharmacist"
    )


def sgtin(c: Counter) -> str:
    return f"{c.gtin}{next(_package):013d}"


async def dispense(
    session: AsyncSession,
    c: Counter,
    p: Prescription,
    *,
    on: date,
    pharmacy_id: uuid.UUID | None = None,
    packages: int | None = None,
    amount: Decimal | None = None,
    trace: str | None = "accepted",
) -> Dispense:
    count = packages if packages is not None else p.quantity
    price = c.batch.unit_price
    row = Dispense(
        id=uuid.uuid4(),
        prescription_id=p.id,
        pharmacy_id=pharmacy_id or c.pharmacy_id,
        mo_id=p.mo_id,
        pharmacist_subject="pharmacist",
        dispensed_at=datetime(on.year, on.month, on.day, 12, 0, tzinfo=UTC),
        quantity=count,
        amount=amount if amount is not None else price * count,
        funding_source=p.funding_source,
        drug_id=c.drug.id,
    )
    session.add(row)
    await session.flush()
    codes = [sgtin(c) for _ in range(count)]
    for code in codes:
        session.add(
            DispenseItem(
                id=uuid.uuid4(), dispense_id=row.id, batch_id=c.batch.id, sgtin=code, unit_price=price
            )
        )
    if trace is not None:
        session.add(
            TraceReport(
                id=uuid.uuid4(),
                idempotency_key=f"dispense_by_prescription-{uuid.uuid4()}",
                operation="dispense_by_prescription",
                pharmacy_id=row.pharmacy_id,
                dispense_id=row.id,
                sgtins=codes,
                document="<documents/>",
                status=trace,
            )
        )
    p.status = "dispensed"
    await session.flush()
    return row
