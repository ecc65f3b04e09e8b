"""The demo part ``payments``: the orders behind every demo expense and income cell sum to the
cell's actual, carry the cell's КВФО/КОСГУ as confirmed by a person, and a second seed adds
nothing."""

from __future__ import annotations

import uuid
from collections import defaultdict
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from finance.demo import budget, payments
from finance.demo.region import DemoMo, DemoRegion, last_full_months
from finance.models import BudgetEntry, Organization, PaymentOrder

TODAY = date(2026, 11, 24)
MOS = {
    "990001": "ГБУЗ «Городская поликлиника № 2 г. Приозёрска»",
    "990002": "ГБУЗ «Приозёрская областная клиническая больница»",
}


async def test_payments_sum_to_the_budget_cells_and_a_second_seed_adds_nothing(session: AsyncSession) -> None:
    mos = tuple(DemoMo(uuid.uuid4(), code, name, None, None, None) for code, name in MOS.items())
    for mo in mos:
        session.add(Organization(id=mo.id, name=mo.name, kind="mo", code=mo.code))
    await session.flush()
    region = DemoRegion(mos, last_full_months(TODAY))
    await budget.seed(session, region)
    result = await payments.seed(session, region)
    assert result["orders"] > 1000

    cells = (
        await session.scalars(
            select(BudgetEntry).where(
                BudgetEntry.mo_id.in_([m.id for m in mos]), BudgetEntry.flow.in_(("expense", "income"))
            )
        )
    ).all()
    orders = (
        await session.scalars(select(PaymentOrder).where(PaymentOrder.mo_id.in_([m.id for m in mos])))
    ).all()
    assert all(o.classified_by == "user" and o.kvfo and o.kosgu for o in orders)
    paid: dict[tuple[uuid.UUID, date, str], Decimal] = defaultdict(Decimal)
    for order in orders:
        paid[(order.mo_id, order.doc_date.replace(day=1), f"{order.kvfo}:{order.kosgu}")] += order.amount
    paid_cells = [c for c in cells if c.actual > 0]
    assert len(paid_cells) > 100
    for cell in paid_cells:
        assert paid[(cell.mo_id, cell.month, f"{cell.kvfo}:{cell.kosgu}")] == cell.actual, cell.kosgu
    assert len(paid) == len(paid_cells)  # no payment outside a cell
    numbers = [
        (o.doc_date.year, o.doc_number) for o in orders if o.direction == "out" and o.mo_id == mos[0].id
    ]
    assert len(numbers) == len(set(numbers))  # outgoing orders numbered through each year
    assert {o.direction for o in orders} == {"out", "in"}
    cmi = [o for o in orders if o.direction == "in" and o.kvfo == 7]
    assert cmi and all(o.kosgu == "132" for o in cmi)
    per_mo_accounts = {o.mo_id: o.account for o in orders}
    assert per_mo_accounts == {m.id: payments.mo_account(m) for m in mos}
    again = await payments.seed(session, region)
    assert again["orders"] == 0
