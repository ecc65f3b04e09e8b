"""The review list and decisions over HTTP: thresholds put unsure payments on the list, scoped
to the caller's MO; confirm/correct checked against the catalogue and locked months, logged old
→ new; a person's decision survives reclassification and teaches the next training; the model
card; concurrent decisions (two real connections) — one 409."""

from __future__ import annotations

import asyncio
import random
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import httpx
import pytest
from sqlalchemy import delete, func, select
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from finance.classification import repository as repo
from finance.classification.model import TrainResult, train
from finance.classification.schemas import BulkConfirmIn, DecisionIn
from finance.classification.service import (
    bulk_confirm,
    classify_payments,
    decide_payment,
    samples_of,
    store_trained,
    train_now,
)
from finance.classification.synthetic import GENERAL, labelled_sample, synthetic_payment
from finance.models import ClassificationDecision, ClassifierModel, Organization, PaymentOrder, PeriodLock
from oms_kit.audit import AuditRecord
from oms_kit.auth import Principal
from oms_kit.errors import Conflict, NotFound
from oms_kit.testing.tokens import TokenFactory

READ = ["finance.payment_order:read"]
WRITE = ["finance.payment_order:read", "finance.payment_order:write"]
MONTH = date(2025, 6, 1)
TRAINING_SET = labelled_sample(600, random.Random(21))
_trained: list[TrainResult] = []


def pretrained(rows: list[repo.LabelledRow]) -> TrainResult:
    """Trained once for the module (the texts are the same in every test)."""
    if not _trained:
        _trained.append(train(samples_of(rows)))
    return _trained[0]


@dataclass
class Review:
    client: httpx.AsyncClient
    session: AsyncSession
    tokens: TokenFactory
    mo_a: uuid.UUID
    mo_b: uuid.UUID
    unsure: list[PaymentOrder]  # of MO A, on the review list

    def economist(self, mo: uuid.UUID | None = None, perms: list[str] = WRITE) -> dict[str, str]:
        return self.tokens.auth(
            org_id=mo or self.mo_a, roles=["mo_economist"], perms=perms, subject="economist"
        )

    async def fresh(self, payment_id: uuid.UUID) -> PaymentOrder:
        row = await self.session.scalar(
            select(PaymentOrder)
            .where(PaymentOrder.id == payment_id)
            .execution_options(populate_existing=True)
        )
        assert row is not None
        return row


def ambiguous(rng: random.Random, n: int, day: date) -> list:
    """«Оплата по счёту № 45» to a supplier of everything: the model cannot be sure."""
    out = []
    for i in range(n):
        p = synthetic_payment(7, "346", Decimal(1000 + i), day, rng)
        out.append(p)
    return out


@pytest.fixture
async def review(
    client: httpx.AsyncClient, session: AsyncSession, tokens: TokenFactory, add_payments
) -> Review:
    mo_a, mo_b = uuid.uuid4(), uuid.uuid4()
    session.add(Organization(id=mo_a, name="ГБУЗ «Тестовая № 1»", kind="mo", code="RV1"))
    session.add(Organization(id=mo_b, name="ГБУЗ «Тестовая № 2»", kind="mo", code="RV2"))
    base = await add_payments(TRAINING_SET, mo_a, labelled=True)
    rows = [repo.LabelledRow(repo.payment_text(p), int(p.kvfo or 0), str(p.kosgu)) for p in base]
    await store_trained(session, pretrained(rows), rows, "test")
    rng = random.Random(22)
    day = MONTH + timedelta(days=9)
    new_a = await add_payments(
        [synthetic_payment(7, "341", Decimal("500.00"), day, rng) for _ in range(5)] + ambiguous(rng, 6, day),
        mo_a,
        purpose="Оплата по счёту № 45",
        payee_name=GENERAL[0].name,
        payee_inn=GENERAL[0].inn,
        kbk=None,
    )
    new_b = await add_payments(ambiguous(rng, 3, day), mo_b, purpose="Оплата по счёту № 7", kbk=None)
    await classify_payments(session, [p.id for p in new_a + new_b], threshold=0.75)
    unsure = [p for p in new_a if (await _fresh(session, p.id)).needs_review]
    assert unsure, "the ambiguous payments must be unsure"
    return Review(client, session, tokens, mo_a, mo_b, unsure)


async def _fresh(session: AsyncSession, payment_id: uuid.UUID) -> PaymentOrder:
    row = await session.scalar(
        select(PaymentOrder).where(PaymentOrder.id == payment_id).execution_options(populate_existing=True)
    )
    assert row is not None
    return row


