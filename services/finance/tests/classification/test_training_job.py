"""Training as the kit's job on a database of its own: the runner reads the confirmed payments,
trains, stores the model with its held-out metrics and the learned counterparties, and
reclassifies the payments no person decided (a person's stays)."""

from __future__ import annotations

import asyncio
import random
import uuid
from collections.abc import Awaitable, Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy import func, select

from finance.classification.service import TRAINING
from finance.classification.synthetic import labelled_sample, synthetic_payment
from finance.config import Settings
from finance.models import ClassifierModel, CounterpartyRule, PaymentOrder
from oms_kit.auth import Principal
from oms_kit.db import Database
from oms_kit.jobs import JobRunner, submit_job
from oms_kit.jobs.models import Job


async def test_the_training_job(service_dir: Path, fresh_database: Callable[[Path], Awaitable[str]]) -> None:
    database = Database(await fresh_database(service_dir))
    mo = uuid.uuid4()
    economist = Principal(subject="economist", org_id=mo, roles=frozenset({"mo_economist"}))
    try:
        async with database.sessions() as session, session.begin():
            for i, p in enumerate(labelled_sample(500, random.Random(41))):
                fields = p.order_fields(mo_name="ГБУЗ «Обучающая»", mo_inn="5001000000")
                fields["doc_number"] = f"L{i}"
                session.add(
                    PaymentOrder(
                        mo_id=mo, kvfo=p.kvfo, kosgu=p.kosgu, classified_by="user", confidence=1.0, **fields
                    )
                )
            rng = random.Random(42)
            fresh = []
            for i in range(20):
                p = synthetic_payment(7, "341", Decimal(100 + i), date(2025, 9, 10), rng)
                fields = p.order_fields(mo_name="ГБУЗ «Обучающая»")
                fields["doc_number"] = f"N{i}"
                row = PaymentOrder(mo_id=mo, **fields)
                session.add(row)
                fresh.append(row)
            decided = fresh[0]
            decided.kvfo, decided.kosgu, decided.classified_by, decided.confidence = 4, "346", "user", 1.0
            job = await submit_job(session, TRAINING, economist)
        runner = JobRunner(database, [TRAINING], Settings(database_url=database.url))
        await runner.claim_and_start()
        while runner.running:  # noqa: ASYNC110  (the runner exposes no event for "idle")
            await asyncio.sleep(0.05)
        async with database.sessions() as session:
            done = await session.get(Job, job.id)
            assert done is not None and done.status == "succeeded", (
                done and done.status,
                done and done.error,
            )
            assert done.progress_done == done.progress_total == 100
            result = done.result or {}
            assert result["samples"] == 501 and result["held_out"] > 50
            assert result["macro_f1_kosgu"] >= 0.8
            assert result["reclassified"]["total"] == 19 and result["reclassified"]["classified"] == 19
            model = await session.scalar(select(ClassifierModel))
            assert (
                model is not None and str(model.id) == result["model_id"] and model.trained_by == "economist"
            )
            assert model.metrics["per_class_kosgu"] and len(model.model) > 1000
            learned = await session.scalar(
                select(func.count()).select_from(CounterpartyRule).where(CounterpartyRule.source == "learned")
            )
            assert learned and learned > 5
            rows = (
                await session.scalars(select(PaymentOrder).where(PaymentOrder.doc_number.like("N%")))
            ).all()
            by_number = {r.doc_number: r for r in rows}
            assert (by_number["N0"].kvfo, by_number["N0"].kosgu, by_number["N0"].classified_by) == (
                4,
                "346",
                "user",
            )
            others = [r for r in rows if r.doc_number != "N0"]
            assert all(r.classified_by in ("rule", "model") and r.classified_at for r in others)
            assert sum(r.kosgu == "341" for r in others) >= 17
    finally:
        await database.dispose()


async def test_too_few_payments_fail_the_job_with_a_reason(
    service_dir: Path, fresh_database: Callable[[Path], Awaitable[str]]
) -> None:
    database = Database(await fresh_database(service_dir))
    try:
        async with database.sessions() as session, session.begin():
            job = await submit_job(
                session,
                TRAINING,
                Principal(subject="e", org_id=uuid.uuid4(), roles=frozenset({"mo_economist"})),
            )
        runner = JobRunner(database, [TRAINING], Settings(database_url=database.url))
        await runner.claim_and_start()
        while runner.running:  # noqa: ASYNC110
            await asyncio.sleep(0.05)
        async with database.sessions() as session:
            done = await session.get(Job, job.id)
            assert done is not None and done.status == "failed"
            assert "не меньше 30" in str(done.error)
            assert await session.scalar(select(func.count()).select_from(ClassifierModel)) == 0
    finally:
        await database.dispose()
