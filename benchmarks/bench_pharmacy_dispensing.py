"""Pharmacy — dispensing with marking codes under concurrent counters (issue 7: «≥ 300 dispenses/s,
p99 < 100 ms on 2 cores, zero oversold stock»):

    .tools/bin/uv run --frozen python benchmarks/bench_pharmacy_dispensing.py [--counters 8]
        [--packages 3000] [--extra 300] [--api] [--uvicorn] [--workers 2]

1. A scratch database with pharmacy's migrations; one pharmacy, one marked drug of the ОНЛС list
   with its GTIN, ``--packages`` marked packages (SGTIN + crypto tail) in 4 batches, 300
   beneficiaries of category 082, ``--packages + --extra`` prescriptions of one package each
   (more prescriptions than packages: the last ones find no package).
2. ``--counters`` counters (asyncio tasks, each its own connection and transaction per
   dispense) take the next prescription and scan a package: the next unused code, or — 5 % of
   the time, and always once the codes run out — a code already given (another counter's),
   so the refusals (code dispensed, or taken at the same moment) are part of the load. Each
   dispense is the real service function (``pharmacy.dispensing.service.dispense``): every
   check, the prescription locked, the packages claimed by the conditional UPDATE, the batch
   booked through ``stock.movements.book``, the dispense + item, the МДЛП report queued, the
   event in the outbox.
3. With ``--api``, the same again through the HTTP API of the app in this process
   (``POST /dispensing/dispenses`` over httpx's ASGI transport: routing, JWT, scope, JSON),
   on a fresh set of prescriptions and packages; with ``--uvicorn``, through the app served by
   uvicorn on 127.0.0.1 (HTTP over the socket too; the server and the counters share this
   process and its loop); with ``--workers N``, through N uvicorn processes serving the app
   (``uvicorn --factory``, each on its own port, the counters split evenly over them — as
   production runs several behind a balancer) and the counters' HTTP client in this process;
   the processes' CPU is read from /proc.
4. Checks after each run: Σ dispensed ≤ received, every batch's quantity = received −
   dispensed ≥ 0, every SGTIN in at most one dispense and ``dispensed`` exactly when it is in
   one, one movement per dispense.

Prints one JSON document (``--json FILE`` also writes it): dispenses/s, attempts/s, p50/p99
latency of the successful dispenses and of all attempts, refusals by check, the load average,
and the CPU a dispense costs — this process and its PostgreSQL backends (from /proc) — with the
rate that CPU would allow on all cores of an otherwise idle machine (an estimate; the machine
these run on is shared).
No timing assertions (the invariants are asserted)."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import random
import secrets
import socket
import statistics
import string
import time
import uuid
from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import insert, text
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker, create_async_engine

from oms_kit.auth import Principal
from oms_kit.auth.tokens import JwksSource
from oms_kit.errors import DomainError
from oms_kit.events.inprocess import InProcessBus
from oms_kit.migrations import upgrade
from oms_kit.testing.postgres import admin_dsn, create_database, drop_database, sqlalchemy_url, unique_name
from oms_kit.testing.tokens import TokenFactory
from pharmacy.config import Settings
from pharmacy.dispensing import service
from pharmacy.dispensing.errors import DispenseConflict, DispenseRefused
from pharmacy.dispensing.schemas import DispenseIn
from pharmacy.main import create_app
from pharmacy.marking.gs1 import GS, complete_gtin
from pharmacy.models import (
    Beneficiary,
    Drug,
    DrugGtin,
    DrugListItem,
    Entitlement,
    MarkedPackage,
    Organization,
    Prescription,
    StockBatch,
)

REPO = Path(__file__).resolve().parents[1]
SERVICE_DIR = REPO / "services" / "pharmacy"
PERMS = frozenset({"pharmacy.prescription:read", "pharmacy.prescription:dispense"})
ALPHABET = string.ascii_letters + string.digits
BATCHES = 4
PEOPLE = 300
PRICE = Decimal("187.40")


def _random(n: int) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(n))


@dataclass
class Stock:
    pharmacy_id: uuid.UUID
    batch_ids: list[uuid.UUID]
    received: int
    codes: list[str]
    prescriptions: list[uuid.UUID]


async def fill(url: str, packages: int, extra: int, tag: str) -> Stock:
    """One pharmacy, a drug, ``packages`` marked packages, ``packages + extra`` prescriptions."""
    engine = create_async_engine(url)
    pharmacy_id = uuid.uuid4()
    drug_id = uuid.uuid4()
    gtin = complete_gtin(f"046070{secrets.randbelow(10**7):07d}")
    today = date.today()
    async with AsyncSession(engine) as s, s.begin():
        await s.execute(
            insert(Organization).values(
                id=pharmacy_id,
                kind="pharmacy",
                code=f"99{secrets.randbelow(10**4):04d}",
                name=f"Аптека {tag}",
            )
        )
        await s.execute(
            insert(Drug).values(
                id=drug_id,
                inn="Метформин",
                trade_name=f"Глюкофаж {tag}",
                dosage_form="таблетки",
                dosage="500 мг",
                package_quantity=60,
                marked=True,
                valid_from=date(2020, 1, 1),
            )
        )
        await s.execute(insert(DrugGtin).values(gtin=gtin, drug_id=drug_id))
        await s.execute(insert(DrugListItem).values(drug_list_code="onls", drug_id=drug_id))
        batch_ids = [uuid.uuid4() for _ in range(BATCHES)]
        sizes = [packages // BATCHES + (1 if i < packages % BATCHES else 0) for i in range(BATCHES)]
        await s.execute(
            insert(StockBatch),
            [
                {
                    "id": b,
                    "pharmacy_id": pharmacy_id,
                    "drug_id": drug_id,
                    "series": f"{tag}{i}",
                    "expiry_date": today + timedelta(days=300 + 30 * i),
                    "funding_source": "federal",
                    "unit_price": PRICE,
                    "quantity": n,
                    "reserved": 0,
                }
                for i, (b, n) in enumerate(zip(batch_ids, sizes, strict=True))
            ],
        )
        codes: list[str] = []
        rows = []
        for b, n in zip(batch_ids, sizes, strict=True):
            for _ in range(n):
                serial = _random(13)
                codes.append(f"]d201{gtin}21{serial}{GS}91EE10{GS}92{_random(44)}")
                rows.append(
                    {
                        "sgtin": gtin + serial,
                        "gtin": gtin,
                        "serial": serial,
                        "batch_id": b,
                        "pharmacy_id": pharmacy_id,
                    }
                )
        await s.execute(insert(MarkedPackage), rows)
        people = []
        for _ in range(PEOPLE):
            b_id = uuid.uuid4()
            people.append((b_id, uuid.uuid4()))
        await s.execute(
            insert(Beneficiary),
            [
                {
                    "id": b_id,
                    "person_id": person,
                    "surname": "Бенчмарков",
                    "first_name": "Иван",
                    "birth_date": date(1950, 1, 1),
                    "sex": "male",
                    "source": "manual",
                }
                for b_id, person in people
            ],
        )
        await s.execute(
            insert(Entitlement),
            [
                {
                    "beneficiary_id": b_id,
                    "category_code": "082",
                    "valid_from": date(2020, 1, 1),
                    "source": "manual",
                }
                for b_id, _ in people
            ],
        )
        series = f"9{secrets.randbelow(10**6):06d}"
        prescriptions = [uuid.uuid4() for _ in range(packages + extra)]
        await s.execute(
            insert(Prescription),
            [
                {
                    "id": pid,
                    "form": "148-1/у-04(л)",
                    "series": series,
                    "number": n + 1,
                    "mo_id": uuid.uuid5(uuid.NAMESPACE_URL, f"bench-mo:{n % 20}"),
                    "mo_code": "12345",
                    "doctor_subject": "doctor",
                    "doctor_name": "Иванов И. И.",
                    "person_id": people[n % PEOPLE][1],
                    "beneficiary_id": people[n % PEOPLE][0],
                    "category_code": "082",
                    "funding_source": "federal",
                    "diagnosis_code": "E11.9",
                    "inn": "Метформин",
                    "dosage_form": "таблетки",
                    "dosage": "500 мг",
                    "quantity": 1,
                    "signa": "по 1 таблетке 2 раза в день",
                    "issued_on": today - timedelta(days=3),
                    "validity_basis": "standard",
                    "valid_until": today + timedelta(days=27),
                    "patient_full_name": "Бенчмарков Иван",
                    "patient_birth_date": date(1950, 1, 1),
                    "patient_snils": "11223344595",
                    "patient_policy_number": "7700000000000001",
                    "medical_record_number": "МК-1",
                }
                for n, pid in enumerate(prescriptions)
            ],
        )
    async with engine.connect() as conn:
        await conn.execute(text("COMMIT"))
        await conn.execute(text("ANALYZE"))
    await engine.dispose()
    random.Random(7).shuffle(prescriptions)
    return Stock(pharmacy_id, batch_ids, packages, codes, prescriptions)


@dataclass
class Load:
    """The shared counter queue: the next prescription, the next package (or a used one)."""

    stock: Stock
    rng: random.Random = field(default_factory=lambda: random.Random(11))
    next_code: int = 0
    used: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.queue = iter(self.stock.prescriptions)

    def take(self) -> tuple[uuid.UUID, str] | None:
        prescription = next(self.queue, None)
        if prescription is None:
            return None
        fresh = self.next_code < len(self.stock.codes)
        if fresh and (not self.used or self.rng.random() >= 0.05):
            code = self.stock.codes[self.next_code]
            self.next_code += 1
            self.used.append(code)
        else:
            code = self.rng.choice(self.used)  # another counter's package
        return prescription, code


def percentile(samples: list[float], q: float) -> float:
    if not samples:
        return 0.0
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def figures(ok: list[float], every: list[float], wall: float, refused: Counter[str]) -> dict[str, Any]:
    return {
        "dispensed": len(ok),
        "attempts": len(every),
        "refused": dict(refused),
        "wall_s": round(wall, 2),
        "dispenses_per_s": round(len(ok) / wall, 1),
        "attempts_per_s": round(len(every) / wall, 1),
        "dispense_ms": {
            "p50": round(statistics.median(ok) * 1000, 1) if ok else None,
            "p99": round(percentile(ok, 0.99) * 1000, 1),
            "max": round(max(ok) * 1000, 1) if ok else None,
        },
        "attempt_ms": {
            "p50": round(statistics.median(every) * 1000, 1),
            "p99": round(percentile(every, 0.99) * 1000, 1),
        },
    }


async def backend_cpu(url: str) -> float | None:
    """CPU seconds the OTHER server processes of this database used so far (the pool's
    connections, opened for the run): utime + stime from /proc (None when PostgreSQL is not on
    this host)."""
    engine = create_async_engine(url)
    async with engine.connect() as c:
        pids = (
            await c.scalars(
                text(
                    "SELECT pid FROM pg_stat_activity WHERE datname = current_database() "
                    "AND pid <> pg_backend_pid()"
                )
            )
        ).all()
    await engine.dispose()
    return _proc_cpu(list(pids))


def _proc_cpu(pids: list[int]) -> float | None:
    tick = os.sysconf("SC_CLK_TCK")
    total = 0.0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return None
        total += (int(fields[11]) + int(fields[12])) / tick
    return total


def cpu_figures(python_s: float, server_s: float | None, dispensed: int) -> dict[str, Any]:
    """CPU per dispense of this process and of its PostgreSQL backends, and the rate that CPU
    allows on the machine's cores with nothing else running (an estimate, not a measurement)."""
    python_ms = python_s / max(dispensed, 1) * 1000
    out: dict[str, Any] = {"python_ms_per_dispense": round(python_ms, 2)}
    if server_s is not None:
        server_ms = server_s / max(dispensed, 1) * 1000
        out["postgres_ms_per_dispense"] = round(server_ms, 2)
        out["cpu_bound_dispenses_per_s_on_all_cores"] = round(
            (os.cpu_count() or 1) * 1000 / (python_ms + server_ms), 1
        )
    return out


