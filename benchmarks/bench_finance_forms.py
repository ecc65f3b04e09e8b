"""Finance — the consolidated region forms (issue 6: «consolidated forms < 1 s» for 500 MOs × 12
months):

    .tools/bin/uv run --frozen python benchmarks/bench_finance_forms.py [--mos 500] [--runs 7]

1. A scratch database with finance's migrations; ``--mos`` MOs and 12 months (January–December
   of one year) of ``budget_entry`` made by the demo budget generator
   (``finance.demo.budget.budget_rows``: income, expenses and payables by КВФО × КОСГУ, sized by
   the MO, with plans) — ~90 rows an MO a month, written with COPY and ANALYZEd.
2. The consolidated forms of the region as the fund asks for them
   (``FormService.consolidated``: one ``GROUP BY flow, kvfo, kosgu`` over the year's entries of
   every MO, the cells computed in Python, the control ratios including the inter-form ones,
   whose other form is computed from the same aggregates): 14-Ф (ОМС) for the year (IV quarter,
   cumulative) and 62 for the year, each timed ``--runs`` times in a fresh transaction — the
   median, the best and the worst — and the SQL aggregate alone beside it.
3. The same through the HTTP API of the app in this process (``GET /forms/{form}/consolidated``:
   routing, JWT, scope, JSON), the median of ``--runs``.
Prints one JSON document (``--json FILE`` also writes it). No timing assertions anywhere."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import statistics
import time
import uuid
from datetime import date
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from finance.config import Settings
from finance.demo.budget import budget_rows
from finance.demo.region import DemoMo, DemoRegion
from finance.forms.periods import Period
from finance.forms.repository import FormRepository
from finance.forms.service import FormService
from finance.main import create_app
from finance.scope import MoScope
from oms_kit.auth import Principal
from oms_kit.db import asyncpg_connection
from oms_kit.events.inprocess import InProcessBus
from oms_kit.migrations import upgrade
from oms_kit.testing.postgres import admin_dsn, create_database, drop_database, sqlalchemy_url, unique_name
from oms_kit.testing.tokens import TokenFactory

REPO = Path(__file__).resolve().parents[1]
SERVICE_DIR = REPO / "services" / "finance"
YEAR = 2025
KINDS = ("ГБУЗ «Центральная районная больница № {n}»", "ГБУЗ «Городская поликлиника № {n}»",
         "ГБУЗ «Городская больница № {n}»", "ГАУЗ «Стоматологическая поликлиника № {n}»")  # fmt: skip
COLUMNS = ("id", "mo_id", "month", "flow", "kvfo", "kosgu", "planned", "actual", "source", "updated_by")


def region(mos: int) -> DemoRegion:
    return DemoRegion(
        mos=tuple(
            DemoMo(
                uuid.uuid5(uuid.NAMESPACE_URL, f"bench:{i}"),
                f"98{i:04d}",
                KINDS[i % 4].format(n=i),
                None,
                None,
                None,
            )
            for i in range(mos)
        ),
        months=tuple(date(YEAR, m, 1) for m in range(1, 13)),
    )


async def fill(url: str, mos: int) -> dict[str, Any]:
    started = time.perf_counter()
    rows = budget_rows(region(mos))
    generated = time.perf_counter() - started
    engine = create_async_engine(url)
    async with AsyncSession(engine) as session, session.begin():
        conn = await asyncpg_connection(session)
        await conn.copy_records_to_table(
            "budget_entry",
            records=[
                tuple(r.get(c, "bench") if c in ("source", "updated_by") else r[c] for c in COLUMNS)
                for r in rows
            ],
            columns=list(COLUMNS),
        )
    async with engine.connect() as conn:
        await conn.execute(text("COMMIT"))
        await conn.execute(text("ANALYZE budget_entry"))
    await engine.dispose()
    return {
        "rows": len(rows),
        "generated_s": round(generated, 2),
        "written_s": round(time.perf_counter() - started - generated, 2),
    }


def summary(samples: list[float]) -> dict[str, float]:
    return {
        "median_ms": round(statistics.median(samples) * 1000, 1),
        "best_ms": round(min(samples) * 1000, 1),
        "worst_ms": round(max(samples) * 1000, 1),
    }


async def service_times(url: str, runs: int) -> dict[str, Any]:
    engine = create_async_engine(url)
    principal = Principal(subject="bench", org_id=uuid.uuid4(), roles=frozenset({"tfoms_analyst"}))
    out: dict[str, Any] = {}
    for form, quarter in (("14F", 4), ("62", None)):
        samples, sql = [], []
        cells = 0
        for _ in range(runs + 1):  # the first run warms the caches and is left out
            async with AsyncSession(engine) as session, session.begin():
                started = time.perf_counter()
                read, _, _ = await FormService(session, principal).consolidated(form, YEAR, quarter)
                samples.append(time.perf_counter() - started)
                cells = len(read.cells)
                started = time.perf_counter()
                await FormRepository(session).aggregates(MoScope(None), Period("year", YEAR))
                sql.append(time.perf_counter() - started)
        out[form] = {"cells": cells, "form": summary(samples[1:]), "sql_aggregate": summary(sql[1:])}
    await engine.dispose()
    return out


async def api_times(url: str, runs: int) -> dict[str, Any]:
    tokens = TokenFactory()
    bus = InProcessBus()
    app = create_app(Settings(OMS_FINANCE_DATABASE_URL=url, env="test"), bus=bus, jwks=tokens.jwks_source())  # type: ignore[call-arg]
    token = tokens.token(roles=["tfoms_analyst"], perms=["finance.report:read"])
    headers = {"Authorization": f"Bearer {token}"}
    out: dict[str, Any] = {}
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://finance") as client,
    ):
        for form, params in (("14F", {"year": YEAR, "quarter": 4}), ("62", {"year": YEAR})):
            samples = []
            for _ in range(runs + 1):
                started = time.perf_counter()
                response = await client.get(f"/forms/{form}/consolidated", params=params, headers=headers)
                samples.append(time.perf_counter() - started)
                response.raise_for_status()
            out[form] = summary(samples[1:])
    await bus.close()
    return out


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mos", type=int, default=500)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    logging.disable(logging.INFO)
    dsn = admin_dsn(REPO)
    name = unique_name("bench_finance_forms")
    await create_database(dsn, name)
    url = sqlalchemy_url(dsn, name)
    try:
        await asyncio.to_thread(upgrade, SERVICE_DIR, url)
        data = await fill(url, args.mos)
        result = {
            "mos": args.mos,
            "months": 12,
            "budget_entry": data,
            "service": await service_times(url, args.runs),
            "api": await api_times(url, args.runs),
        }
    finally:
        await drop_database(dsn, name)
    document = json.dumps(result, ensure_ascii=False, indent=2)
    print(document)
    if args.json:
        args.json.write_text(document + "\n", encoding="utf-8")


if __name__ == "__main__":
    asyncio.run(main())
