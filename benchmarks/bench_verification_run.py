"""A full verification run — the ``verification.run`` job, every stage — on a synthetic register
against the five sources, results in PostgreSQL:

    .tools/bin/uv run --frozen python benchmarks/bench_verification_run.py [--size 1000000]
        [--source-records N] [--keep] [--json FILE]
    # or the setup apart from the timed run (e.g. the setup while the machine is busy):
    ... bench_verification_run.py --size 1000000 --prepare-only   # prints database and run_id
    ... bench_verification_run.py --database NAME --run-id ID

Setup (not timed, in a child process of its own): a fresh database with the service's
migrations; the synthetic register of ``--size`` records with planted truths
(``verification.synthetic``) written as a TFOMS CSV file and attached to a run's job as its
input; the sources' answers from the truths (``synthetic.source_answers``) with strangers
added until there are ``--source-records`` records in all (default: as many as the register),
stored through the sources' loader (``sources.load_records``).

Timed (in another child, so its peak RSS is the run's own: the job runner, the register
loader, DuckDB/Splink in-process; PostgreSQL's memory is not in it): the kit's job runner
runs the job to the end — loading, blocking (training), scoring (dedupe, then the register
against each source), rules, decisions. Reported: wall time per stage and in all, peak RSS,
the run's counts (outcomes by reason beside the planted truths). No assertions: figures go
to docs/benchmarks.md."""

from __future__ import annotations

import argparse
import asyncio
import json
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
SERVICE_DIR = REPO / "services" / "verification"
YEAR = 2025
ORGANIZATION = uuid.UUID("00000000-0000-4000-8000-00000000b001")


# ------------------------------------------------------------------------------- setup child
def _register_file(records: list[Any], path: Path) -> None:
    from verification.register.writer import write_register_csv

    with path.open("w", encoding="utf-8", newline="") as out:
        write_register_csv(records, out)


def _answers(register: Any, target: int) -> dict[str, list[Any]]:
    """The sources' answers with strangers added until about ``target`` records in all."""
    from verification.synthetic.source_answers import source_answers

    def total(answers: dict[str, list[Any]]) -> int:
        return sum(len(v) for v in answers.values())

    truths = len(register.truths)
    base = total(source_answers(register.records, register.truths, year=YEAR, seed=2, noise_share=0.0))
    probe = source_answers(register.records, register.truths, year=YEAR, seed=2, noise_share=0.2)
    per_stranger = max(1.0, (total(probe) - base) / max(1, int(truths * 0.2)))
    share = max(0.0, (target - base) / per_stranger / max(1, truths))
    return source_answers(register.records, register.truths, year=YEAR, seed=2, noise_share=share)


async def _file_chunks(path: Path) -> AsyncIterator[bytes]:
    with path.open("rb") as f:
        while chunk := f.read(1 << 20):
            yield chunk


async def setup(url: str, size: int, source_records: int, folder: Path) -> dict[str, Any]:
    from oms_kit.auth import Principal
    from oms_kit.db import Database
    from oms_kit.jobs import submit_job
    from oms_kit.jobs.storage import store_file
    from verification.models import VerificationRun
    from verification.runs.pipeline import VERIFICATION_RUN
    from verification.sources import adapter_for
    from verification.sources.service import load_records
    from verification.synthetic import generate_register

    started = time.perf_counter()
    register = generate_register(size, year=YEAR)
    path = folder / "register.csv"
    _register_file(register.records, path)
    answers = _answers(register, source_records)
    generated = time.perf_counter() - started
    database = Database(url, pool_size=2)
    loaded: dict[str, int] = {}
    try:
        for code, records in answers.items():
            async with database.sessions() as session, session.begin():
                result = await load_records(session, adapter_for(code), records, organization_id=ORGANIZATION)
                loaded[code] = result.loaded
        principal = Principal(
            subject="bench",
            org_id=ORGANIZATION,
            org_type="payer",
            roles=frozenset({"verification_operator"}),
            permissions=frozenset({"verification.run:read", "verification.run:write"}),
        )
        run_id = uuid.uuid4()
        async with database.sessions() as session, session.begin():
            job = await submit_job(session, VERIFICATION_RUN, principal, params={"run_id": str(run_id)})
            await store_file(
                session,
                job.id,
                role="input",
                name="register.csv",
                media_type="text/csv",
                content=_file_chunks(path),
            )
            session.add(
                VerificationRun(
                    id=run_id,
                    organization_id=ORGANIZATION,
                    period_from=date(YEAR, 1, 1),
                    period_to=date(YEAR, 12, 31),
                    as_of=date(YEAR, 12, 31),
                    register_source="file",
                    job_id=job.id,
                    created_by="bench",
                )
            )
    finally:
        await database.dispose()
    return {
        "run_id": str(run_id),
        "register_records": len(register.records),
        "register_file_mb": round(path.stat().st_size / 2**20, 1),
        "source_records": loaded,
        "source_records_total": sum(loaded.values()),
        "planted": dict(Counter(t.kind for t in register.truths)),
        "setup_seconds": round(time.perf_counter() - started, 1),
        "generation_seconds": round(generated, 1),
    }


