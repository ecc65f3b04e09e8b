"""Classifying payment orders: rules first, then the current model, in the caller's
transaction (the import's), in one read and one UPDATE per batch.

For each payment the КВФО and the КОСГУ are decided apart: by a rule when one applies (its
confidence), else by the model (its probability, КОСГУ codes of the payment's section only).
The payment's confidence is the product of the two; below the review threshold
(``OMS_FINANCE_REVIEW_THRESHOLD``) the payment goes to the review list. ``classified_by`` is
``rule`` when rules decided both parts, ``model`` when the model decided one. A payment a
person decided (``classified_by='user'``) or one in a locked month is never touched."""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import lru_cache
from typing import Any

import numpy as np
from sqlalchemy.ext.asyncio import AsyncSession

from finance.budget.codes import KOSGU, KVFO, check_code
from finance.budget.locks import ensure_months_open
from finance.classification import repository as repo
from finance.classification.model import Classifier, Sample, TrainResult, model_text, predict, train
from finance.classification.rules import PaymentText, RuleResult, apply_rules
from finance.classification.schemas import (
    Alternative,
    BulkConfirmIn,
    BulkConfirmRead,
    ClassifierRead,
    ClassMetrics,
    DecisionIn,
    DecisionRead,
    ReviewItem,
    ReviewPage,
)
from finance.config import Settings
from finance.models import ClassificationDecision, ClassifierModel, PaymentOrder
from finance.scope import mo_scope
from oms_kit.audit import audit_access
from oms_kit.auth import Principal
from oms_kit.errors import Conflict, InvalidInput, NotFound
from oms_kit.jobs import JobContext, JobFailed, JobKind, JobRead, job_read, submit_job
from oms_kit.pagination import PageParams

BATCH = 20_000


@dataclass
class ClassifySummary:
    total: int = 0  # payments asked for
    classified: int = 0  # written
    by_rule: int = 0
    by_model: int = 0
    needs_review: int = 0
    unclassified: int = 0  # neither a rule nor a model could say anything
    skipped: int = 0  # decided by a person or in a locked month: left alone
    model_id: uuid.UUID | None = None
    rules: dict[str, int] = field(default_factory=dict)  # how often each rule decided a part

    def as_dict(self) -> dict[str, Any]:
        return {
            "total": self.total,
            "classified": self.classified,
            "by_rule": self.by_rule,
            "by_model": self.by_model,
            "needs_review": self.needs_review,
            "unclassified": self.unclassified,
            "skipped": self.skipped,
            "model_id": str(self.model_id) if self.model_id else None,
            "rules": dict(self.rules),
        }


@lru_cache(maxsize=1)
def _settings_threshold() -> float:
    return Settings().review_threshold


def review_threshold() -> float:
    return _settings_threshold()


# the current model, unpickled once per process (and again when a newer one is trained)
_models: dict[uuid.UUID, Classifier] = {}


async def current_classifier(session: AsyncSession) -> tuple[uuid.UUID, Classifier] | None:
    model_id = await repo.current_model_id(session)
    if model_id is None:
        return None
    cached = _models.get(model_id)
    if cached is None:
        data = await repo.model_bytes(session, model_id)
        if data is None:
            return None
        cached = await asyncio.to_thread(Classifier.loads, data)
        _models.clear()
        _models[model_id] = cached
    return model_id, cached


def remember_model(model_id: uuid.UUID, classifier: Classifier) -> None:
    _models.clear()
    _models[model_id] = classifier


@dataclass(frozen=True)
class Decided:
    kvfo: int | None
    kosgu: str | None
    by: str | None
    confidence: float | None
    review: bool


