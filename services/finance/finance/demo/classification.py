"""Demo part ``classification`` (after ``payments``): the classifier trained on the seeded
payment orders and a realistic review list.

The payments part writes each payment order with the КВФО/КОСГУ of the budget cell it stands
behind, as confirmed by the accountant (``classified_by='user'``). Here:

1. the seeded counterparties of the synthetic region (energy sales, heat, water, waste,
   telecom, fuel, ТФОМС and the insurers) go into ``classification_counterparty`` (``seed``);
2. when fewer than ``MIN_LABELLED`` confirmed payments exist (the payments part absent), a
   confirmed history of the year before the demo months is generated for the MOs (the same
   generator: ``finance.classification.synthetic``), so there is something to learn from;
3. the payments of the last demo month are held out — their confirmation removed, as if just
   imported — (of the demo economist's MO, ``ECONOMIST_MO`` or else the first, the last
   ``ECONOMIST_MONTHS`` months) and the model is trained on the rest (the newest
   ``TRAINING_ROWS``);
4. the held-out payments are classified (rules, then the model); those the model is not sure
   of form the review list — of the economist's MO all of them, of every other MO the
   ``REVIEW_PER_MO`` least sure; the rest are decided by the demo accountant with their true
   class (logged as confirm or correct), so the economist finds a few dozen payments to review,
   the fund a few per MO, and the decisions log shows both kinds."""

from __future__ import annotations

import random
import uuid
from collections import defaultdict
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from finance.classification import repository as repo
from finance.classification import synthetic as syn
from finance.classification.service import classify_payments, train_now
from finance.demo.region import RANDOM_SEED, DemoRegion
from finance.models import ClassificationDecision, ClassifierModel, PaymentOrder

MIN_LABELLED = 1500
TRAINING_ROWS = 6000
REVIEW_PER_MO = 3
ECONOMIST_MO = "990001"  # the gateway's demo economist works there
ECONOMIST_MONTHS = 3
HISTORY = 2500
DEMO_ACCOUNTANT = "Бухгалтер (демо)"


def seed_counterparties() -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []

    def add(parties: tuple[syn.Counterparty, ...], direction: str, kvfo: int | None, kosgu: str) -> None:
        for p in parties:
            rows.append(
                {
                    "kind": "inn",
                    "key": p.inn,
                    "direction": direction,
                    "kvfo": kvfo,
                    "kosgu": kosgu,
                    "confidence": 0.98,
                    "payments": 0,
                    "name": p.name,
                }
            )

    for parties in (syn.ENERGY, syn.HEAT, syn.WATER, syn.WASTE):
        add(parties, "out", None, "223")
    add(syn.TELECOM, "out", None, "221")
    add(syn.FUEL, "out", None, "343")
    add((syn.TFOMS, *syn.INSURERS), "in", 7, "132")
    return rows


async def _history(session: AsyncSession, region: DemoRegion) -> int:
    """Confirmed payments of the 12 months before the demo months (and of the last demo month,
    held out below)."""
    first = region.months[0]
    months = [(first - timedelta(days=30 * k + 15)).replace(day=1) for k in range(12, 0, -1)]
    months.append(region.months[-1])
    rng = random.Random(f"{RANDOM_SEED}:classification-history")  # noqa: S311 (demo data)
    rows = []
    for i, p in enumerate(syn.labelled_sample(HISTORY, rng, months)):
        mo = region.mos[i % len(region.mos)]
        fields = p.order_fields(mo_name=mo.name)
        fields["doc_number"] = f"И-{i + 1}"
        rows.append(
            PaymentOrder(
                id=uuid.uuid4(),
                mo_id=mo.id,
                kvfo=p.kvfo,
                kosgu=p.kosgu,
                classified_by="user",
                confidence=1.0,
                classified_at=datetime.now(UTC),
                **fields,
            )
        )
    session.add_all(rows)
    await session.flush()
    return len(rows)


