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
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from finance.classification import repository as repo
from finance.classification.model import Classifier, model_text, predict
from finance.classification.rules import PaymentText, RuleResult, apply_rules
from finance.config import Settings

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


def decide(
    texts: Sequence[PaymentText],
    rules: Sequence[RuleResult],
    classifier: Classifier | None,
    threshold: float,
) -> list[Decided]:
    """Rules' parts kept, the rest from the model (vectorised over the batch)."""
    need = [i for i, r in enumerate(rules) if not r.complete]
    predicted: dict[str, Any] | None = None
    if classifier is not None and need:
        predicted = predict(
            classifier, [model_text(texts[i]) for i in need], [texts[i].direction for i in need]
        )
    slot = {i: j for j, i in enumerate(need)}
    out: list[Decided] = []
    for i, r in enumerate(rules):
        kvfo, kvfo_p = r.kvfo, r.kvfo_confidence
        kosgu, kosgu_p = r.kosgu, r.kosgu_confidence
        used_model = False
        if predicted is not None and i in slot:
            j = slot[i]
            if kvfo is None:
                kvfo, kvfo_p, used_model = int(predicted["kvfo"][j]), float(predicted["kvfo_p"][j]), True
            if kosgu is None and float(predicted["kosgu_p"][j]) > 0:
                kosgu, kosgu_p, used_model = str(predicted["kosgu"][j]), float(predicted["kosgu_p"][j]), True
        if kvfo is None and kosgu is None:
            out.append(Decided(None, None, None, None, True))
            continue
        confidence = round((kvfo_p if kvfo is not None else 0.0) * (kosgu_p if kosgu is not None else 0.0), 4)
        by = "model" if used_model else "rule"
        out.append(Decided(kvfo, kosgu, by, confidence, confidence < threshold))
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