def _combine(
    rule_value: Any, rule_p: float, model_value: Any, model_p: float | None
) -> tuple[Any, float, bool]:
    """One part (КВФО or КОСГУ): a sure rule (1.0) decides; a softer one (a counterparty's or
    an account's history) stands when the model agrees or is unsure, and when the model is
    fairly sure of something else the model's answer goes to a person (confidence ≤ 0.5).
    Returns (value, confidence, whether the model's answer was taken)."""
    if rule_value is not None and (rule_p >= 1.0 or model_p is None):
        return rule_value, rule_p, False
    if rule_value is None:
        if model_p is None or model_p <= 0:
            return None, 0.0, False
        return model_value, model_p, True
    assert model_p is not None
    if model_value == rule_value:
        return rule_value, max(rule_p, model_p), False
    if model_p >= 0.5:
        return model_value, min(model_p, 0.5), True
    return rule_value, rule_p, False


def decide(
    texts: Sequence[PaymentText],
    rules: Sequence[RuleResult],
    classifier: Classifier | None,
    threshold: float,
) -> list[Decided]:
    """Rules' parts kept (see ``_combine``), the rest from the model (vectorised)."""
    need = [i for i, r in enumerate(rules) if not (r.kvfo_confidence >= 1.0 and r.kosgu_confidence >= 1.0)]
    predicted: dict[str, Any] | None = None
    if classifier is not None and need:
        predicted = predict(
            classifier, [model_text(texts[i]) for i in need], [texts[i].direction for i in need]
        )
    slot = {i: j for j, i in enumerate(need)}
    out: list[Decided] = []
    for i, r in enumerate(rules):
        j = slot.get(i) if predicted is not None else None
        model_kvfo = model_kosgu = None
        kvfo_mp = kosgu_mp = None
        if predicted is not None and j is not None:
            model_kvfo, kvfo_mp = int(predicted["kvfo"][j]), float(predicted["kvfo_p"][j])
            model_kosgu, kosgu_mp = str(predicted["kosgu"][j]), float(predicted["kosgu_p"][j])
        kvfo, kvfo_p, m1 = _combine(r.kvfo, r.kvfo_confidence, model_kvfo, kvfo_mp)
        kosgu, kosgu_p, m2 = _combine(r.kosgu, r.kosgu_confidence, model_kosgu, kosgu_mp)
        if kvfo is None and kosgu is None:
            out.append(Decided(None, None, None, None, True))
            continue
        confidence = round((kvfo_p if kvfo is not None else 0.0) * (kosgu_p if kosgu is not None else 0.0), 4)
        out.append(
            Decided(kvfo, kosgu, "model" if (m1 or m2) else "rule", confidence, confidence < threshold)
        )
    return out


async def classify_payments(
    session: AsyncSession,
    payment_ids: Sequence[uuid.UUID],
    *,
    threshold: float | None = None,
) -> ClassifySummary:
    """Classify the given payment orders in the caller's transaction (see the module's doc)."""
    threshold = review_threshold() if threshold is None else threshold
    summary = ClassifySummary(total=len(payment_ids))
    if not payment_ids:
        return summary
    known = await repo.known_counterparties(session)
    current = await current_classifier(session)
    classifier = current[1] if current else None
    summary.model_id = current[0] if current else None
    ids_all = list(dict.fromkeys(payment_ids))
    summary.skipped += len(payment_ids) - len(ids_all)
    for start in range(0, len(ids_all), BATCH):
        ids, texts, skipped = await repo.texts_to_classify(session, ids_all[start : start + BATCH])
        summary.skipped += skipped
        if not ids:
            continue
        rules = [apply_rules(t, known) for t in texts]
        for r in rules:
            for name in (r.kvfo_rule, r.kosgu_rule):
                if name:
                    summary.rules[name] = summary.rules.get(name, 0) + 1
        decided = await asyncio.to_thread(decide, texts, rules, classifier, threshold)
        await repo.write_classes(
            session,
            ids,
            [d.kvfo for d in decided],
            [d.kosgu for d in decided],
            [d.by for d in decided],
            [d.confidence for d in decided],
            [d.review for d in decided],
        )
        for d in decided:
            if d.by is None:
                summary.unclassified += 1
            else:
                summary.classified += 1
                summary.by_rule += d.by == "rule"
                summary.by_model += d.by == "model"
            summary.needs_review += d.review
    return summary


# ------------------------------------------------------------------ training

TRAINING_LIMIT = 200_000  # the newest labelled payments a training reads
LEARN_MIN_PAYMENTS = 5
LEARN_MIN_SHARE = 0.97