async def run_service(url: str, stocks: list[Stock], counters: int) -> dict[str, Any]:
    engine = create_async_engine(url, pool_size=counters, max_overflow=0)
    sessions = async_sessionmaker(engine, expire_on_commit=False)
    ok: list[float] = []
    every: list[float] = []
    refused: Counter[str] = Counter()

    async def counter(stock: Stock, load: Load) -> None:
        principal = Principal(
            subject="bench-pharmacist",
            org_id=stock.pharmacy_id,
            org_type="pharmacy",
            roles=frozenset({"pharmacist"}),
            permissions=PERMS,
        )
        while (job := load.take()) is not None:
            prescription, code = job
            started = time.perf_counter()
            try:
                async with sessions() as s, s.begin():
                    await service.dispense(
                        s, principal, DispenseIn(prescription_id=prescription, codes=[code])
                    )
                ok.append(time.perf_counter() - started)
            except (DispenseRefused, DispenseConflict) as exc:
                refused.update(v.code for v in exc.violations)
            except DomainError as exc:
                refused[type(exc).__name__] += 1
            every.append(time.perf_counter() - started)

    async with sessions() as s:  # warm the pool and the caches
        await s.execute(text("SELECT 1"))
    loads = [Load(stock) for stock in stocks]
    started, cpu = time.perf_counter(), time.process_time()
    await asyncio.gather(*(counter(stocks[i % len(stocks)], loads[i % len(stocks)]) for i in range(counters)))
    wall, cpu = time.perf_counter() - started, time.process_time() - cpu
    server = await backend_cpu(url)
    await engine.dispose()
    return {**figures(ok, every, wall, refused), "cpu": cpu_figures(cpu, server, len(ok))}


