"""Registry benchmarks on a 2,000,000-person register:

    .tools/bin/uv run --frozen python benchmarks/bench_registry.py [--persons 2000000] [--import-rows 200000]

1. The register database ``oms_bench_registry`` on the machine's PostgreSQL, generated once by
   ``python -m registry.demo_region`` (every constraint and index in force) and reused while
   it holds ``--persons`` persons.
2. Exact lookups ``GET /persons?enp=…`` and ``?snils=…`` and the typo-tolerant search
   ``GET /persons?surname=<one letter changed>&first_name=…&birth_date=…``, through the HTTP
   API of the registry app in this process (httpx over ASGI: routing, JWT check, scope, SQL,
   audit rows, JSON), one request at a time: p50/p99.
3. Import rows/s: a CSV of ``--import-rows`` new persons of the region through the import job
   (upload → runner → set-based batches), into a fresh register with every constraint.
4. Matching quality: ``registry.matching.quality.evaluate`` on the planted duplicates.
Prints one JSON document (``--json FILE`` also writes it). No timing assertions anywhere."""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

from oms_kit.events.inprocess import InProcessBus
from oms_kit.migrations import upgrade
from oms_kit.testing.postgres import admin_dsn, create_database, drop_database, sqlalchemy_url, unique_name
from oms_kit.testing.tokens import TokenFactory
from registry.config import Settings
from registry.demo_region.loading import DEMO_SEED, planted_pairs
from registry.main import create_app

REPO = Path(__file__).resolve().parents[1]
SERVICE_DIR = REPO / "services" / "registry"
DATABASE = "oms_bench_registry"
PERMS = ["registry.person:read", "registry.person:write"]
QUALITY_FIELDS = (
    "threshold",
    "true_pairs",
    "persons_examined",
    "labelled_outside",
    "predicted_pairs",
    "true_positives",
    "false_positives",
    "false_negatives",
    "precision",
    "recall",
    "f1",
    "blocking_recall",
    "seconds",
)


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {
        "n": len(ordered),
        "p50_ms": round(statistics.median(ordered) * 1000, 2),
        "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 2),
    }


async def ensure_register(dsn: str, persons: int) -> str:
    url = sqlalchemy_url(dsn, DATABASE)
    engine = create_async_engine(sqlalchemy_url(dsn, "postgres"), isolation_level="AUTOCOMMIT")
    async with engine.connect() as conn:
        exists = await conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :d"), {"d": DATABASE})
        if not exists:
            await conn.execute(text(f'CREATE DATABASE "{DATABASE}"'))
    await engine.dispose()
    have = 0
    if exists:
        engine = create_async_engine(url)
        async with engine.connect() as conn:
            have = await conn.scalar(text("SELECT count(*) FROM person")) or 0
        await engine.dispose()
    if have < persons:
        print(f"generating the register: {have:,} → {persons:,} persons", file=sys.stderr, flush=True)
        command = [sys.executable, "-m", "registry.demo_region", "--persons", str(persons)]
        command += ["--database-url", url]
        await asyncio.to_thread(subprocess.run, command, check=True)
    else:
        await asyncio.to_thread(upgrade, SERVICE_DIR, url)
    return url


async def sample(url: str, n: int) -> list[Any]:
    engine = create_async_engine(url)
    async with engine.connect() as conn:
        rows = (
            await conn.execute(
                text(
                    "SELECT snils, enp, surname, first_name, birth_date FROM person_search "
                    "TABLESAMPLE SYSTEM (1) WHERE snils IS NOT NULL LIMIT :n"
                ),
                {"n": n},
            )
        ).all()
    await engine.dispose()
    return list(rows)


def typo(word: str, rng: random.Random) -> str:
    i = rng.randint(1, len(word) - 2)
    return word[:i] + ("о" if word[i] != "о" else "а") + word[i + 1 :]


async def lookups(url: str, tokens: TokenFactory, n: int) -> dict[str, Any]:
    settings = Settings(OMS_REGISTRY_DATABASE_URL=url, env="test")  # type: ignore[call-arg]
    bus = InProcessBus()  # an injected bus is closed by whoever made it, not by the app
    app = create_app(settings, bus=bus, jwks=tokens.jwks_source())
    auth = tokens.auth(roles=["registry_operator"], perms=PERMS, org_id=str(uuid.uuid4()), org_type="tfoms")
    rows = await sample(url, n)
    rng = random.Random(1)
    results: dict[str, list[float]] = {"enp": [], "snils": [], "fuzzy": []}
    found_fuzzy = 0
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://registry") as client:
            for row in rows[:20]:  # warm-up
                await client.get(f"/persons?enp={row.enp}", headers=auth)
            for row in rows:
                for mode, query in (
                    ("enp", f"enp={row.enp}"),
                    ("snils", f"snils={row.snils}"),
                    (
                        "fuzzy",
                        f"surname={typo(row.surname, rng)}&first_name={row.first_name}"
                        f"&birth_date={row.birth_date}",
                    ),
                ):
                    started = time.perf_counter()
                    response = await client.get(f"/persons?{query}", headers=auth)
                    results[mode].append(time.perf_counter() - started)
                    assert response.status_code == 200, response.text
                    if mode == "fuzzy":
                        found_fuzzy += any(i["snils"] == row.snils for i in response.json()["items"])
                    elif response.json()["total"] != 1:
                        raise RuntimeError(f"{mode} lookup found {response.json()['total']} persons")
    await bus.close()
    out = {mode: percentiles(samples) for mode, samples in results.items()}
    out["fuzzy"]["found_share"] = round(found_fuzzy / len(rows), 3)
    return out


