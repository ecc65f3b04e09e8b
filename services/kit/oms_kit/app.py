"""``create_service_app``: the one way a service app is put together.

Nothing happens at import time; the lifespan opens the engine, the token verifier, the bus,
the outbox relay and the consumer, and closes them in reverse."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Sequence
from contextlib import AbstractAsyncContextManager, AsyncExitStack, asynccontextmanager
from dataclasses import replace
from typing import Any

import httpx
from fastapi import APIRouter, Depends, FastAPI

from oms_kit.auth.dependencies import authenticated
from oms_kit.auth.tokens import JwksSource, TokenVerifier
from oms_kit.db import Database
from oms_kit.errors import install_problem_handlers, problem_responses
from oms_kit.events.bus import EventBus
from oms_kit.events.handlers import EventHandlers
from oms_kit.events.runtime import EventRuntime
from oms_kit.jobs import JobKind, JobRunner, jobs_router
from oms_kit.logging import configure_logging
from oms_kit.observability import Metrics, RequestContext, health_router
from oms_kit.settings import ServiceSettings

# A piece of a service's own runtime (key rings, HTTP clients, background jobs): entered
# once the kit's state (database, bus, verifier) is on ``app.state``, exited in reverse.
Resource = Callable[[FastAPI], AbstractAsyncContextManager[object]]


def secure_router(**kwargs: Any) -> APIRouter:
    """A router whose every endpoint requires a valid access token."""
    deps = list(kwargs.pop("dependencies", []))
    return APIRouter(dependencies=[Depends(authenticated), *deps], **kwargs)


def default_bus(settings: ServiceSettings) -> EventBus:
    if settings.broker_url:
        from oms_kit.events.rabbit import RabbitBus

        return RabbitBus(
            settings.broker_url, exchange=settings.events_exchange, service=settings.service_name
        )
    from oms_kit.events.inprocess import InProcessBus

    return InProcessBus()


def http_jwks(url: str) -> JwksSource:
    async def fetch() -> dict[str, Any]:
        async with httpx.AsyncClient(timeout=5.0) as client:
            response = await client.get(url)
            response.raise_for_status()
            document: dict[str, Any] = response.json()
            return document

    return JwksSource(fetch)


def create_service_app(
    settings: ServiceSettings,
    *,
    title: str,
    routers: Sequence[APIRouter],
    handlers: EventHandlers | None = None,
    bus: EventBus | None = None,
    jwks: JwksSource | None = None,
    resources: Sequence[Resource] = (),
    jobs: Sequence[JobKind] = (),
    version: str = "0.1.0",
    description: str = "",
) -> FastAPI:
    """Build a service app. ``bus`` and ``jwks`` are injected in the embedded shape (one
    shared in-process bus, the gateway's keys) and in tests; otherwise they come from
    settings (RabbitMQ when ``OMS_BROKER_URL`` is set, JWKS fetched from the gateway).
    ``jobs``: the service's kinds of long-running job (``oms_kit.jobs``); when given, ``/jobs``
    is mounted and a ``JobRunner`` runs them in the background."""
    metrics = Metrics(settings.service_name)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if not getattr(app.state, "logging_configured", False):
            configure_logging(settings.service_name, settings.log_level)
        async with AsyncExitStack() as stack:
            database = Database(settings.database_url, pool_size=settings.db_pool_size)
            stack.push_async_callback(database.dispose)
            the_bus = bus or default_bus(settings)
            if bus is None:  # an injected bus belongs to whoever injected it
                await the_bus.start()
                stack.push_async_callback(the_bus.close)
            app.state.database = database
            app.state.bus = the_bus
            app.state.settings = settings
            app.state.token_verifier = TokenVerifier(
                jwks or http_jwks(settings.jwt_jwks_url),
                issuer=settings.jwt_issuer,
                audience=settings.jwt_audience,
                leeway=settings.jwt_leeway_seconds,
            )
            runtime = EventRuntime(
                database=database,
                bus=the_bus,
                handlers=(
                    replace(handlers, queue=settings.events_queue_prefix + handlers.queue)
                    if handlers is not None and settings.events_queue_prefix
                    else handlers
                ),
                metrics=metrics,
                batch_size=settings.relay_batch_size,
                idle_seconds=settings.relay_idle_seconds,
                delivery_limit=settings.consumer_delivery_limit,
            )
            app.state.events = runtime
            for resource in resources:
                await stack.enter_async_context(resource(app))
            await runtime.start()
            stack.push_async_callback(runtime.stop)
            if jobs:
                runner = JobRunner(database, jobs, settings)
                app.state.job_runner = runner
                runner.start()
                stack.push_async_callback(runner.stop)
            yield

    app = FastAPI(
        title=title,
        version=version,
        description=description,
        lifespan=lifespan,
        responses=problem_responses(422),
    )
    app.state.metrics = metrics
    app.state.service_name = settings.service_name
    install_problem_handlers(app)
    app.add_middleware(RequestContext, metrics=metrics)
    app.include_router(health_router())
    for router in routers:
        app.include_router(router)
    if jobs:
        app.include_router(jobs_router(jobs))
    return app