def samples_of(rows: Sequence[repo.LabelledRow]) -> list[Sample]:
    return [Sample(model_text(r.text), r.text.direction, r.kvfo, r.kosgu) for r in rows]


def learn_counterparties(rows: Sequence[repo.LabelledRow]) -> list[dict[str, Any]]:
    """Counterparties (by ИНН) and personal accounts whose labelled payments all but agree."""
    kosgu_by: dict[tuple[str, str, str], Counter[str]] = defaultdict(Counter)
    kvfo_by: dict[tuple[str, str, str], Counter[int]] = defaultdict(Counter)
    names: dict[tuple[str, str, str], str] = {}
    for r in rows:
        inn = r.text.counterparty_inn
        if inn:
            key = ("inn", inn, r.text.direction)
            kosgu_by[key][r.kosgu] += 1
            kvfo_by[key][r.kvfo] += 1
            names.setdefault(key, r.text.counterparty_name[:500])
        account = r.text.personal_account
        if account:
            akey = ("account", account, r.text.direction)
            kvfo_by[akey][r.kvfo] += 1
    out: list[dict[str, Any]] = []
    for key, kvfos in kvfo_by.items():
        n = sum(kvfos.values())
        if n < LEARN_MIN_PAYMENTS:
            continue
        kvfo, kvfo_n = kvfos.most_common(1)[0]
        kvfo_share = kvfo_n / n
        kosgu: str | None = None
        kosgu_share = 0.0
        if key[0] == "inn":
            kosgu, kosgu_n = kosgu_by[key].most_common(1)[0]
            kosgu_share = kosgu_n / n
        row: dict[str, Any] = {
            "kind": key[0],
            "key": key[1],
            "direction": key[2],
            "kvfo": kvfo if kvfo_share >= LEARN_MIN_SHARE else None,
            "kosgu": kosgu if kosgu_share >= LEARN_MIN_SHARE else None,
            "payments": n,
            "name": names.get(key),
        }
        shares = [s for s, v in ((kvfo_share, row["kvfo"]), (kosgu_share, row["kosgu"])) if v is not None]
        if not shares:
            continue
        row["confidence"] = round(min(0.99, min(shares)), 4)
        out.append(row)
    return out


async def store_trained(
    session: AsyncSession, result: TrainResult, rows: Sequence[repo.LabelledRow], trained_by: str | None
) -> ClassifierModel:
    """The trained model saved as the current one, and the learned counterparties replaced."""
    model = ClassifierModel(
        id=uuid.uuid4(),
        trained_at=datetime.now(UTC),  # not the transaction's now(): two trainings in one must differ
        trained_by=trained_by,
        samples=result.samples,
        held_out=result.held_out,
        kosgu_classes=result.classifier.kosgu_classes,
        kvfo_classes=result.classifier.kvfo_classes,
        metrics=result.metrics,
        seconds=result.seconds,
        model=result.classifier.dumps(),
    )
    await repo.add_model(session, model)
    await repo.replace_learned(session, learn_counterparties(rows))
    remember_model(model.id, result.classifier)
    return model


async def train_now(
    session: AsyncSession,
    *,
    trained_by: str | None = None,
    reclassify: bool = True,
    limit: int = TRAINING_LIMIT,
) -> tuple[ClassifierModel, ClassifySummary | None]:
    """Train on the labelled payments and (optionally) reclassify the unconfirmed ones, all in
    the caller's session — for the demo seed and tests; the API runs ``TRAINING`` as a job."""
    rows = await repo.training_rows(session, limit)
    try:
        result = await asyncio.to_thread(train, samples_of(rows))
    except ValueError as exc:
        raise InvalidInput(str(exc)) from exc
    model = await store_trained(session, result, rows, trained_by)
    summary = None
    if reclassify:
        summary = await classify_payments(session, await repo.unconfirmed_ids(session))
    return model, summary