async def test_the_review_list_holds_the_unsure_payments_of_the_callers_mo(review: Review) -> None:
    resp = await review.client.get("/classification/review", headers=review.economist(perms=READ))
    assert resp.status_code == 200, resp.text
    page = resp.json()
    ids = {item["id"] for item in page["items"]}
    assert ids == {str(p.id) for p in review.unsure}  # MO B's are not there
    assert page["threshold"] == 0.75
    confidences = [item["confidence"] for item in page["items"]]
    assert confidences == sorted(confidences) and all(c < 0.75 for c in confidences)
    item = page["items"][0]
    assert item["kosgu"] and item["kvfo"] and item["classified_by"] == "model"
    assert item["alternatives"] and all(
        (a["kvfo"], a["kosgu"]) != (item["kvfo"], item["kosgu"]) for a in item["alternatives"]
    )
    assert Decimal(page["total_amount"]) == sum(p.amount for p in review.unsure)
    by_amount = await review.client.get(
        "/classification/review", params={"order": "amount"}, headers=review.economist(perms=READ)
    )
    amounts = [Decimal(i["amount"]) for i in by_amount.json()["items"]]
    assert amounts == sorted(amounts, reverse=True)
    # a lower threshold sends none of them
    everything = [p.id for p in review.unsure]
    await classify_payments(review.session, everything, threshold=0.0)
    assert (await review.client.get("/classification/review", headers=review.economist())).json()[
        "total"
    ] == 0


async def test_another_mos_economist_gets_404(review: Review) -> None:
    other = review.economist(review.mo_b)
    payment = review.unsure[0]
    resp = await review.client.post(
        f"/classification/payments/{payment.id}/decision", json={"action": "confirm"}, headers=other
    )
    assert resp.status_code == 404
    assert (
        await review.client.get(f"/classification/payments/{payment.id}/decisions", headers=other)
    ).status_code == 404
    listed = await review.client.get(
        "/classification/review", params={"mo_id": str(review.mo_a)}, headers=other
    )
    assert listed.status_code == 404
    resp = await review.client.post(
        "/classification/review/confirm", json={"ids": [str(payment.id)]}, headers=other
    )
    assert resp.status_code == 404
    assert (await review.fresh(payment.id)).classified_by == "model"
    foms = review.tokens.auth(org_id=uuid.uuid4(), roles=["foms_viewer"], perms=READ, subject="foms")
    assert (await review.client.get("/classification/review", headers=foms)).status_code == 403


async def test_a_correction_is_logged_survives_reclassification_and_bad_codes_are_refused(
    review: Review,
) -> None:
    payment = await review.fresh(review.unsure[0].id)
    old = (payment.kvfo, payment.kosgu, payment.confidence)
    assert payment.classified_at is not None
    seen = payment.classified_at.isoformat()  # the version the user saw
    url = f"/classification/payments/{payment.id}/decision"
    bad = await review.client.post(
        url, json={"action": "correct", "kvfo": 7, "kosgu": "132"}, headers=review.economist()
    )
    assert bad.status_code == 422 and "132" in bad.json()["detail"]
    unknown = await review.client.post(
        url, json={"action": "correct", "kvfo": 3, "kosgu": "226"}, headers=review.economist()
    )
    assert unknown.status_code == 422 and "КВФО 3" in unknown.json()["detail"]
    reader = await review.client.post(
        url, json={"action": "correct", "kvfo": 4, "kosgu": "344"}, headers=review.economist(perms=READ)
    )
    assert reader.status_code == 403

    resp = await review.client.post(
        url,
        json={
            "action": "correct",
            "kvfo": 4,
            "kosgu": "344",
            "expected_classified_at": seen,
        },
        headers=review.economist(),
    )
    assert resp.status_code == 201, resp.text
    body = resp.json()
    assert (body["old_kvfo"], body["old_kosgu"], body["old_confidence"]) == old
    assert (body["new_kvfo"], body["new_kosgu"], body["decided_by"]) == (4, "344", "economist")
    row = await review.fresh(payment.id)
    assert (row.kvfo, row.kosgu, row.classified_by, row.needs_review, row.confidence) == (
        4,
        "344",
        "user",
        False,
        1.0,
    )

    # the same version again: someone (this user) changed it meanwhile → 409
    again = await review.client.post(
        url,
        json={"action": "confirm", "expected_classified_at": seen},
        headers=review.economist(),
    )
    assert again.status_code == 409

    summary = await classify_payments(review.session, [payment.id], threshold=1.0)
    assert summary.skipped == 1
    row = await review.fresh(payment.id)
    assert (row.kvfo, row.kosgu, row.classified_by) == (4, "344", "user")

    audited = (
        await review.session.scalars(
            select(AuditRecord.reason).where(
                AuditRecord.resource == f"payment_order:{payment.id}:classification"
            )
        )
    ).all()
    assert audited == [f"correct: {old[0]}/{old[1]} → 4/344"]

    log = await review.client.get(
        f"/classification/payments/{payment.id}/decisions", headers=review.economist()
    )
    assert [(d["action"], d["old_kosgu"], d["new_kosgu"]) for d in log.json()] == [("correct", old[1], "344")]
    labels = {(r.text.purpose, r.kvfo, r.kosgu) for r in await repo.training_rows(review.session, 100_000)}
    assert (row.purpose, 4, "344") in labels