def worker_app() -> Any:
    """The app a ``--workers`` uvicorn process serves (``uvicorn --factory``): the scratch
    database and the bench's token key from the environment the bench sets."""
    settings = Settings(
        OMS_PHARMACY_DATABASE_URL=os.environ["OMS_BENCH_DATABASE_URL"],
        env="test",
        db_pool_size=int(os.environ["OMS_BENCH_POOL"]),
    )
    jwks = JwksSource.static(json.loads(Path(os.environ["OMS_BENCH_JWKS"]).read_text()))
    return create_app(settings, bus=InProcessBus(), jwks=jwks)


def _children(pid: int) -> list[int]:
    """The processes ``pid`` started (uvicorn's workers), from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(stat[1]) == pid:
                found.append(int(entry.name))
    return found


@contextlib.asynccontextmanager
async def workers(
    url: str, tokens: TokenFactory, count: int, pool: int
) -> AsyncIterator[tuple[list[str], list[int]]]:
    """``count`` uvicorn processes serving the app on 127.0.0.1, each on its own port (as
    production runs several behind a balancer; uvicorn's own ``--workers`` share one socket and
    the kernel need not spread a few long-lived client connections evenly); yields their base
    URLs and process ids (their CPU is read from /proc)."""
    import subprocess
    import sys
    import tempfile

    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(tokens.jwks, f)
    env = {
        **os.environ,
        "OMS_BENCH_DATABASE_URL": url,
        "OMS_BENCH_JWKS": f.name,
        "OMS_BENCH_POOL": str(pool),
        "PYTHONPATH": os.pathsep.join([str(REPO / "benchmarks"), os.environ.get("PYTHONPATH", "")]),
    }
    servers = []
    bases = []
    for _ in range(count):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        servers.append(
            await asyncio.create_subprocess_exec(
                *[
                    sys.executable,
                    "-m",
                    "uvicorn",
                    "bench_pharmacy_dispensing:worker_app",
                    "--factory",
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(port),
                    "--loop",
                    "uvloop",
                    "--log-level",
                    "warning",
                    "--no-access-log",
                ],
                env=env,
                stdout=subprocess.DEVNULL,  # the bench's own output is its JSON
            )
        )
        bases.append(f"http://127.0.0.1:{port}")
    try:
        async with httpx.AsyncClient() as probe_client:
            for base in bases:
                for _ in range(600):  # up to 30 s for a process's start
                    with contextlib.suppress(httpx.HTTPError):
                        if (await probe_client.get(f"{base}/health")).status_code < 500:
                            break
                    await asyncio.sleep(0.05)
        yield bases, [s.pid for s in servers]
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            await asyncio.wait_for(server.wait(), 30)
        await asyncio.to_thread(Path(f.name).unlink, missing_ok=True)


@dataclass
class WireAnswer:
    status_code: int
    content: bytes

    @property
    def text(self) -> str:
        return self.content.decode()

    def json(self) -> Any:
        return json.loads(self.content)


class WireClient:
    """A counter's own keep-alive HTTP/1.1 connection to one server process: a few lines of
    asyncio streams instead of httpx, whose ~1.5 ms of Python per request would otherwise be
    taken from the two cores the servers are measured on (``--workers``; the request is the
    same bytes a browser or an MIS would send)."""

    def __init__(self, base: str) -> None:
        host, port = base.removeprefix("http://").split(":")
        self.host, self.port = host, int(port)
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def post(self, path: str, *, json: Any, headers: dict[str, str]) -> WireAnswer:
        if self.streams is None:
            self.streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self.streams
        body = _json_bytes(json)
        head = "".join(f"{k}: {v}\r\n" for k, v in headers.items())
        writer.write(
            f"POST {path} HTTP/1.1\r\nHost: {self.host}\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n{head}\r\n".encode()
            + body
        )
        status_line, *lines = (await reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        length = next(
            int(v) for k, _, v in (h.partition(":") for h in lines) if k.lower() == "content-length"
        )
        return WireAnswer(int(status_line.split()[1]), await reader.readexactly(length))

    async def aclose(self) -> None:
        if self.streams is not None:
            self.streams[1].close()


def _json_bytes(value: Any) -> bytes:
    return json.dumps(value, separators=(",", ":")).encode()


@contextlib.asynccontextmanager
async def served(app: Any, over_tcp: bool) -> AsyncIterator[httpx.AsyncClient]:
    """A client of the app: in-process ASGI (the app's lifespan entered here), or a real
    uvicorn on 127.0.0.1 (HTTP parsing and the socket included; same process and loop)."""
    if not over_tcp:
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://pharmacy") as client,
        ):
            yield client
        return
    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False, lifespan="on")
    )
    task = asyncio.create_task(server.serve())
    for _ in range(400):  # up to 20 s for the lifespan (the pool) and the bind
        if server.started or task.done():
            break
        await asyncio.sleep(0.05)
    assert server.started, "uvicorn did not start"
    limits = httpx.Limits(max_connections=64, max_keepalive_connections=64)
    try:
        async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{port}", limits=limits) as client:
            yield client
    finally:
        server.should_exit = True
        await task


async def run_api(
    url: str, stocks: list[Stock], counters: int, *, over_tcp: bool = False, processes: int = 0
) -> dict[str, Any]:
    tokens = TokenFactory()
    bus = InProcessBus()
    settings = Settings(OMS_PHARMACY_DATABASE_URL=url, env="test", db_pool_size=counters)
    app = None if processes else create_app(settings, bus=bus, jwks=tokens.jwks_source())
    # a counter of pharmacy k: its pharmacist's token and the pharmacy's queue
    pharmacists = [
        (
            tokens.auth(
                org_id=stock.pharmacy_id,
                org_type="pharmacy",
                roles=["pharmacist"],
                perms=sorted(PERMS),
                subject="bench",
            ),
            Load(stock),
        )
        for stock in stocks
    ]
    ok: list[float] = []
    every: list[float] = []
    refused: Counter[str] = Counter()

    async def counter(client: httpx.AsyncClient | WireClient, k: int) -> None:
        headers, load = pharmacists[k % len(pharmacists)]
        while (job := load.take()) is not None:
            prescription, code = job
            started = time.perf_counter()
            answer = await client.post(
                "/dispensing/dispenses",
                json={"prescription_id": str(prescription), "codes": [code]},
                headers=headers,
            )
            if answer.status_code == 201:
                ok.append(time.perf_counter() - started)
            else:
                assert answer.status_code in (409, 422), answer.text
                refused.update(
                    e["type"] for e in answer.json().get("errors") or [{"type": str(answer.status_code)}]
                )
            every.append(time.perf_counter() - started)

    server_cpu: float | None = None
    if processes:
        # each process's pool holds its counters' connections (and a spare)
        pool = -(-counters // processes) + 1
        async with workers(url, tokens, processes, pool) as (bases, pids):
            # each counter its own connection; the counters split evenly over the processes
            clients = [WireClient(bases[i % processes]) for i in range(counters)]
            try:
                before = _proc_cpu(pids) or 0.0
                started, cpu = time.perf_counter(), time.process_time()
                await asyncio.gather(*(counter(clients[i], i) for i in range(counters)))
                wall, cpu = time.perf_counter() - started, time.process_time() - cpu
                server_cpu = (_proc_cpu(pids) or 0.0) - before
                server = await backend_cpu(url)
            finally:
                for c in clients:
                    await c.aclose()
    else:
        assert app is not None
        async with served(app, over_tcp) as client:
            started, cpu = time.perf_counter(), time.process_time()
            await asyncio.gather(*(counter(client, i) for i in range(counters)))
            wall, cpu = time.perf_counter() - started, time.process_time() - cpu
            server = await backend_cpu(url)
    await bus.close()
    result = {**figures(ok, every, wall, refused), "cpu": cpu_figures(cpu, server, len(ok))}
    if server_cpu is not None:
        # the workers' CPU and this process's (the HTTP client) apart
        n = max(len(ok), 1)
        result["cpu"] = {
            "client_ms_per_dispense": round(cpu / n * 1000, 2),
            **cpu_figures(server_cpu, server, len(ok)),
        }
        result["processes"] = processes
    return result


async def verify(url: str, stocks: list[Stock], dispensed: int) -> dict[str, Any]:
    """Zero oversold: the invariants, asserted (over every pharmacy of the run)."""
    engine = create_async_engine(url)
    ids = {"ids": [b for stock in stocks for b in stock.batch_ids]}
    received = sum(stock.received for stock in stocks)
    async with engine.connect() as c:
        held = (
            await c.execute(
                text(
                    "SELECT sum(quantity), min(quantity), sum(reserved) FROM stock_batch WHERE id = ANY(:ids)"
                ),
                ids,
            )
        ).one()
        items = (
            await c.execute(
                text("SELECT count(*), count(DISTINCT sgtin) FROM dispense_item WHERE batch_id = ANY(:ids)"),
                ids,
            )
        ).one()
        packages = (
            await c.execute(
                text(
                    "SELECT count(*) FILTER (WHERE status = 'dispensed'), "
                    "count(*) FILTER (WHERE status = 'dispensed' AND dispense_id IS NULL) "
                    "FROM marked_package WHERE batch_id = ANY(:ids)"
                ),
                ids,
            )
        ).one()
        moves = (
            await c.execute(
                text(
                    "SELECT count(*), coalesce(-sum(quantity), 0) FROM stock_movement "
                    "WHERE batch_id = ANY(:ids) AND kind = 'dispense'"
                ),
                ids,
            )
        ).one()
        dispenses = await c.scalar(
            text("SELECT count(*) FROM dispense WHERE pharmacy_id = ANY(:p)"),
            {"p": [stock.pharmacy_id for stock in stocks]},
        )
    await engine.dispose()
    result = {
        "received": received,
        "dispensed": dispensed,
        "held_after": int(held[0]),
        "min_batch_quantity": int(held[1]),
        "dispense_items": int(items[0]),
        "packages_dispensed": int(packages[0]),
    }
    assert dispensed <= received, result
    assert int(held[0]) == received - dispensed and int(held[1]) >= 0 and int(held[2]) == 0, result
    assert int(items[0]) == int(items[1]) == int(packages[0]) == dispensed and int(packages[1]) == 0, result
    assert int(moves[0]) == dispenses == dispensed and int(moves[1]) == dispensed, result
    result["zero_oversold"] = True
    return result


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    parser.add_argument("--counters", type=int, default=8)
    parser.add_argument("--packages", type=int, default=3000)
    parser.add_argument("--extra", type=int, default=300)
    parser.add_argument(
        "--pharmacies",
        type=int,
        default=1,
        help="pharmacies the counters are spread over (counter i at pharmacy i mod N); 1: every counter "
        "books the same batch row",
    )
    parser.add_argument("--api", action="store_true", help="also through the HTTP API (in-process ASGI)")
    parser.add_argument(
        "--uvicorn", action="store_true", help="also through the HTTP API served by uvicorn on 127.0.0.1"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=0,
        help="also through the HTTP API served by this many uvicorn processes (the client here)",
    )
    parser.add_argument(
        "--loop", choices=("uvloop", "asyncio"), default="uvloop", help="uvloop, as uvicorn runs the services"
    )
    parser.add_argument("--json", type=Path)
    return parser.parse_args()


async def fill_all(url: str, args: argparse.Namespace, tag: str) -> list[Stock]:
    """``--pharmacies`` pharmacies, the packages and prescriptions split evenly over them."""
    n = args.pharmacies
    return [
        await fill(url, args.packages // n, args.extra // n, f"{tag}{k}" if n > 1 else tag) for k in range(n)
    ]


async def measure(args: argparse.Namespace) -> dict[str, Any]:
    logging.disable(logging.INFO)
    dsn = admin_dsn(REPO)
    name = unique_name("bench_pharmacy_dispensing")
    await create_database(dsn, name)
    url = sqlalchemy_url(dsn, name)
    load_before = os.getloadavg()
    try:
        await asyncio.to_thread(upgrade, SERVICE_DIR, url)
        stocks = await fill_all(url, args, "A")
        svc = await run_service(url, stocks, args.counters)
        result: dict[str, Any] = {
            "counters": args.counters,
            "pharmacies": args.pharmacies,
            "packages": args.packages,
            "prescriptions": args.packages + args.extra,
            "cpus": os.cpu_count(),
            "loadavg_before": [round(x, 2) for x in load_before],
            "service": svc,
            "service_check": await verify(url, stocks, svc["dispensed"]),
        }
        if args.api:
            stocks = await fill_all(url, args, "B")
            api = await run_api(url, stocks, args.counters)
            result["api"] = api
            result["api_check"] = await verify(url, stocks, api["dispensed"])
        if args.uvicorn:
            stocks = await fill_all(url, args, "C")
            http = await run_api(url, stocks, args.counters, over_tcp=True)
            result["uvicorn"] = http
            result["uvicorn_check"] = await verify(url, stocks, http["dispensed"])
        if args.workers:
            stocks = await fill_all(url, args, "D")
            many = await run_api(url, stocks, args.counters, processes=args.workers)
            result["workers"] = many
            result["workers_check"] = await verify(url, stocks, many["dispensed"])
        result["loadavg_after"] = [round(x, 2) for x in os.getloadavg()]
        result["loop"] = args.loop
    finally:
        await drop_database(dsn, name)
    return result


def main() -> None:
    """On uvloop, as uvicorn (``uvicorn[standard]``) runs the services; ``--loop asyncio`` for
    the standard loop."""
    args = arguments()
    if args.loop == "uvloop":
        import uvloop

        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            result = runner.run(measure(args))
    else:
        result = asyncio.run(measure(args))
    document = json.dumps(result, ensure_ascii=False, indent=2)
    print(document)
    if args.json:
        args.json.write_text(document + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
