"""The distributed shape as separate processes: the gateway and the four services, each
``uvicorn --factory <service>.main:create_app`` on its own port, on the machine's PostgreSQL
(fresh databases, migrated) and RabbitMQ (an exchange of this run, removed afterwards).

Services fetch the gateway's JWKS over HTTP (``OMS_JWT_JWKS_URL``), the gateway reaches them
by ``OMS_GATEWAY_UPSTREAM_<SERVICE>``; all five share ``OMS_EVENTS_EXCHANGE``.

Isolation on a shared broker: the exchanges are this run's and the consumer queues carry this
run's prefix (``OMS_EVENTS_QUEUE_PREFIX``), so parallel runs never meet; all are deleted after
the run."""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import aio_pika
import httpx
import pytest

from oms_kit.db import Database
from oms_kit.events.topology import archive_name, dlq_name, dlx_name

REPO = Path(__file__).resolve().parents[2]
DOMAIN_SERVICES = ("registry", "finance", "pharmacy", "verification")
JWKS_PATH = "/api/auth/.well-known/jwks.json"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def base_environment() -> dict[str, str]:
    """The caller's environment without any ``OMS_*`` setting, so nothing leaks in."""
    return {k: v for k, v in os.environ.items() if not k.startswith("OMS_")}


@dataclass
class ServiceProcess:
    name: str
    port: int
    env: dict[str, str]
    log_path: Path
    process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        command = [
            sys.executable,
            "-m",
            "uvicorn",
            "--factory",
            f"{self.name}.main:create_app",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--no-access-log",
        ]
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                command, cwd=REPO, env=self.env, stdout=log, stderr=subprocess.STDOUT
            )

    def log_tail(self, lines: int = 40) -> str:
        if not self.log_path.exists():
            return ""
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    async def wait_ready(self, within: float = 60.0) -> None:
        """Until ``/readyz`` answers 200 (database and broker connected)."""
        deadline = time.monotonic() + within
        async with httpx.AsyncClient(base_url=self.url, timeout=2.0, trust_env=False) as client:
            while True:
                assert self.process is not None
                if self.process.poll() is not None:
                    code = self.process.returncode
                    raise AssertionError(f"{self.name} exited ({code}):\n{self.log_tail()}")
                try:
                    if (await client.get("/readyz")).status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise AssertionError(f"{self.name} not ready after {within:.0f} s:\n{self.log_tail()}")
                await asyncio.sleep(0.2)

    def terminate(self) -> None:
        """SIGTERM, as an orchestrator stops a container."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)

    def wait_stopped(self, within: float = 20.0) -> str | None:
        """None once the process has shut down gracefully; else the problem, as text."""
        if self.process is None:
            return None
        try:
            code = self.process.wait(within)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            return f"{self.name} did not stop on SIGTERM within {within:.0f} s:\n{self.log_tail()}"
        # uvicorn shuts down gracefully, then re-raises the signal it caught: -SIGTERM.
        if code in (0, -signal.SIGTERM) and "Application shutdown complete" in self.log_tail():
            return None
        return f"{self.name} exited with {code} on SIGTERM:\n{self.log_tail()}"


@dataclass
class Stack:
    exchange: str
    gateway: ServiceProcess
    services: dict[str, ServiceProcess] = field(default_factory=dict)
    database_urls: dict[str, str] = field(default_factory=dict)

    @property
    def all(self) -> list[ServiceProcess]:
        return [*self.services.values(), self.gateway]


def plan(
    *,
    database_urls: dict[str, str],
    broker_url: str,
    exchange: str,
    log_dir: Path,
) -> Stack:
    gateway_port = free_port()
    common = base_environment() | {
        "OMS_ENV": "test",
        "OMS_LOG_LEVEL": "WARNING",
        "OMS_BROKER_URL": broker_url,
        "OMS_EVENTS_EXCHANGE": exchange,
        "OMS_EVENTS_QUEUE_PREFIX": queue_prefix(exchange),
        "OMS_RELAY_IDLE_SECONDS": "0.1",
        "OMS_JWT_JWKS_URL": f"http://127.0.0.1:{gateway_port}{JWKS_PATH}",
    }

    def process(name: str, port: int, extra: dict[str, str]) -> ServiceProcess:
        env = common | {f"OMS_{name.upper()}_DATABASE_URL": database_urls[name]} | extra
        return ServiceProcess(name, port, env, log_dir / f"{name}.log")

    services = {name: process(name, free_port(), {}) for name in DOMAIN_SERVICES}
    upstreams = {f"OMS_GATEWAY_UPSTREAM_{name.upper()}": s.url for name, s in services.items()}
    return Stack(exchange, process("gateway", gateway_port, upstreams), services)


def queue_prefix(exchange: str) -> str:
    return f"{exchange}."


def consumer_queues(exchange: str) -> list[str]:
    """The durable queues the services declare (one per consuming service, this run's)."""
    return [
        queue_prefix(exchange) + importlib.import_module(f"{name}.events.handlers").handlers.queue
        for name in DOMAIN_SERVICES
    ]


async def delete_broker_objects(url: str, exchange: str, queues: list[str]) -> None:
    """Remove what this run declared. Each deletion gets its own channel: a failed one
    closes its channel and must not stop the others."""
    connection = await aio_pika.connect(url)
    async with connection:
        for queue in [*queues, *(dlq_name(q) for q in queues), archive_name(exchange)]:
            channel = await connection.channel()
            with contextlib.suppress(aio_pika.exceptions.AMQPError):
                await channel.queue_delete(queue)
        for name in (exchange, dlx_name(exchange)):
            channel = await connection.channel()
            with contextlib.suppress(aio_pika.exceptions.AMQPError):
                await channel.exchange_delete(name)


@pytest.fixture(scope="module")
async def stack(fresh_database, rabbitmq_url, run_id, tmp_path_factory):
    urls = {name: await fresh_database(REPO / "services" / name) for name in ("gateway", *DOMAIN_SERVICES)}
    exchange = f"oms.e2e.{run_id}"
    log_dir = tmp_path_factory.mktemp("e2e-logs")
    the_stack = plan(database_urls=urls, broker_url=rabbitmq_url, exchange=exchange, log_dir=log_dir)
    the_stack.database_urls = urls
    queues = consumer_queues(exchange)
    try:
        # All five at once (imports take seconds each). Nothing is published before the
        # demo seed, which runs once every service is ready and so has bound its queue.
        for service in the_stack.all:
            service.start()
        await asyncio.gather(*(s.wait_ready() for s in the_stack.all))
        yield the_stack
    finally:
        for service in the_stack.all:
            service.terminate()
        problems = [problem for service in the_stack.all if (problem := service.wait_stopped())]
        await delete_broker_objects(rabbitmq_url, exchange, queues)
    assert not problems, "\n".join(problems)


@pytest.fixture(scope="module")
async def demo_logins(stack):
    """The gateway's demo data, seeded the way ``make run`` does (one transaction); its
    organization events then travel through RabbitMQ to the four services."""
    from gateway.demo import seed

    database = Database(stack.database_urls["gateway"], pool_size=1)
    try:
        async with database.sessions() as session, session.begin():
            return await seed(session)
    finally:
        await database.dispose()