async def test_corrections_teach_the_next_training(review: Review, add_payments) -> None:
    rng = random.Random(31)
    day = MONTH + timedelta(days=3)
    odd = await add_payments(
        [synthetic_payment(7, "346", Decimal(100 + i), day, rng) for i in range(10)],
        review.mo_a,
        kbk=None,
        payee_name="ООО «Вектор»",
        payee_inn=None,
    )
    for i, p in enumerate(odd):
        p.purpose = f"Оплата за зюзяблики и кукумберы по счёту № {i + 1}"
    await review.session.flush()
    await classify_payments(review.session, [p.id for p in odd], threshold=0.75)
    assert [(await review.fresh(p.id)).kosgu for p in odd].count("297") == 0
    for p in odd[:8]:
        row = await review.fresh(p.id)
        resp = await review.client.post(
            f"/classification/payments/{p.id}/decision",
            json={
                "action": "correct",
                "kvfo": 7,
                "kosgu": "297",
                "expected_classified_at": row.classified_at.isoformat(),
            },
            headers=review.economist(),
        )
        assert resp.status_code == 201, resp.text
    card = await review.client.get("/classification/model", headers=review.economist(perms=READ))
    assert card.json()["decisions_since"] == {"correct": 8}

    model, summary = await train_now(review.session, trained_by="test")
    assert summary is not None and model.samples == 608
    for p in odd[8:]:  # not corrected: reclassified by the new model
        row = await review.fresh(p.id)
        assert (row.kosgu, row.classified_by) == ("297", "model")
    card = await review.client.get("/classification/model", headers=review.economist(perms=READ))
    body = card.json()
    assert body["id"] == str(model.id) and body["samples"] == 608 and body["decisions_since"] == {}
    assert body["macro_f1_kosgu"] is not None and body["per_class_kosgu"][0]["name"]


async def test_a_locked_month_refuses_decisions(review: Review) -> None:
    payment = review.unsure[0]
    review.session.add(
        PeriodLock(mo_id=review.mo_a, month=MONTH, reason="Отчёт 14-Ф принят", locked_by="tfoms")
    )
    await review.session.flush()
    resp = await review.client.post(
        f"/classification/payments/{payment.id}/decision",
        json={"action": "confirm"},
        headers=review.economist(),
    )
    assert resp.status_code == 409 and "июнь 2025" in resp.json()["detail"]
    bulk = await review.client.post(
        "/classification/review/confirm", json={"ids": [str(payment.id)]}, headers=review.economist()
    )
    assert bulk.status_code == 409
    assert (await review.fresh(payment.id)).classified_by == "model"
    count = await review.session.scalar(
        select(ClassificationDecision.id).where(ClassificationDecision.payment_id == payment.id)
    )
    assert count is None


async def test_bulk_confirm(review: Review) -> None:
    ids = [str(p.id) for p in review.unsure]
    resp = await review.client.post(
        "/classification/review/confirm", json={"ids": ids}, headers=review.economist()
    )
    assert resp.status_code == 200, resp.text
    assert resp.json() == {"confirmed": len(ids)}
    for p in review.unsure:
        row = await review.fresh(p.id)
        assert row.classified_by == "user" and not row.needs_review
    listed = await review.client.get("/classification/review", headers=review.economist())
    assert listed.json()["total"] == 0
    # nothing to confirm twice
    again = await review.client.post(
        "/classification/review/confirm", json={"ids": ids}, headers=review.economist()
    )
    assert again.json() == {"confirmed": 0}


async def test_training_endpoint_starts_a_job_and_model_card_404_before_any(
    client: httpx.AsyncClient, tokens: TokenFactory
) -> None:
    # one classifier serves every MO: the fund retrains it, an MO's economist does not
    train = [*READ, "finance.classifier:train"]
    fund = tokens.auth(org_id=uuid.uuid4(), roles=["tfoms_analyst"], perms=train, subject="tfoms")
    resp = await client.post("/classification/model/trainings", headers=fund)
    assert resp.status_code == 202, resp.text
    assert resp.json()["kind"] == "finance.classifier_training"
    economist = tokens.auth(org_id=uuid.uuid4(), roles=["mo_economist"], perms=WRITE, subject="economist")
    assert (await client.post("/classification/model/trainings", headers=economist)).status_code == 403


