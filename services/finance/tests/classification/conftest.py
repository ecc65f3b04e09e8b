"""Payment orders for the classification tests, built with the synthetic generator."""

from __future__ import annotations

import random
import uuid
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

import pytest
from sqlalchemy.ext.asyncio import AsyncSession

from finance.classification.synthetic import SyntheticPayment, labelled_sample
from finance.models import PaymentOrder

MO_NAMES = (
    "ГБУЗ «Городская поликлиника № 1 г. Приозёрска»",
    "ГБУЗ «Заречная центральная районная больница»",
    "ГБУЗ «Приозёрская областная клиническая больница»",
)

AddPayments = Callable[..., Awaitable[list[PaymentOrder]]]


def order(p: SyntheticPayment, mo_id: uuid.UUID, *, mo_name: str = MO_NAMES[0], **over: Any) -> PaymentOrder:
    fields = p.order_fields(mo_name=mo_name, mo_inn="5001000000", mo_kpp="500101001")
    fields["doc_number"] = str(uuid.uuid4().int % 10**9)  # unique per test run
    fields.update(over)
    return PaymentOrder(mo_id=mo_id, **fields)


@pytest.fixture
def add_payments(session: AsyncSession) -> AddPayments:
    async def add(
        payments: Sequence[SyntheticPayment],
        mo_id: uuid.UUID | None = None,
        *,
        labelled: bool = False,
        mo_names: Sequence[str] = MO_NAMES[:1],
        **over: Any,
    ) -> list[PaymentOrder]:
        mo = mo_id or uuid.uuid4()
        rows = []
        for i, p in enumerate(payments):
            row = order(p, mo, mo_name=mo_names[i % len(mo_names)], **over)
            if labelled:
                row.kvfo, row.kosgu, row.classified_by, row.confidence = p.kvfo, p.kosgu, "user", 1.0
            rows.append(row)
        session.add_all(rows)
        await session.flush()
        return rows

    return add


@pytest.fixture(scope="session")
def labelled() -> list[SyntheticPayment]:
    """A deterministic labelled set of the demo distribution (training)."""
    return labelled_sample(2500, random.Random(11))


@pytest.fixture(scope="session")
def held_out() -> list[SyntheticPayment]:
    return labelled_sample(800, random.Random(12))