async def run_training(ctx: JobContext) -> dict[str, Any]:
    """The job: read the labelled payments, train (held-out metrics, then on every sample),
    store the model, reclassify the payments no person has decided, batch by batch."""
    await ctx.progress(0, 100, stage="Чтение размеченных платежей")
    async with ctx.transaction() as session:
        rows = await repo.training_rows(session, TRAINING_LIMIT)
    await ctx.progress(10, stage=f"Обучение на {len(rows)} платежах")
    try:
        result = await asyncio.to_thread(train, samples_of(rows))
    except ValueError as exc:
        raise JobFailed("Классификатор не обучен", str(exc)) from exc
    await ctx.progress(70, stage="Сохранение модели")
    async with ctx.transaction() as session:
        model = await store_trained(session, result, rows, ctx.created_by)
        ids = await repo.unconfirmed_ids(session)
    total = ClassifySummary(total=len(ids), model_id=model.id)
    step = 5_000
    for start in range(0, len(ids), step):
        await ctx.progress(
            70 + int(29 * start / max(1, len(ids))), stage=f"Переклассификация: {start} из {len(ids)}"
        )
        async with ctx.transaction() as session:
            part = await classify_payments(session, ids[start : start + step])
        total.classified += part.classified
        total.by_rule += part.by_rule
        total.by_model += part.by_model
        total.needs_review += part.needs_review
        total.unclassified += part.unclassified
        total.skipped += part.skipped
    await ctx.progress(100, stage="Готово")
    return {
        "model_id": str(model.id),
        "samples": result.samples,
        "held_out": result.held_out,
        "macro_f1_kosgu": result.metrics.get("macro_f1_kosgu"),
        "macro_f1_kvfo": result.metrics.get("macro_f1_kvfo"),
        "macro_f1_pair": result.metrics.get("macro_f1_pair"),
        "reclassified": total.as_dict(),
    }


TRAINING = JobKind(
    "finance.classifier_training",
    "Обучение классификатора платежей",
    read_permission="finance.payment_order:read",
    write_permission="finance.classifier:train",
    run=run_training,
)


async def start_training(session: AsyncSession, principal: Principal) -> JobRead:
    scope = await mo_scope(session, principal)
    scope.ensure_per_mo()
    job = await submit_job(session, TRAINING, principal)
    await audit_access(session, principal, action="create", resource=f"classifier:training:{job.id}")
    return await job_read(session, job)


async def model_card(session: AsyncSession, principal: Principal) -> ClassifierRead:
    scope = await mo_scope(session, principal)
    scope.ensure_per_mo()
    model = await repo.current_model(session)
    if model is None:
        raise NotFound("Классификатор ещё не обучен")
    m = model.metrics or {}

    def classes(key: str, names: dict[str, str]) -> list[ClassMetrics]:
        return [ClassMetrics(name=names.get(c["label"], c["label"]), **c) for c in m.get(key, [])]

    return ClassifierRead(
        id=model.id,
        trained_at=model.trained_at,
        trained_by=model.trained_by,
        samples=model.samples,
        held_out=model.held_out,
        seconds=model.seconds,
        macro_f1_kosgu=m.get("macro_f1_kosgu"),
        macro_f1_kvfo=m.get("macro_f1_kvfo"),
        macro_f1_pair=m.get("macro_f1_pair"),
        accuracy_pair=m.get("accuracy_pair"),
        per_class_kosgu=classes("per_class_kosgu", {c: k.name for c, k in KOSGU.items()}),
        per_class_kvfo=classes("per_class_kvfo", {str(c): n for c, n in KVFO.items()}),
        decisions_since=await repo.decision_counts(session, model.trained_at),
        review_threshold=review_threshold(),
    )


# ------------------------------------------------------------------ review


