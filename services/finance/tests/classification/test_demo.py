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
    assert 0 < result["review_list"] <= demo.REVIEW_SIZE
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