async def test_concurrent_decisions_one_409(database_url: str) -> None:
    engine = create_async_engine(database_url)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    mo = uuid.uuid4()
    p = synthetic_payment(7, "341", Decimal("77.00"), date(2025, 7, 1), random.Random(3))
    fields = p.order_fields(mo_name="ГБУЗ «Гонка»")
    fields["doc_number"] = f"race-{uuid.uuid4().hex[:8]}"
    try:
        async with sessions() as s, s.begin():
            row = PaymentOrder(mo_id=mo, kvfo=7, kosgu="346", classified_by="model", confidence=0.4, **fields)
            row.needs_review = True
            s.add(row)
            await s.flush()
            await classify_payments(s, [row.id], threshold=1.0)
            payment_id = row.id
        async with sessions() as s:
            seen = (await s.get(PaymentOrder, payment_id)).classified_at  # type: ignore[union-attr]
        who = [
            Principal(
                subject=f"user{i}", org_id=mo, roles=frozenset({"mo_economist"}), permissions=frozenset(WRITE)
            )
            for i in range(2)
        ]
        first_locked = asyncio.Event()
        release = asyncio.Event()

        async def decide(i: int, kosgu: str) -> str:
            async with sessions() as s, s.begin():
                body = DecisionIn(action="correct", kvfo=7, kosgu=kosgu, expected_classified_at=seen)
                try:
                    await decide_payment(s, who[i], payment_id, body)
                except Conflict:
                    return "409"
                if i == 0:
                    first_locked.set()
                    await release.wait()  # hold the row lock until the second is waiting
                return "ok"

        first = asyncio.create_task(decide(0, "341"))
        await first_locked.wait()
        second = asyncio.create_task(decide(1, "344"))
        await asyncio.sleep(0.3)
        assert not second.done()  # waits for the first's row lock
        release.set()
        results = sorted(await asyncio.gather(first, second))
        assert results == ["409", "ok"]
        async with sessions() as s:
            row = await s.get(PaymentOrder, payment_id)
            assert row is not None and (row.kosgu, row.classified_by) == ("341", "user")
            decisions = (
                await s.scalars(
                    select(ClassificationDecision).where(ClassificationDecision.payment_id == payment_id)
                )
            ).all()
            assert [d.decided_by for d in decisions] == ["user0"]
    finally:
        async with sessions() as s, s.begin():
            await s.execute(delete(PaymentOrder).where(PaymentOrder.mo_id == mo))
        await engine.dispose()


async def test_another_mos_decision_neither_finds_nor_locks_the_payment(database_url: str) -> None:
    """A stranger's 404 must not hold the owner's row: the row lock is taken through the
    caller's scope, so MO B's request locks nothing of MO A while it runs."""
    engine = create_async_engine(database_url)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    mo, stranger = uuid.uuid4(), uuid.uuid4()
    p = synthetic_payment(7, "341", Decimal("78.00"), date(2025, 7, 1), random.Random(4))
    fields = p.order_fields(mo_name="ГБУЗ «Чужая»")
    fields["doc_number"] = f"scope-{uuid.uuid4().hex[:8]}"
    try:
        async with sessions() as s, s.begin():
            row = PaymentOrder(mo_id=mo, kvfo=7, kosgu="341", classified_by="model", confidence=0.4, **fields)
            s.add(row)
            await s.flush()
            payment_id = row.id
        principal = Principal(
            subject="stranger",
            org_id=stranger,
            roles=frozenset({"mo_economist"}),
            permissions=frozenset(WRITE),
        )
        async with sessions() as s, s.begin():
            with pytest.raises(NotFound):
                await decide_payment(s, principal, payment_id, DecisionIn(action="confirm"))
            with pytest.raises(NotFound):
                await bulk_confirm(s, principal, BulkConfirmIn(ids=[payment_id]))
            # still inside the stranger's transaction: the owner's row is free
            async with sessions() as owner, owner.begin():
                free = await owner.scalar(
                    select(PaymentOrder.id).where(PaymentOrder.id == payment_id).with_for_update(nowait=True)
                )
                assert free == payment_id
    finally:
        async with sessions() as s, s.begin():
            await s.execute(delete(PaymentOrder).where(PaymentOrder.mo_id == mo))
        await engine.dispose()


async def test_only_the_newest_models_are_kept(review: Review) -> None:
    rows = await repo.training_rows(review.session, 100_000)
    stored = [await store_trained(review.session, pretrained(rows), rows, f"t{i}") for i in range(6)]
    kept = (await review.session.scalars(select(ClassifierModel.id))).all()
    assert await review.session.scalar(select(func.count()).select_from(ClassifierModel)) == 5
    assert set(kept) == {m.id for m in stored[1:]}
    assert await repo.current_model_id(review.session) == stored[-1].id