def _alternatives(
    classifier: Classifier, rows: Sequence[Any], texts: Sequence[PaymentText], top: int = 3
) -> list[list[Alternative]]:
    if not rows:
        return []
    got = predict(classifier, [model_text(t) for t in texts], [t.direction for t in texts])
    kosgu_classes = classifier.kosgu_classes
    kvfo_classes = classifier.kvfo_classes
    out: list[list[Alternative]] = []
    for i, row in enumerate(rows):
        joint = np.outer(got["kvfo_matrix"][i], got["kosgu_matrix"][i])
        order = np.argsort(joint, axis=None)[::-1]
        alts: list[Alternative] = []
        for flat in order:
            v, k = divmod(int(flat), len(kosgu_classes))
            p = float(joint[v, k])
            if p < 0.01 or len(alts) >= top:
                break
            kvfo, kosgu = kvfo_classes[v], kosgu_classes[k]
            if (kvfo, kosgu) == (row.kvfo, row.kosgu) or kvfo not in KVFO:
                continue
            alts.append(
                Alternative(
                    kvfo=kvfo, kosgu=kosgu, kosgu_name=_kosgu_name(kosgu) or "", probability=round(p, 4)
                )
            )
        out.append(alts)
    return out


def _kosgu_name(code: str | None) -> str | None:
    item = KOSGU.get(code or "")
    return item.name if item else None


async def review_list(
    session: AsyncSession,
    principal: Principal,
    paging: PageParams,
    *,
    mo_id: uuid.UUID | None = None,
    month_from: date | None = None,
    month_to: date | None = None,
    order: str = "confidence",
) -> ReviewPage:
    scope = await mo_scope(session, principal)
    scope.ensure_per_mo()
    if mo_id is not None:
        scope.ensure(mo_id)
    stmt = repo.review_query(
        lambda s: scope.filter(s, PaymentOrder.mo_id), mo_id=mo_id, month_from=month_from, month_to=month_to
    )
    rows, total = await repo.review_page(session, stmt, order=order, offset=paging.offset, limit=paging.limit)
    _, amount = await repo.review_summary(session, stmt)
    payments = [r.PaymentOrder for r in rows]
    texts = [repo.payment_text(p) for p in payments]
    current = await current_classifier(session)
    alternatives = (
        await asyncio.to_thread(_alternatives, current[1], payments, texts) if current else [[] for _ in rows]
    )
    items = [
        ReviewItem(
            id=p.id,
            mo_id=p.mo_id,
            mo_name=r.mo_name,
            direction=p.direction,
            doc_number=p.doc_number,
            doc_date=p.doc_date,
            amount=p.amount,
            counterparty_name=t.counterparty_name,
            counterparty_inn=t.counterparty_inn,
            purpose=p.purpose,
            kbk=p.kbk,
            kvfo=p.kvfo,
            kosgu=p.kosgu,
            kosgu_name=_kosgu_name(p.kosgu),
            classified_by=p.classified_by,
            confidence=p.confidence,
            classified_at=p.classified_at,
            alternatives=alts,
        )
        for r, p, t, alts in zip(rows, payments, texts, alternatives, strict=True)
    ]
    return ReviewPage(
        items=items,
        total=total,
        limit=paging.limit,
        offset=paging.offset,
        total_amount=amount,
        threshold=review_threshold(),
    )


def _checked(direction: str, kvfo: int, kosgu: str) -> None:
    problem = check_code("expense" if direction == "out" else "income", kvfo, kosgu)
    if problem:
        raise InvalidInput(f"Неверная классификация: {problem}")


def _decision(payment: PaymentOrder, action: str, kvfo: int, kosgu: str, by: str) -> ClassificationDecision:
    return ClassificationDecision(
        id=uuid.uuid4(),
        payment_id=payment.id,
        mo_id=payment.mo_id,
        action=action,
        decided_by=by,
        decided_at=datetime.now(UTC),
        old_kvfo=payment.kvfo,
        old_kosgu=payment.kosgu,
        old_classified_by=payment.classified_by,
        old_confidence=payment.confidence,
        new_kvfo=kvfo,
        new_kosgu=kosgu,
    )


def _apply(payment: PaymentOrder, kvfo: int, kosgu: str, when: datetime) -> None:
    payment.kvfo, payment.kosgu = kvfo, kosgu
    payment.classified_by, payment.confidence = "user", 1.0
    payment.needs_review, payment.classified_at = False, when


