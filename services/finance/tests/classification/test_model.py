"""The classifier on a deterministic synthetic labelled set of the demo distribution: trained
on one sample, measured on another (different seeds)."""

from __future__ import annotations

from finance.classification.model import evaluate, split, train
from finance.classification.repository import LabelledRow
from finance.classification.rules import KnownCounterparty, PaymentText, RuleResult, apply_rules
from finance.classification.service import decide, learn_counterparties, samples_of
from finance.classification.synthetic import SyntheticPayment

MO_NAMES = (
    "ГБУЗ «Городская поликлиника № 1 г. Приозёрска»",
    "ГБУЗ «Заречная центральная районная больница»",
    "ГБУЗ «Приозёрская областная клиническая больница»",
)


def rows_of(payments: list[SyntheticPayment]) -> list[LabelledRow]:
    rows = []
    for i, p in enumerate(payments):
        f = p.order_fields(mo_name=MO_NAMES[i % 3], mo_inn="5001000000")
        keys = ("direction", "purpose", "kbk", "payer_name", "payer_inn", "payee_name", "payee_inn")
        text = PaymentText(*(f[k] for k in keys))
        rows.append(LabelledRow(text, p.kvfo, p.kosgu))
    return rows


def test_macro_f1_on_held_out_payments(labelled, held_out) -> None:
    rows = rows_of(labelled)
    result = train(samples_of(rows))
    test_rows = rows_of(held_out)
    metrics = evaluate(result.classifier, samples_of(test_rows))
    assert metrics["macro_f1_kosgu"] >= 0.9
    assert metrics["macro_f1_pair"] >= 0.85  # the model alone: КВФО 2 and 4 read alike
    # the training's own stratified held-out part is reported
    assert result.held_out > 0 and result.metrics["macro_f1_kosgu"] >= 0.9
    assert {c["label"] for c in result.metrics["per_class_kosgu"]} >= {"211", "341", "223", "132"}

    # rules (with what training learned of counterparties and accounts) + model
    known = {
        (r["kind"], r["key"], r["direction"]): KnownCounterparty(r["kvfo"], r["kosgu"], r["confidence"])
        for r in learn_counterparties(rows)
    }
    texts = [r.text for r in test_rows]
    combined = decide(texts, [apply_rules(t, known) for t in texts], result.classifier, 0.75)
    alone = decide(texts, [RuleResult()] * len(texts), result.classifier, 0.75)
    truth = [(r.kvfo, r.kosgu) for r in test_rows]
    right = sum((d.kvfo, d.kosgu) == t for d, t in zip(combined, truth, strict=True))
    right_alone = sum((d.kvfo, d.kosgu) == t for d, t in zip(alone, truth, strict=True))
    assert right / len(truth) >= 0.95 and right > right_alone
    # what is not sent to review is nearly always right
    sure = [(d, t) for d, t in zip(combined, truth, strict=True) if not d.review]
    assert sum((d.kvfo, d.kosgu) == t for d, t in sure) / len(sure) >= 0.97


def test_held_out_split_is_stratified_and_keeps_rare_pairs_in_training() -> None:
    from finance.classification.model import Sample

    samples = [Sample(f"t{i}", "out", 7, "341") for i in range(50)] + [
        Sample(f"r{i}", "out", 6, "228") for i in range(3)
    ]
    fit, test = split(samples)
    assert len(test) == 10 and all(s.kosgu == "341" for s in test)
    assert sum(s.kosgu == "228" for s in fit) == 3
