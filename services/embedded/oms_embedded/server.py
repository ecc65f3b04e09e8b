"""`python -m oms_embedded run|seed`: databases up, migrations applied, demo data seeded,
the composition served by uvicorn; Ctrl-C (SIGINT) or SIGTERM stops the services, then
PostgreSQL, and nothing is left running."""

from __future__ import annotations

import asyncio
import logging
import signal
import socket
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

import uvicorn

from oms_embedded.composition import Composition
from oms_embedded.config import EmbeddedSettings, explicit_database_urls
from oms_embedded.databases import database_urls, provision
from oms_embedded.postgres import EmbeddedPostgres
from oms_embedded.seed import SeedOutcome
from oms_embedded.services import ALL_SERVICES, repo_root
from oms_kit.logging import configure_logging


@contextmanager
def databases(settings: EmbeddedSettings) -> Iterator[dict[str, str]]:
    """URLs of the five databases: ``OMS_<SERVICE>_DATABASE_URL`` where set, otherwise on the
    embedded server (started here, stopped on exit whatever happens)."""
    explicit = explicit_database_urls()
    server = None
    admin_dsn = None
    if set(explicit) != set(ALL_SERVICES):
        server = EmbeddedPostgres(settings.resolved_data_dir())
        admin_dsn = server.start()
    try:
        yield database_urls(explicit, admin_dsn)
    finally:
        if server is not None:
            server.stop()


class _Server(uvicorn.Server):
    """uvicorn re-raises a captured SIGINT/SIGTERM after its graceful shutdown, which would
    kill the process before PostgreSQL is stopped; here a signal only ends ``serve``. Once
    the socket is bound, ``on_started`` gets the URL."""

    def __init__(self, config: uvicorn.Config, on_started: Callable[[str], None]) -> None:
        super().__init__(config)
        self.on_started = on_started

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started:
            self.on_started(self.bound_url())

    def bound_url(self) -> str:
        port = self.config.port
        for listener in self.servers:
            for sock in listener.sockets:
                port = sock.getsockname()[1]
        return f"http://{self.config.host}:{port}"

    @contextmanager
    def capture_signals(self) -> Iterator[None]:
        handled = (signal.SIGINT, signal.SIGTERM)
        originals = {sig: signal.signal(sig, self.handle_exit) for sig in handled}
        try:
            yield
        finally:
            for sig, handler in originals.items():
                signal.signal(sig, handler)


LOGINS_HEADING = "Демо-входы (логин / пароль, роль, организация):"


def login_lines(result: Any) -> list[str]:
    """The gateway seed's demo logins (as stored: a JSON array of objects with ``login``,
    ``password``, ``roles``, ``organization``) as aligned console lines."""
    entries = [e for e in result if isinstance(e, dict)] if isinstance(result, list) else []
    width = max((len(str(e.get("login", ""))) for e in entries), default=0)
    lines = []
    for e in entries:
        roles = ", ".join(e.get("roles", []))
        login, password, organization = e.get("login", ""), e.get("password", ""), e.get("organization", "")
        lines.append(f"  {login:<{width}} / {password}  {roles:<22} {organization}")
    return lines


def logins_block(seeded: dict[str, SeedOutcome]) -> list[str]:
    gateway = seeded.get("gateway")
    logins = login_lines(gateway.result) if gateway is not None else []
    return [LOGINS_HEADING, *logins] if logins else []


def banner(url: str, seeded: dict[str, SeedOutcome]) -> str:
    lines = ["", f"OMS Region работает: {url}", f"  документация API: {url}/api/docs"]
    lines += [*logins_block(seeded), "Остановить: Ctrl+C", ""]
    return "\n".join(lines)


async def _composition(urls: dict[str, str], settings: EmbeddedSettings) -> Composition:
    """Databases migrated, the five apps built (not started)."""
    root = repo_root()
    await provision(urls, root)
    return Composition(
        urls, root=root, pool_size=settings.db_pool_size, seed_timeout=settings.seed_timeout_seconds
    )


async def serve(urls: dict[str, str], settings: EmbeddedSettings) -> int:
    composition = await _composition(urls, settings)
    config = uvicorn.Config(
        composition.app,
        host=settings.host,
        port=settings.port,
        lifespan="on",
        log_config=None,  # the process's JSON logging
        access_log=False,
    )
    server = _Server(config, lambda url: print(banner(url, composition.seeded), flush=True))
    await server.serve()
    return 0 if server.started else 1


async def seed(urls: dict[str, str], settings: EmbeddedSettings) -> int:
    """Start the apps without serving HTTP: the seeds run, their events settle, then stop."""
    composition = await _composition(urls, settings)
    async with composition.running():
        for name, outcome in composition.seeded.items():
            state = "загружены" if outcome.seeded_now else "уже были загружены"
            print(f"Демо-данные {name}: {state}", flush=True)
        print("\n".join(logins_block(composition.seeded)), flush=True)
    return 0


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main(command: str) -> int:
    settings = EmbeddedSettings()
    configure_logging("oms-embedded", settings.log_level)
    for chatty in ("alembic", "httpx"):  # a line per migration step and per proxied request
        logging.getLogger(chatty).setLevel(logging.WARNING)
    # Until uvicorn takes over the signals (and after it gives them back), SIGTERM is Ctrl-C:
    # the ``finally`` blocks run and PostgreSQL is stopped.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        with databases(settings) as urls:
            return asyncio.run(serve(urls, settings) if command == "run" else seed(urls, settings))
    except KeyboardInterrupt:
        print("Остановлено.", file=sys.stderr, flush=True)
        return 130
