"""Payment classification quality and speed on the demo distribution:

    .tools/bin/uv run --frozen python benchmarks/bench_finance_classification.py
        [--train 6000] [--test 3000] [--throughput 100000] [--json FILE]

A labelled training set and a separate held-out set are drawn from the synthetic generator
(``finance.classification.synthetic.labelled_sample``: the demo's mix of КВФО × КОСГУ cells,
purposes with abbreviations, typos and ambiguous invoices, payments of three MOs, different
seeds). Reported: macro-F1 (and accuracy) of the КОСГУ, of the КВФО and of the pair, for the
model alone and for rules + model (the counterparties and personal accounts learned from the
training set, as a training does); the share of held-out payments the review threshold sends
to people and the pair accuracy of those it does not; training time; the throughput of
rules + model over ``--throughput`` payments in process; and ``classify_payments`` end to end
on PostgreSQL (a scratch database with finance's migrations, ``--db-payments`` payment orders
inserted, the trained model stored, then one call over all their ids in one transaction — the
read, rules, model and the batched UPDATE; ``--db-payments 0`` skips it). No assertions:
figures go to docs/benchmarks.md."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import random
import time
import uuid
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import f1_score
from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import async_sessionmaker, create_async_engine

from finance.classification.model import TrainResult, train
from finance.classification.repository import LabelledRow
from finance.classification.rules import KnownCounterparty, PaymentText, RuleResult, apply_rules
from finance.classification.service import (
    classify_payments,
    decide,
    learn_counterparties,
    samples_of,
    store_trained,
)
from finance.classification.synthetic import SyntheticPayment, labelled_sample
from finance.models import PaymentOrder
from oms_kit.migrations import upgrade
from oms_kit.testing.postgres import admin_dsn, create_database, drop_database, sqlalchemy_url, unique_name

REPO = Path(__file__).resolve().parents[1]
SERVICE_DIR = REPO / "services" / "finance"

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
    parser.add_argument("--db-payments", type=int, default=100_000)
    parser.add_argument("--json", default=None)
    args = parser.parse_args()
    logging.disable(logging.INFO)

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
    if args.db_payments:
        result["database"] = asyncio.run(database_throughput(args.db_payments, trained, rows))
    print(json.dumps(result, ensure_ascii=False, indent=2))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(result, f, ensure_ascii=False, indent=2)


async def database_throughput(n: int, trained: TrainResult, rows: list[LabelledRow]) -> dict[str, Any]:
    dsn = admin_dsn(REPO)
    name = unique_name("bench_finance_classification")
    await create_database(dsn, name)
    url = sqlalchemy_url(dsn, name)
    engine = create_async_engine(url)
    try:
        await asyncio.to_thread(upgrade, SERVICE_DIR, url)
        sessions = async_sessionmaker(engine, expire_on_commit=False)
        payments = labelled_sample(n, random.Random(404))
        mos = [uuid.uuid4() for _ in MO_NAMES]
        values = []
        for i, p in enumerate(payments):
            fields = p.order_fields(mo_name=MO_NAMES[i % len(MO_NAMES)], mo_inn="5001000000")
            fields["doc_number"] = str(i + 1)
            values.append({"id": uuid.uuid4(), "mo_id": mos[i % len(mos)], **fields})
        started = time.perf_counter()
        async with sessions() as session, session.begin():
            for k in range(0, len(values), 10_000):
                await session.execute(insert(PaymentOrder), values[k : k + 10_000])
            await store_trained(session, trained, rows, "bench")
        insert_seconds = time.perf_counter() - started
        ids = [v["id"] for v in values]
        started = time.perf_counter()
        async with sessions() as session, session.begin():
            summary = await classify_payments(session, ids, threshold=THRESHOLD)
        seconds = time.perf_counter() - started
        async with sessions() as session:
            got = dict(
                (r.id, (r.kvfo, r.kosgu))
                for r in (
                    await session.execute(select(PaymentOrder.id, PaymentOrder.kvfo, PaymentOrder.kosgu))
                ).all()
            )
        right = sum(got[v["id"]] == (p.kvfo, p.kosgu) for v, p in zip(values, payments, strict=True))
        return {
            "payments": n,
            "insert_seconds": round(insert_seconds, 1),
            "classify_seconds": round(seconds, 2),
            "payments_per_s": round(n / seconds),
            "by_rule": summary.by_rule,
            "by_model": summary.by_model,
            "needs_review": summary.needs_review,
            "accuracy_pair": round(right / n, 4),
        }
    finally:
        await engine.dispose()
        await drop_database(dsn, name)


if __name__ == "__main__":
    main()
