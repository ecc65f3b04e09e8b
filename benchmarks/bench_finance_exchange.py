"""Finance — the 1C import (issue 6: «≥ 50,000 payment lines/s parsed»):

    .tools/bin/uv run --frozen python benchmarks/bench_finance_exchange.py [--documents 100000]

1. A realistic ``1CClientBankExchange`` statement of ``--documents`` payment orders and receipts
   (windows-1251, CRLF, version 1.03; purposes, counterparties, ИНН/КПП/КБК from
   ``finance.classification.synthetic`` over the demo distribution of КВФО × КОСГУ), written
   by the service's own writer (``finance.exchange.onec.write``) — ~30 lines a document.
2. Parse: ``onec.parse`` (decode, encoding checks, sections, documents' keys) — file lines/s
   and documents/s; then ``service.read_file`` (parse + every document checked and turned
   into a row: amounts, dates, ИНН/КПП/accounts, side) — the same rates. Best of 3 runs each.
3. The full import into PostgreSQL: a fresh database with finance's migrations, an import row,
   ``service.process`` in one transaction — the per-row checks are done, the rows inserted by
   ``INSERT … ON CONFLICT DO NOTHING`` in batches, the period-lock check, then
   ``classify_payments`` (rules; no trained model in the fresh database). Rows/s for the insert
   and for the whole, and a re-import of the same file (every row a duplicate).
Prints one JSON document (``--json FILE`` also writes it). No timing assertions anywhere."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import random
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from finance.classification.synthetic import labelled_sample
from finance.exchange import onec, service
from finance.models import Organization
from oms_kit.migrations import upgrade
from oms_kit.testing.postgres import admin_dsn, create_database, drop_database, sqlalchemy_url, unique_name

REPO = Path(__file__).resolve().parents[1]
SERVICE_DIR = REPO / "services" / "finance"
MO_ACCOUNT = "03234643500000004800"
MO_NAME = "ГБУЗ «Приозёрская городская больница № 1»"


class _Principal:
    subject = "bench"


def statement(documents: int, seed: int = 20261124) -> bytes:
    rng = random.Random(seed)
    months = [date(2025, m, 1) for m in range(1, 13)]
    docs = []
    for n, payment in enumerate(labelled_sample(documents, rng, months), start=1):
        f = payment.order_fields(
            mo_name=MO_NAME, mo_inn="5001012345", mo_kpp="500101001", mo_account=MO_ACCOUNT
        )
        docs.append(
            onec.OutDocument(
                kind=f["doc_kind"],
                number=f"{n}",
                day=f["doc_date"],
                amount=f["amount"],
                payer_name=f["payer_name"],
                payer_inn=f["payer_inn"],
                payer_kpp=f["payer_kpp"],
                payer_account=f["payer_account"],
                payer_bik=f["payer_bik"],
                payee_name=f["payee_name"],
                payee_inn=f["payee_inn"],
                payee_kpp=f["payee_kpp"],
                payee_account=f["payee_account"],
                payee_bik=f["payee_bik"],
                purpose=f["purpose"],
                kbk=f["kbk"],
                written_off=f["written_off"],
                received=f["received"],
            )
        )
    return onec.write(
        docs, accounts=[MO_ACCOUNT], period=(months[0], date(2025, 12, 31)), created=date(2026, 1, 9)
    )


def best_of(runs: int, work: Any) -> tuple[float, Any]:
    best, result = float("inf"), None
    for _ in range(runs):
        result = None  # the previous run's objects go before the next run makes its own
        started = time.perf_counter()
        result = work()
        best = min(best, time.perf_counter() - started)
    return best, result


def rates(seconds: float, lines: int, documents: int) -> dict[str, Any]:
    return {
        "seconds": round(seconds, 3),
        "lines_per_s": round(lines / seconds),
        "documents_per_s": round(documents / seconds),
    }


async def import_into_postgres(data: bytes, documents: int) -> dict[str, Any]:
    dsn = admin_dsn(REPO)
    name = unique_name("bench_finance_exchange")
    await create_database(dsn, name)
    url = sqlalchemy_url(dsn, name)
    engine = create_async_engine(url)
    try:
        await asyncio.to_thread(upgrade, SERVICE_DIR, url)
        mo_id = uuid.uuid4()
        async with AsyncSession(engine) as session, session.begin():
            session.add(Organization(id=mo_id, name=MO_NAME, kind="mo", code="500001"))
        out: dict[str, Any] = {}
        for run in ("first", "again"):
            marks: dict[str, float] = {}

            async def progress(
                done: int, total: int | None, stage: str, marks: dict[str, float] = marks
            ) -> None:
                marks.setdefault(stage, time.perf_counter())

            started = time.perf_counter()
            parsed = await asyncio.to_thread(service.read_file, data)
            checked = time.perf_counter()
            async with AsyncSession(engine) as session, session.begin():
                imp = service.new_import(mo_id, "bench.txt", _Principal())  # type: ignore[arg-type]
                session.add(imp)
                await session.flush()
                await service.process(session, imp, parsed, progress=progress)
                inserted, duplicates = imp.inserted, imp.duplicates
            ended = time.perf_counter()
            insert_s = marks["Классификация"] - marks["Запись документов"]
            out[run] = {
                "inserted": inserted,
                "duplicates": duplicates,
                "read_and_check_s": round(checked - started, 3),
                "insert_s": round(insert_s, 3),
                "insert_rows_per_s": round(documents / insert_s),
                "classify_s": round(ended - marks["Классификация"], 3),
                "total_s": round(ended - started, 3),
                "rows_per_s": round(documents / (ended - started)),
            }
        return out
    finally:
        await engine.dispose()
        await drop_database(dsn, name)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--documents", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-import", action="store_true", help="only the parse figures")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    started = time.perf_counter()
    data = statement(args.documents)
    generated = time.perf_counter() - started
    lines = data.count(b"\n")
    parse_s, exchange = best_of(args.runs, lambda: onec.parse(data))
    assert len(exchange.documents) == args.documents
    check_s, parsed = best_of(args.runs, lambda: service.read_file(data))
    bad = sum(1 for c in parsed.checked if c.row is None)
    result: dict[str, Any] = {
        "documents": args.documents,
        "file_lines": lines,
        "file_mb": round(len(data) / 1e6, 1),
        "generate_s": round(generated, 2),
        "parse": rates(parse_s, lines, args.documents),
        "parse_and_check": {**rates(check_s, lines, args.documents), "bad_documents": bad},
    }
    if not args.no_import:
        result["import_postgresql"] = asyncio.run(import_into_postgres(data, args.documents))
    text = json.dumps(result, ensure_ascii=False, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n")


if __name__ == "__main__":
    main()
