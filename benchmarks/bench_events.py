"""Events benchmark: outbox → RabbitMQ (publisher confirms) → consumer (inbox + trivial handler).

    .tools/bin/uv run --frozen python benchmarks/bench_events.py            # 20,000 events
    .tools/bin/uv run --frozen python benchmarks/bench_events.py --help

What runs, each in its own process as in the distributed shape (a service process with its
relay, another service process consuming), against the machine's PostgreSQL and RabbitMQ:

- producer: ``add_events`` in committed transactions (``--txn-size`` events each), as fast
  as it can (``--rate 0``) or paced at ``--rate`` events/s;
- relay: ``OutboxRelay`` (``--relay-tasks`` concurrent passes of ``--batch`` rows) over a
  ``RabbitBus`` with publisher confirms and ``mandatory=True``;
- consumer: a ``RabbitBus`` subscription (quorum queue, prefetch ``--prefetch``) whose
  callback is an ``InboxBatcher``: inbox insert + a handler that records the latency,
  deliveries that arrive together sharing a transaction (``--inbox-batch`` at most).

Every process runs on uvloop, as uvicorn runs the services (``--loop asyncio``: the standard
loop; profile with that one, py-spy cannot unwind uvloop's stacks).

Throughput = events / (last handled - first produced). Latency = handler start minus the
envelope's ``time`` (set by ``add_event``, before the commit), so it includes the producer
transaction, the relay's poll, the publish + confirm, the queue and the inbox transaction.
Uses a throwaway database and exchange, dropped afterwards.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import platform
import resource
import statistics
import sys
import time
import uuid
from dataclasses import asdict, dataclass
from multiprocessing.connection import Connection
from multiprocessing.synchronize import Event as MpEvent
from pathlib import Path
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession, create_async_engine

import oms_kit.audit
import oms_kit.events.tables  # noqa: F401  (registers the outbox and inbox tables)
from oms_kit.db import Database, KitBase
from oms_kit.events import EventEnvelope, EventHandlers, EventPayload
from oms_kit.events.bus import Delivery
from oms_kit.events.inbox import InboxBatcher
from oms_kit.events.outbox import add_events
from oms_kit.events.rabbit import RabbitBus
from oms_kit.events.relay import OutboxRelay
from oms_kit.events.testing import delete_topology
from oms_kit.testing.postgres import admin_dsn, create_database, drop_database, sqlalchemy_url, unique_name

REPO_ROOT = Path(__file__).resolve().parents[1]
BROKER_URL = os.environ.get("OMS_TEST_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672/")


class PrescriptionDispensed(EventPayload):
    """A realistically sized payload (~300 bytes of JSON)."""

    event_type = "bench.prescription.dispensed"

    prescription_id: uuid.UUID
    person_id: uuid.UUID
    pharmacy_id: uuid.UUID
    drug_inn: str
    quantity: int
    funding_source: str


@dataclass
class Options:
    events: int
    txn_size: int
    rate: float
    batch: int
    relay_tasks: int
    relay_processes: int
    prefetch: int
    consumer_processes: int
    pool_size: int
    inbox_batch: int
    archive: bool
    loop: str


def run_async(coro: Any, loop: str) -> Any:
    """``asyncio.run`` on the event loop the services run on: uvicorn (``uvicorn[standard]``)
    picks uvloop when it is installed, so the relay and the consumer run on uvloop in
    production; ``--loop asyncio`` measures on the standard loop instead."""
    if loop == "uvloop":
        import uvloop

        with asyncio.Runner(loop_factory=uvloop.new_event_loop) as runner:
            return runner.run(coro)
    return asyncio.run(coro)


# -- processes ---------------------------------------------------------------------------


def consumer_process(url: str, exchange: str, queue: str, opts: Options, conn: Connection) -> None:
    async def main() -> None:
        database = Database(url, pool_size=opts.pool_size)
        latencies: list[float] = []
        done = asyncio.Event()
        handlers = EventHandlers(queue=queue)

        @handlers.on(PrescriptionDispensed)
        async def on_dispensed(session: AsyncSession, envelope: EventEnvelope, payload: Any) -> None:
            latencies.append(time.time() - envelope.time.timestamp())

        inbox = InboxBatcher(database, handlers, max_batch=opts.inbox_batch)

        async def callback(delivery: Delivery) -> None:
            await inbox(delivery)
            if len(latencies) >= opts.events:
                done.set()

        bus = RabbitBus(
            BROKER_URL,
            exchange=exchange,
            service="bench-consumer",
            prefetch=opts.prefetch,
            archive=opts.archive,
        )
        await bus.start()
        await bus.subscribe(queue, handlers.routing_keys, callback, delivery_limit=5)
        conn.send("ready")
        cpu0 = process_cpu()
        # The parent says when every event is in the inbox.
        await asyncio.to_thread(conn.recv)
        cpu = process_cpu() - cpu0
        await bus.close()
        await database.dispose()
        conn.send({"latencies": latencies, "cpu": cpu})

    run_async(main(), opts.loop)


def relay_process(url: str, exchange: str, opts: Options, stop: MpEvent, conn: Connection) -> None:
    async def main() -> None:
        database = Database(url, pool_size=opts.relay_tasks + 2)
        bus = RabbitBus(BROKER_URL, exchange=exchange, service="bench-relay", archive=opts.archive)
        await bus.start()
        conn.send("ready")
        relay = OutboxRelay(
            database, bus, batch_size=opts.batch, idle_seconds=0.02, concurrency=opts.relay_tasks
        )
        cpu0 = process_cpu()
        relay.start()
        await asyncio.to_thread(stop.wait)
        await relay.stop()
        conn.send({"cpu": process_cpu() - cpu0})
        await bus.close()
        await database.dispose()

    run_async(main(), opts.loop)


def _payload() -> PrescriptionDispensed:
    return PrescriptionDispensed(
        prescription_id=uuid.uuid4(),
        person_id=uuid.uuid4(),
        pharmacy_id=uuid.uuid4(),
        drug_inn="Metforminum",
        quantity=2,
        funding_source="federal",
    )


def process_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def server_cpu() -> dict[str, float]:
    """CPU seconds used so far by the broker (beam.smp) and PostgreSQL (all its processes)
    on this machine, from /proc; empty where /proc is not there to read."""
    tick = os.sysconf("SC_CLK_TCK")
    totals = {"rabbitmq": 0.0, "postgres": 0.0}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            text = stat.read_text()
        except OSError:
            continue
        comm = text[text.index("(") + 1 : text.rindex(")")]
        fields = text[text.rindex(")") + 2 :].split()
        seconds = (int(fields[11]) + int(fields[12])) / tick
        if comm.startswith("beam"):
            totals["rabbitmq"] += seconds
        elif comm.startswith("postgres"):
            totals["postgres"] += seconds
    return totals


async def produce(url: str, opts: Options) -> float:
    database = Database(url, pool_size=2)
    start = time.time()
    produced = 0
    try:
        while produced < opts.events:
            n = min(opts.txn_size, opts.events - produced)
            async with database.sessions() as session, session.begin():
                await add_events(session, [(_payload(), None) for _ in range(n)], source="bench")
            produced += n
            if opts.rate > 0:
                ahead = start + produced / opts.rate - time.time()
                if ahead > 0:
                    await asyncio.sleep(ahead)
    finally:
        await database.dispose()
    return start


# -- orchestration -------------------------------------------------------------------------


async def create_bench_database(dsn: str) -> tuple[str, str]:
    name = unique_name("bench_events")
    await create_database(dsn, name)
    url = sqlalchemy_url(dsn, name)
    engine = create_async_engine(url)
    async with engine.begin() as conn:
        await conn.run_sync(KitBase.metadata.create_all)
    await engine.dispose()
    return name, url


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def machine_busy_seconds() -> float:
    """CPU seconds all processes of the machine have used since boot (/proc/stat)."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    user, nice, system, _idle, _iowait, irq, softirq, steal = (int(x) for x in fields[:8])
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def run(opts: Options) -> dict[str, Any]:
    dsn = admin_dsn(REPO_ROOT)
    db_name, url = asyncio.run(create_bench_database(dsn))
    tag = uuid.uuid4().hex[:8]
    exchange, queue = f"bench.{tag}.events", f"bench.{tag}.consumer"
    ctx = mp.get_context("spawn")
    stop = ctx.Event()
    children: list[tuple[str, Any, Connection]] = []
    try:
        for role, count in (("consumer", opts.consumer_processes), ("relay", opts.relay_processes)):
            for _ in range(count):
                parent, child = ctx.Pipe()
                args = (
                    (url, exchange, queue, opts, child)
                    if role == "consumer"
                    else (url, exchange, opts, stop, child)
                )
                p = ctx.Process(target=consumer_process if role == "consumer" else relay_process, args=args)
                p.start()
                children.append((role, p, parent))
        for role, _, pipe in children:
            if pipe.recv() != "ready":
                raise RuntimeError(f"{role} did not start")

        servers0, busy0, main0 = server_cpu(), machine_busy_seconds(), process_cpu()
        start = run_async(produce(url, opts), opts.loop)
        produced_at = time.time()
        handled = asyncio.run(wait_handled(url, opts.events, within=600))
        servers1, busy1, main_cpu = server_cpu(), machine_busy_seconds(), process_cpu() - main0

        stop.set()
        for role, _, pipe in children:
            if role == "consumer":
                pipe.send("stop")
        reports = [(role, pipe.recv()) for role, _, pipe in children]
    finally:
        stop.set()
        for _, p, _ in children:
            p.join(10)
            if p.is_alive():
                p.kill()
        asyncio.run(delete_topology(BROKER_URL, exchange=exchange, queues=[queue]))
        asyncio.run(drop_database(dsn, db_name))

    latencies = [x for role, r in reports if role == "consumer" for x in r["latencies"]]
    elapsed = handled - start
    cpu = {
        "producer_and_poller": main_cpu,
        "relay": sum(r["cpu"] for role, r in reports if role == "relay"),
        "consumer": sum(r["cpu"] for role, r in reports if role == "consumer"),
        "rabbitmq": servers1["rabbitmq"] - servers0["rabbitmq"],
        "postgres": servers1["postgres"] - servers0["postgres"],
    }
    ours = sum(cpu.values())
    per_event_ms = {k: round(v / opts.events * 1000, 3) for k, v in cpu.items()}
    per_event_ms["total"] = round(ours / opts.events * 1000, 3)
    cpus = os.cpu_count() or 1
    return {
        "events": opts.events,
        "handled": len(latencies),
        "produce_seconds": round(produced_at - start, 2),
        "elapsed_seconds": round(elapsed, 2),
        "throughput_events_per_s": round(opts.events / elapsed),
        "latency_ms": {
            "p50": round(percentile(latencies, 0.50) * 1000, 1),
            "p99": round(percentile(latencies, 0.99) * 1000, 1),
            "max": round(max(latencies) * 1000, 1),
            "mean": round(statistics.fmean(latencies) * 1000, 1),
        },
        "cpu_ms_per_event": per_event_ms,
        # What the pipeline would sustain if it had every core to itself.
        "cpu_bound_estimate_events_per_s": round(cpus / (ours / opts.events)),
        # Busy CPU of processes that are not part of the benchmark (a shared machine).
        "other_load_cores": round(max(0.0, (busy1 - busy0) - ours) / elapsed, 2),
        "options": asdict(opts),
        "machine": {
            "cpus": cpus,
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
    }


async def wait_handled(url: str, expected: int, *, within: float) -> float:
    """Poll the inbox until every event is in it; returns the time it got there."""
    from sqlalchemy import func, select

    from oms_kit.events.tables import InboxEvent

    database = Database(url, pool_size=1)
    deadline = time.time() + within
    try:
        while time.time() < deadline:
            async with database.sessions() as session:
                n = (await session.execute(select(func.count()).select_from(InboxEvent))).scalar_one()
            if n >= expected:
                return time.time()
            await asyncio.sleep(0.02)
    finally:
        await database.dispose()
    raise TimeoutError(f"only {n} of {expected} events handled in {within}s")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--events", type=int, default=20_000)
    parser.add_argument("--txn-size", type=int, default=50, help="events per producer transaction")
    parser.add_argument("--rate", type=float, default=0, help="producer events/s; 0 = as fast as it can")
    parser.add_argument("--batch", type=int, default=500, help="relay batch size")
    parser.add_argument("--relay-tasks", type=int, default=1, help="concurrent relay passes per process")
    parser.add_argument("--relay-processes", type=int, default=1)
    parser.add_argument("--prefetch", type=int, default=256)
    parser.add_argument("--consumer-processes", type=int, default=1)
    parser.add_argument("--pool-size", type=int, default=5, help="consumer DB pool")
    parser.add_argument("--inbox-batch", type=int, default=100, help="max events per consumer transaction")
    parser.add_argument(
        "--no-archive", dest="archive", action="store_false", help="no alternate exchange / archive queue"
    )
    parser.add_argument(
        "--loop",
        choices=("uvloop", "asyncio"),
        default="uvloop",
        help="event loop of the benchmark's processes; uvloop, as uvicorn runs the services",
    )
    parser.add_argument("--json", type=Path, help="also write the result here")
    args = parser.parse_args(argv)
    json_path = args.__dict__.pop("json")
    result = run(Options(**vars(args)))
    text = json.dumps(result, indent=2)
    print(text)
    if json_path:
        json_path.write_text(text + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
