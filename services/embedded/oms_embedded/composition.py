"""One ASGI app for the whole system (`make run`).

```
/api/...   the gateway app (login, tokens, JWKS, admin API, proxy to the four services)
/healthz   liveness of the process
/...       the SPA (frontend/dist), index.html for client-side routes
```

The four service apps are not reachable directly: the gateway proxies to them in-process
(``oms_kit.asgi_stream.StreamingASGITransport``: unlike ``httpx.ASGITransport`` it streams
responses, so job progress events arrive as they happen and downloads are not held whole).
They share one ``InProcessBus`` and verify tokens with the gateway's keys, read from its key
ring (``gateway.main.local_jwks_source``). The transport runs no lifespans, so the outer
lifespan enters the services' lifespans (their consumers subscribe), then the gateway's (its
relay starts publishing), seeds the demo data, and on shutdown leaves them in reverse.

Verification reads the registry's non-working persons (runs from the registry), and pharmacy
the registry's persons by SNILS (the federal register of beneficiaries matched to persons),
through the gateway in-process too, with one API key of role ``tfoms_exchange`` (the right
``registry.person:read`` only) issued at every start (``seed.issue_registry_key``) and handed
to both registry clients in memory."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Mapping
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path

import httpx
from fastapi import FastAPI
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Mount, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from oms_embedded.seed import SeedOutcome, issue_registry_key, seed_demo
from oms_embedded.services import ALL_SERVICES, DOMAIN_SERVICES, SERVICES
from oms_embedded.settle import Consumer
from oms_embedded.site import Site
from oms_kit.asgi_stream import StreamingASGITransport
from oms_kit.auth import JwksSource
from oms_kit.db import Database
from oms_kit.events.inprocess import InProcessBus

log = logging.getLogger("oms.embedded")

# The services that read the registry through the gateway, and their client on ``app.state``.
REGISTRY_CLIENTS = {"verification": "registry_register", "pharmacy": "registry_persons"}


class ApiOrSite:
    """``/api`` and below go to the gateway unchanged (it serves ``/api/...`` standalone
    too); every other path goes to the site."""

    def __init__(self, gateway: ASGIApp, site: ASGIApp) -> None:
        self.gateway = gateway
        self.site = site

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path: str = scope.get("path", "")
        target = self.gateway if path == "/api" or path.startswith("/api/") else self.site
        await target(scope, receive, send)


class LateApp:
    """The ASGI app ``apps[name]``, looked up when a request comes (it may not exist yet
    when the transport is made)."""

    def __init__(self, apps: Mapping[str, ASGIApp], name: str) -> None:
        self.apps = apps
        self.name = name

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await self.apps[self.name](scope, receive, send)


async def _healthz(request: Request) -> JSONResponse:
    return JSONResponse({"status": "ok"})


class Composition:
    def __init__(
        self,
        urls: Mapping[str, str],
        *,
        root: Path,
        pool_size: int = 5,
        seed_timeout: float = 180.0,
    ) -> None:
        self.urls = dict(urls)
        self.pool_size = pool_size
        self.seed_timeout = seed_timeout
        self.bus = InProcessBus()
        # The gateway is built first, routing to the services through late-bound ASGI apps,
        # so that the services can be given its in-process key ring as their JWKS.
        self.apps: dict[str, FastAPI] = {}
        self.apps["gateway"] = self._gateway_app()
        jwks = SERVICES["gateway"].module("main").local_jwks_source(self.apps["gateway"])
        for name in DOMAIN_SERVICES:
            self.apps[name] = self._service_app(name, jwks)
        for app in self.apps.values():
            app.state.logging_configured = True  # the process configures logging once
        self.databases: dict[str, Database] = {}
        self.seeded: dict[str, SeedOutcome] = {}
        self.app = Starlette(
            routes=[
                Route("/healthz", _healthz, include_in_schema=False),
                Mount("", app=ApiOrSite(self.apps["gateway"], Site(root / "frontend" / "dist"))),
            ],
            lifespan=self._lifespan,
        )

    def _service_app(self, name: str, jwks: JwksSource) -> FastAPI:
        service = SERVICES[name]
        settings = service.module("config").Settings(
            database_url=self.urls[name], db_pool_size=self.pool_size
        )
        extra: dict[str, object] = {}
        if name in REGISTRY_CLIENTS:
            # Runs on the registry's register (verification), the federal register's lines
            # matched to persons (pharmacy): the registry through the gateway, in-process.
            extra["registry_transport"] = StreamingASGITransport(LateApp(self.apps, "gateway"))
        app: FastAPI = service.module("main").create_app(settings, bus=self.bus, jwks=jwks, **extra)
        return app

    def _gateway_app(self) -> FastAPI:
        gateway = SERVICES["gateway"]
        settings = gateway.module("config").Settings(
            database_url=self.urls["gateway"], db_pool_size=self.pool_size
        )
        upstreams: dict[str, httpx.AsyncBaseTransport | str] = {
            name: StreamingASGITransport(LateApp(self.apps, name)) for name in DOMAIN_SERVICES
        }
        app: FastAPI = gateway.module("main").create_app(settings, bus=self.bus, upstreams=upstreams)
        return app

    def consumers(self) -> list[Consumer]:
        """Who consumes which event types, read from the running apps' event runtimes."""
        found = []
        for name, app in self.apps.items():
            handlers = getattr(getattr(app.state, "events", None), "handlers", None)
            if handlers is not None:
                found.append(Consumer(name, handlers.routing_keys))
        return found

    @asynccontextmanager
    async def running(self) -> AsyncIterator[None]:
        """All five apps started (and the demo data seeded), stopped in reverse on exit."""
        async with AsyncExitStack() as stack:
            await self.bus.start()
            stack.push_async_callback(self.bus.close)
            for name in ALL_SERVICES:
                database = Database(self.urls[name], pool_size=2)
                stack.push_async_callback(database.dispose)
                self.databases[name] = database
            for name in (*DOMAIN_SERVICES, "gateway"):
                app = self.apps[name]
                await stack.enter_async_context(app.router.lifespan_context(app))
                log.info("service started", extra={"app": name})
            self.seeded = await seed_demo(
                self.databases, self.consumers(), bus=self.bus, within=self.seed_timeout
            )
            registry_key = await issue_registry_key(self.databases["gateway"])
            if registry_key is not None:
                for name, client in REGISTRY_CLIENTS.items():
                    getattr(self.apps[name].state, client).use_api_key(registry_key)
            yield
            log.info("stopping services")

    @asynccontextmanager
    async def _lifespan(self, app: Starlette) -> AsyncIterator[None]:
        async with self.running():
            yield
