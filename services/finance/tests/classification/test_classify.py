"""``classify_payments`` on payment orders in the database: rules, the model, the review flag,
people's decisions and locked months left alone."""

from __future__ import annotations

import random
import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from finance.classification.service import classify_payments
from finance.classification.synthetic import synthetic_payment
from finance.models import PaymentOrder, PeriodLock


async def test_rules_without_a_model(session: AsyncSession, add_payments) -> None:
    rng = random.Random(5)
    day = date(2025, 3, 14)
    tax = synthetic_payment(7, "213", Decimal("1000.00"), day, rng)
    coded = synthetic_payment(7, "341", Decimal("2000.00"), day, rng)
    rows = await add_payments([tax, coded])
    rows[0].kbk, rows[0].purpose = "18210201000011000160", "Страховые взносы на ОПС за февраль. КФО 7"
    rows[1].kbk, rows[1].purpose = None, "Оплата по счёту № 45 за бинты. КОСГУ 341"
    await session.flush()

    summary = await classify_payments(session, [r.id for r in rows], threshold=0.75)

    got = {
        r.id: r
        for r in await session.scalars(
            select(PaymentOrder)
            .where(PaymentOrder.id.in_([r.id for r in rows]))
            .execution_options(populate_existing=True)
        )
    }
    first, second = got[rows[0].id], got[rows[1].id]
    assert (first.kvfo, first.kosgu, first.classified_by, first.confidence) == (7, "213", "rule", 1.0)
    assert first.needs_review is False and first.classified_at is not None
    # КОСГУ by the rule, no КВФО without a model: to the review list
    assert (second.kvfo, second.kosgu, second.classified_by, second.needs_review) == (
        None,
        "341",
        "rule",
        True,
    )
    assert summary.total == 2 and summary.by_rule == 2 and summary.needs_review == 1
    assert summary.rules["kbk_tax"] == 1 and summary.rules["kosgu_text"] == 1


async def test_a_persons_decision_and_locked_months_are_left_alone(
    session: AsyncSession, add_payments
) -> None:
    rng = random.Random(6)
    mo = uuid.uuid4()
    open_day, locked_day = date(2025, 4, 10), date(2025, 3, 10)
    decided, locked, free = await add_payments(
        [
            synthetic_payment(7, "341", Decimal("10.00"), open_day, rng),
            synthetic_payment(7, "341", Decimal("11.00"), locked_day, rng),
            synthetic_payment(7, "341", Decimal("12.00"), open_day, rng),
        ],
        mo,
        purpose="Оплата КОСГУ 226 КФО 4",
    )
    decided.kvfo, decided.kosgu, decided.classified_by, decided.confidence = 7, "341", "user", 1.0
    session.add(PeriodLock(mo_id=mo, month=date(2025, 3, 1), reason="Отчёт принят", locked_by="test"))
    await session.flush()

    summary = await classify_payments(session, [decided.id, locked.id, free.id, free.id], threshold=0.75)

    rows = {
        r.id: r
        for r in await session.scalars(
            select(PaymentOrder).where(PaymentOrder.mo_id == mo).execution_options(populate_existing=True)
        )
    }
    assert (rows[decided.id].kvfo, rows[decided.id].kosgu, rows[decided.id].classified_by) == (
        7,
        "341",
        "user",
    )
    assert rows[locked.id].classified_by is None and rows[locked.id].kosgu is None
    assert (rows[free.id].kvfo, rows[free.id].kosgu, rows[free.id].classified_by) == (4, "226", "rule")
    assert summary.skipped == 3 and summary.classified == 1
