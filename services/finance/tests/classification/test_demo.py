"""The demo part on a region without the payments part: a confirmed history is generated, the
last month held out, the model trained, a review list of a few dozen at most left, the rest
decided by the demo accountant (logged)."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.ext.asyncio import AsyncSession

from finance.classification.service import review_threshold
from finance.demo import classification as demo
from finance.demo.region import demo_region
from finance.models import (
    ClassificationDecision,
    ClassifierModel,
    CounterpartyRule,
    Organization,
    PaymentOrder,
)


async def test_demo_classification(session: AsyncSession) -> None:
    for i in range(3):
        session.add(
            Organization(id=uuid.uuid4(), name=f"ГБУЗ «Демо-больница № {i + 1}»", kind="mo", code=f"DM{i}")
        )
    await session.flush()
    region = await demo_region(session, today=date(2026, 11, 24))
    assert region is not None

    result = await demo.seed(session, region)

    assert result["history_payments"] == demo.HISTORY
    assert result["macro_f1_kosgu"] >= 0.9
    assert result["held_out"] > 100
    assert 0 < result["review_list"] <= 40
    assert result["accuracy_of_machine_classes"] >= 0.9
    assert await session.scalar(select(func.count()).select_from(ClassifierModel)) == 1
    seeded = await session.scalar(
        select(func.count()).select_from(CounterpartyRule).where(CounterpartyRule.source == "seed")
    )
    assert seeded == len(demo.seed_counterparties())
    unsure = (
        await session.scalars(select(PaymentOrder.confidence).where(PaymentOrder.needs_review.is_(True)))
    ).all()
    assert all(c is None or c < review_threshold() for c in unsure)
    decisions = await session.scalar(select(func.count()).select_from(ClassificationDecision))
    assert decisions == result["decided_by_demo_accountant"]
    # a second seed does nothing
    assert (await demo.seed(session, region)) == {"skipped": "a classifier is already trained"}


async def test_demo_after_the_budget_and_payments_parts(session: AsyncSession) -> None:
    from finance.demo import budget, payments
    from finance.demo.region import DemoMo, DemoRegion, last_full_months

    names = {
        "990001": "ГБУЗ «Городская поликлиника № 2 г. Приозёрска»",
        "990002": "ГБУЗ «Приозёрская областная клиническая больница»",
        "990003": "ГБУЗ «Заречная центральная районная больница»",
    }
    mos = tuple(DemoMo(uuid.uuid4(), code, name, None, None, None) for code, name in names.items())
    for mo in mos:
        session.add(Organization(id=mo.id, name=mo.name, kind="mo", code=mo.code))
    await session.flush()
    region = DemoRegion(mos, last_full_months(date(2026, 11, 24)))
    await budget.seed(session, region)
    seeded = await payments.seed(session, region)

    result = await demo.seed(session, region)

    assert result["history_payments"] == 0  # the payments part's confirmed orders suffice
    assert result["held_out"] > 200 and result["held_out"] < seeded["orders"]
    assert result["macro_f1_kosgu"] >= 0.9
    assert result["accuracy_of_machine_classes"] >= 0.9
    # the economist's MO (990001) keeps all of its unsure payments, the others a few each
    assert result["review_list_of_the_economists_mo"] >= 5
    assert result["review_list"] <= result["review_list_of_the_economists_mo"] + 2 * demo.REVIEW_PER_MO
    last = region.months[-1]
    open_last = (
        await session.scalars(
            select(PaymentOrder.classified_by).where(
                PaymentOrder.mo_id.in_([m.id for m in mos]), PaymentOrder.doc_date >= last
            )
        )
    ).all()
    assert {"rule", "model"} <= set(open_last)  # the held-out month classified by the machine