async def seed(session: AsyncSession, region: DemoRegion) -> dict[str, Any]:
    if await session.scalar(select(func.count()).select_from(ClassifierModel)):
        return {"skipped": "a classifier is already trained"}
    await repo.add_seed_counterparties(session, seed_counterparties())
    confirmed = await session.scalar(
        select(func.count()).select_from(PaymentOrder).where(PaymentOrder.classified_by == "user")
    )
    history = 0
    if int(confirmed or 0) < MIN_LABELLED:
        history = await _history(session, region)

    # hold out the last demo month: as if just imported
    last = region.months[-1]
    after = (last + timedelta(days=32)).replace(day=1)
    economist = next((m for m in region.mos if m.code == ECONOMIST_MO), region.mos[0])
    held = (
        await session.execute(
            select(PaymentOrder.id, PaymentOrder.kvfo, PaymentOrder.kosgu).where(
                PaymentOrder.doc_date < after,
                or_(
                    PaymentOrder.doc_date >= last,
                    and_(
                        PaymentOrder.mo_id == economist.id,
                        PaymentOrder.doc_date >= region.months[-ECONOMIST_MONTHS],
                    ),
                ),
            )
        )
    ).all()
    truth = {r.id: (r.kvfo, r.kosgu) for r in held}
    if truth:
        await session.execute(
            update(PaymentOrder)
            .where(PaymentOrder.id.in_(list(truth)))
            .values(kvfo=None, kosgu=None, classified_by=None, confidence=None, classified_at=None)
        )

    model, _ = await train_now(session, trained_by="demo", reclassify=False, limit=TRAINING_ROWS)
    summary = await classify_payments(session, list(truth))

    # the accountant decides all but the least sure few dozen, with the true class
    unsure = (
        await session.execute(
            select(PaymentOrder)
            .where(PaymentOrder.id.in_(list(truth)), PaymentOrder.needs_review.is_(True))
            .order_by(PaymentOrder.confidence.asc().nulls_first(), PaymentOrder.amount.desc())
        )
    ).scalars()
    decided = 0
    corrected = 0
    now = datetime.now(UTC)
    decisions = []
    kept: dict[uuid.UUID, int] = defaultdict(int)
    for p in unsure:
        if p.mo_id == economist.id or kept[p.mo_id] < REVIEW_PER_MO:
            kept[p.mo_id] += 1
            continue
        kvfo, kosgu = truth[p.id]
        if kvfo is None or kosgu is None:
            continue
        action = "confirm" if (p.kvfo, p.kosgu) == (kvfo, kosgu) else "correct"
        corrected += action == "correct"
        decisions.append(
            ClassificationDecision(
                id=uuid.uuid4(),
                payment_id=p.id,
                mo_id=p.mo_id,
                action=action,
                decided_by=DEMO_ACCOUNTANT,
                decided_at=now,
                old_kvfo=p.kvfo,
                old_kosgu=p.kosgu,
                old_classified_by=p.classified_by,
                old_confidence=p.confidence,
                new_kvfo=kvfo,
                new_kosgu=kosgu,
            )
        )
        p.kvfo, p.kosgu, p.classified_by, p.confidence = kvfo, kosgu, "user", 1.0
        p.needs_review, p.classified_at = False, now
        decided += 1
    await repo.add_decisions(session, decisions)
    review = await session.scalar(
        select(func.count()).select_from(PaymentOrder).where(PaymentOrder.needs_review.is_(True))
    )
    right = sum(
        1
        for pid, kvfo, kosgu in (
            await session.execute(
                select(PaymentOrder.id, PaymentOrder.kvfo, PaymentOrder.kosgu).where(
                    PaymentOrder.id.in_(list(truth)), PaymentOrder.classified_by != "user"
                )
            )
        ).all()
        if truth[pid] == (kvfo, kosgu)
    )
    machine = summary.classified - decided
    return {
        "model": str(model.id),
        "samples": model.samples,
        "macro_f1_pair": model.metrics.get("macro_f1_pair"),
        "macro_f1_kosgu": model.metrics.get("macro_f1_kosgu"),
        "history_payments": history,
        "held_out_month": last.isoformat(),
        "held_out": len(truth),
        "classified": summary.as_dict(),
        "accuracy_of_machine_classes": round(right / machine, 4) if machine > 0 else None,
        "decided_by_demo_accountant": decided,
        "corrected": corrected,
        "review_list": int(review or 0),
        "review_list_of_the_economists_mo": kept[economist.id],
    }