async def decide_payment(
    session: AsyncSession, principal: Principal, payment_id: uuid.UUID, body: DecisionIn
) -> DecisionRead:
    """A person's decision: the payment's row is locked, so of two people deciding it at once
    the second waits and then finds it changed (409 when it sent the version it saw)."""
    scope = await mo_scope(session, principal)
    scope.ensure_per_mo()
    payment = await repo.lock_payment(session, payment_id, scope)
    if payment is None or not scope.sees(payment.mo_id):
        raise NotFound("Платёж не найден")
    if body.expected_classified_at is not None and payment.classified_at != body.expected_classified_at:
        raise Conflict(
            "Классификацию платежа за это время изменил другой пользователь или переобученная модель; "
            "обновите список и примите решение заново"
        )
    await ensure_months_open(session, payment.mo_id, [payment.doc_date])
    if body.action == "confirm":
        if payment.kvfo is None or payment.kosgu is None:
            raise InvalidInput(
                "Подтверждать нечего: КВФО и КОСГУ платежа не определены — укажите их (correct)"
            )
        kvfo, kosgu = payment.kvfo, payment.kosgu
    else:
        if body.kvfo is None or body.kosgu is None:
            raise InvalidInput("Для исправления укажите и КВФО, и КОСГУ")
        kvfo, kosgu = body.kvfo, body.kosgu
    _checked(payment.direction, kvfo, kosgu)
    decision = _decision(payment, body.action, kvfo, kosgu, principal.subject)
    _apply(payment, kvfo, kosgu, decision.decided_at)
    await repo.add_decisions(session, [decision])
    await audit_access(
        session,
        principal,
        action="update",
        resource=f"payment_order:{payment.id}:classification",
        reason=f"{body.action}: {decision.old_kvfo}/{decision.old_kosgu} → {kvfo}/{kosgu}",
    )
    return DecisionRead.model_validate(decision, from_attributes=True)


async def bulk_confirm(session: AsyncSession, principal: Principal, body: BulkConfirmIn) -> BulkConfirmRead:
    """Confirm the suggested class of several payments at once: all or nothing."""
    scope = await mo_scope(session, principal)
    scope.ensure_per_mo()
    ids = list(dict.fromkeys(body.ids))
    payments = [p for p in await repo.lock_payments(session, ids, scope) if scope.sees(p.mo_id)]
    if len(payments) != len(ids):
        raise NotFound(f"Не найдено платежей: {len(ids) - len(payments)} из {len(ids)}")
    unsuggested = [p.doc_number for p in payments if p.kvfo is None or p.kosgu is None]
    if unsuggested:
        raise InvalidInput(
            "Подтверждать нечего: у платежей № "
            + ", ".join(unsuggested[:10])
            + " КВФО или КОСГУ не определены"
        )
    by_mo: dict[uuid.UUID, list[date]] = defaultdict(list)
    for p in payments:
        by_mo[p.mo_id].append(p.doc_date)
    for mo, days in by_mo.items():
        await ensure_months_open(session, mo, days)
    decisions = []
    for p in payments:
        if p.classified_by == "user":
            continue  # already decided by a person
        d = _decision(p, "confirm", p.kvfo, p.kosgu, principal.subject)  # type: ignore[arg-type]
        _apply(p, d.new_kvfo, d.new_kosgu, d.decided_at)
        decisions.append(d)
    await repo.add_decisions(session, decisions)
    if decisions:
        await audit_access(
            session,
            principal,
            action="update",
            resource="payment_order:classification:bulk-confirm",
            reason=f"подтверждено платежей: {len(decisions)}",
        )
    return BulkConfirmRead(confirmed=len(decisions))


async def decisions_of(
    session: AsyncSession, principal: Principal, payment_id: uuid.UUID
) -> list[DecisionRead]:
    scope = await mo_scope(session, principal)
    scope.ensure_per_mo()
    payment = await repo.payment(session, payment_id)
    if payment is None or not scope.sees(payment.mo_id):
        raise NotFound("Платёж не найден")
    return [
        DecisionRead.model_validate(d, from_attributes=True)
        for d in await repo.decisions_of(session, payment_id)
    ]