async def import_rate(dsn: str, tokens: TokenFactory, rows: int) -> dict[str, Any]:
    name = unique_name("bench_registry_import")
    await create_database(dsn, name)
    url = sqlalchemy_url(dsn, name)
    try:
        await asyncio.to_thread(upgrade, SERVICE_DIR, url)
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "region.csv"
            command = [sys.executable, "-m", "registry.demo_region", "--persons", str(rows)]
            command += ["--csv", str(path), "--first-person", "3000000"]
            await asyncio.to_thread(subprocess.run, command, check=True, stdout=subprocess.DEVNULL)
            engine = create_async_engine(url)
            from registry.demo_region.__main__ import ensure_organizations
            from registry.nsi.shipped import load_shipped

            async with AsyncSession(engine) as session, session.begin():
                await load_shipped(session)
                await ensure_organizations(session)
            await engine.dispose()
            settings = Settings(OMS_REGISTRY_DATABASE_URL=url, env="test")  # type: ignore[call-arg]
            bus = InProcessBus()
            app = create_app(settings, bus=bus, jwks=tokens.jwks_source())
            auth = tokens.auth(
                roles=["registry_operator"], perms=PERMS, org_id=str(uuid.uuid4()), org_type="tfoms"
            )
            async with app.router.lifespan_context(app):
                transport = httpx.ASGITransport(app=app)
                async with httpx.AsyncClient(transport=transport, base_url="http://r", timeout=600) as client:
                    started = time.perf_counter()
                    answer = await client.post(
                        "/persons/imports",
                        content=path.read_bytes(),
                        headers={**auth, "Content-Type": "text/csv"},
                    )
                    job = answer.json()
                    while job["status"] not in ("succeeded", "failed", "cancelled"):
                        await asyncio.sleep(0.5)
                        job = (await client.get(f"/jobs/{job['id']}", headers=auth)).json()
                    seconds = time.perf_counter() - started
            await bus.close()
            if job["status"] != "succeeded":
                raise RuntimeError(f"import failed: {job}")
            return {
                "rows": rows,
                "file_mb": round(path.stat().st_size / 1e6, 1),
                "seconds": round(seconds, 1),
                "rows_per_second": round(rows / seconds),
                "result": job["result"],
            }
    finally:
        await drop_database(dsn, name)


async def quality(url: str, pairs_wanted: int) -> dict[str, Any]:
    """On a deterministic sample of the planted pairs (all of them: ``--quality-pairs 0``);
    each examined person is matched against the whole 2M register."""
    from registry.matching.quality import evaluate

    engine = create_async_engine(url)
    async with AsyncSession(engine) as session:
        pairs = labelled = sorted(await planted_pairs(session))
        if 0 < pairs_wanted < len(pairs):
            pairs = random.Random(7).sample(pairs, pairs_wanted)
        report = await evaluate(session, pairs, labelled=labelled)
    await engine.dispose()
    return {"planted_pairs_used": len(pairs)} | {k: getattr(report, k) for k in QUALITY_FIELDS}


async def main(args: argparse.Namespace) -> dict[str, Any]:
    logging.getLogger("httpx").setLevel(logging.WARNING)  # a log line per request is not the API's cost
    dsn = admin_dsn(REPO)
    tokens = TokenFactory()
    url = await ensure_register(dsn, args.persons)
    out: dict[str, Any] = {
        "persons": args.persons,
        "seed": DEMO_SEED,
        "client": "httpx over ASGI, in process",
    }
    out["lookups"] = await lookups(url, tokens, args.samples)
    if not args.skip_quality:
        out["matching"] = await quality(url, args.quality_pairs)
    if args.import_rows:
        out["import"] = await import_rate(dsn, tokens, args.import_rows)
    return out


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--persons", type=int, default=2_000_000)
    parser.add_argument("--samples", type=int, default=500, help="persons looked up (each: ENP, SNILS, name)")
    parser.add_argument("--import-rows", type=int, default=200_000, help="0: skip the import measurement")
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument(
        "--quality-pairs", type=int, default=3000, help="planted pairs sampled for matching quality (0: all)"
    )
    parser.add_argument("--json", type=Path)
    arguments = parser.parse_args()
    result = asyncio.run(main(arguments))
    text_out = json.dumps(result, ensure_ascii=False, indent=2, default=str)
    print(text_out)
    if arguments.json:
        arguments.json.write_text(text_out)