# --------------------------------------------------------------------------------- run child
async def run(url: str, run_id: uuid.UUID) -> dict[str, Any]:
    from sqlalchemy import text

    from oms_kit.db import Database
    from oms_kit.jobs import JobRunner
    from verification.config import Settings
    from verification.runs.pipeline import VERIFICATION_RUN

    settings = Settings(OMS_VERIFICATION_DATABASE_URL=url)  # type: ignore[call-arg]
    database = Database(url, pool_size=4)
    runner = JobRunner(database, [VERIFICATION_RUN], settings, heartbeat_seconds=5.0)
    started = time.perf_counter()
    try:
        await runner.claim_and_start()
        while runner.running:  # noqa: ASYNC110  (the runner exposes no event for "idle")
            await asyncio.sleep(0.2)
        wall = time.perf_counter() - started
        async with database.sessions() as session:
            row = (
                await session.execute(
                    text(
                        "SELECT j.status, j.error, r.counts "
                        "FROM verification_run r JOIN job j ON j.id = r.job_id WHERE r.id = :id"
                    ),
                    {"id": run_id},
                )
            ).one()
    finally:
        await database.dispose()
    counts = dict(row.counts)
    return {
        "status": row.status,
        "error": row.error,
        "wall_seconds": round(wall, 1),
        "stage_seconds": {
            k.removeprefix("seconds_"): v for k, v in counts.items() if k.startswith("seconds_")
        },
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
        "peak_rss_mb_after": {
            k.removeprefix("peak_rss_mb_"): v for k, v in counts.items() if k.startswith("peak_rss")
        },
        "counts": {k: v for k, v in counts.items() if not k.startswith(("seconds_", "peak_rss"))},
    }


# ------------------------------------------------------------------------------------ parent
def _child(*args: str) -> dict[str, Any]:
    done = subprocess.run([sys.executable, __file__, *args], check=True, stdout=subprocess.PIPE, text=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


async def main(args: argparse.Namespace) -> dict[str, Any]:
    from oms_kit.migrations import upgrade
    from oms_kit.testing.postgres import (
        admin_dsn,
        create_database,
        drop_database,
        sqlalchemy_url,
        unique_name,
    )

    dsn = admin_dsn(REPO)
    name = args.database or unique_name("bench_verification_run")
    url = sqlalchemy_url(dsn, name)
    keep = args.keep or args.prepare_only
    prepared: dict[str, Any] = {"run_id": str(args.run_id)} if args.database else {}
    try:
        if not args.database:
            await create_database(dsn, name)
            await asyncio.to_thread(upgrade, SERVICE_DIR, url)
            with tempfile.TemporaryDirectory(prefix="bench-verification-run-") as folder:
                print(f"setup: {args.size:,} register records", file=sys.stderr, flush=True)
                prepared = await asyncio.to_thread(
                    _child,
                    "--phase", "setup", "--url", url, "--size", str(args.size),
                    "--source-records", str(args.source_records or args.size), "--folder", folder,
                )  # fmt: skip
            if args.prepare_only:
                return {"size": args.size, "setup": prepared, "database": name}
        print(f"run: {prepared['run_id']}", file=sys.stderr, flush=True)
        measured = await asyncio.to_thread(
            _child, "--phase", "run", "--url", url, "--run-id", prepared["run_id"]
        )
        return {"size": args.size, "setup": prepared, "run": measured, "database": name if keep else None}
    finally:
        if not keep:
            await drop_database(dsn, name)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--size", type=int, default=1_000_000, help="register records")
    parser.add_argument(
        "--source-records", type=int, default=0, help="source records in all (default: --size)"
    )
    parser.add_argument("--keep", action="store_true", help="keep the database (its name is printed)")
    parser.add_argument(
        "--prepare-only",
        action="store_true",
        help="only the setup: the database is kept, its name and run printed",
    )
    parser.add_argument(
        "--database", help="run the prepared run (--run-id) of this database (--prepare-only's)"
    )
    parser.add_argument("--json", type=Path)
    parser.add_argument("--phase", choices=("setup", "run"), help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--run-id", type=uuid.UUID, help="with --database: the prepared run")
    arguments = parser.parse_args()
    if arguments.phase == "setup":
        out = asyncio.run(setup(arguments.url, arguments.size, arguments.source_records, arguments.folder))
        print(json.dumps(out))
    elif arguments.phase == "run":
        print(json.dumps(asyncio.run(run(arguments.url, arguments.run_id)), default=str))
    else:
        result = asyncio.run(main(arguments))
        text_out = json.dumps(result, ensure_ascii=False, indent=2, default=str)
        print(text_out)
        if arguments.json:
            arguments.json.write_text(text_out)
