"""Payment classification quality and speed on the demo distribution:

    .tools/bin/uv run --frozen python benchmarks/bench_finance_classification.py
        [--train 6000] [--test 3000] [--throughput 100000] [--json FILE]

A labelled training set and a separate held-out set are drawn from the synthetic generator
(``finance.classification.synthetic.labelled_sample``: the demo's mix of КВФО × КОСГУ cells,
purposes with abbreviations, typos and ambiguous invoices, payments of three MOs, different
seeds). Reported: macro-F1 (and accuracy) of the КОСГУ, of the КВФО and of the pair, for the
model alone and for rules + model (the counterparties and personal accounts learned from the
training set, as a training does); the share of held-out payments the review threshold sends
to people and the pair accuracy of those it does not; training time; and the throughput of
rules + model over ``--throughput`` payments (in process, without the database). No
assertions: figures go to docs/benchmarks.md."""

from __future__ import annotations

import argparse
import json
import random
import time
from typing import Any

import numpy as np
from sklearn.metrics import f1_score

from finance.classification.model import train
from finance.classification.repository import LabelledRow
from finance.classification.rules import KnownCounterparty, PaymentText, RuleResult, apply_rules
from finance.classification.service import decide, learn_counterparties, samples_of
from finance.classification.synthetic import SyntheticPayment, labelled_sample

MO_NAMES = (
    "ГБУЗ «Городская поликлиника № 1 г. Приозёрска»",
    "ГБУЗ «Заречная центральная районная больница»",
    "ГБУЗ «Приозёрская областная клиническая больница»",
)
THRESHOLD = 0.75


def texts(payments: list[SyntheticPayment]) -> list[PaymentText]:
    out = []
    for i, p in enumerate(payments):
        f = p.order_fields(mo_name=MO_NAMES[i % len(MO_NAMES)], mo_inn="5001000000")
        out.append(
            PaymentText(
                f["direction"],
                f["purpose"],
                f["kbk"],
                f["payer_name"],
                f["payer_inn"],
                f["payee_name"],
                f["payee_inn"],
            )
        )
    return out


def scores(true: list[tuple[int, str]], got: list[tuple[int | None, str | None]]) -> dict[str, float]:
    tk, gk = [t[1] for t in true], [str(g[1]) for g in got]
    tv, gv = [t[0] for t in true], [int(g[0] or 0) for g in got]
    tp, gp = [f"{a}:{b}" for a, b in true], [f"{a}:{b}" for a, b in got]
    return {
        "macro_f1_kosgu": round(float(f1_score(tk, gk, labels=sorted(set(tk)), average="macro")), 4),
        "macro_f1_kvfo": round(float(f1_score(tv, gv, labels=sorted(set(tv)), average="macro")), 4),
        "macro_f1_pair": round(float(f1_score(tp, gp, labels=sorted(set(tp)), average="macro")), 4),
        "accuracy_pair": round(float(np.mean([a == b for a, b in zip(tp, gp, strict=True)])), 4),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--train", type=int, default=6000)
    parser.add_argument("--test", type=int, default=3000)
    parser.add_argument("--throughput", type=int, default=100_000)
    parser.add_argument("--json", default=None)
    args = parser.parse_args()

    train_set = labelled_sample(args.train, random.Random(101))
    test_set = labelled_sample(args.test, random.Random(202))
    train_texts, test_texts = texts(train_set), texts(test_set)
    rows = [LabelledRow(t, p.kvfo, p.kosgu) for t, p in zip(train_texts, train_set, strict=True)]

    started = time.perf_counter()
    trained = train(samples_of(rows))
    train_seconds = time.perf_counter() - started
    classifier = trained.classifier
    known = {
        (r["kind"], r["key"], r["direction"]): KnownCounterparty(r["kvfo"], r["kosgu"], r["confidence"])
        for r in learn_counterparties(rows)
    }
    truth = [(p.kvfo, p.kosgu) for p in test_set]

    model_only = decide(test_texts, [RuleResult()] * len(test_texts), classifier, THRESHOLD)
    rules = [apply_rules(t, known) for t in test_texts]
    combined = decide(test_texts, rules, classifier, THRESHOLD)

    sure = [(d, t) for d, t in zip(combined, truth, strict=True) if not d.review]
    result: dict[str, Any] = {
        "train": args.train,
        "test": args.test,
        "train_seconds": round(train_seconds, 1),
        "held_out_in_training": trained.metrics.get("macro_f1_pair"),
        "model": scores(truth, [(d.kvfo, d.kosgu) for d in model_only]),
        "rules_and_model": scores(truth, [(d.kvfo, d.kosgu) for d in combined]),
        "rules_decided_kosgu": round(sum(r.kosgu is not None for r in rules) / len(rules), 4),
        "rules_decided_kvfo": round(sum(r.kvfo is not None for r in rules) / len(rules), 4),
        "review_share": round(sum(d.review for d in combined) / len(combined), 4),
        "accuracy_pair_not_reviewed": round(
            sum((d.kvfo, d.kosgu) == t for d, t in sure) / max(1, len(sure)), 4
        ),
    }

    # throughput: rules + model over many payments, as classify_payments runs them
    many = labelled_sample(min(args.throughput, 20_000), random.Random(303))
    many_texts = texts(many)
    reps = max(1, args.throughput // len(many_texts))
    big = (many_texts * reps)[: args.throughput]
    started = time.perf_counter()
    big_rules = [apply_rules(t, known) for t in big]
    rules_seconds = time.perf_counter() - started
    decide(big, big_rules, classifier, THRESHOLD)
    total_seconds = time.perf_counter() - started
    result["throughput"] = {
        "payments": len(big),
        "rules_per_s": round(len(big) / rules_seconds),
        "rules_and_model_per_s": round(len(big) / total_seconds),
        "seconds": round(total_seconds, 2),
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(result, f, ensure_ascii=False, indent=2)


if __name__ == "__main__":
    main()
