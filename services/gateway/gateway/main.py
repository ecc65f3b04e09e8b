"""The gateway: login and tokens, users, organizations, API keys, the reverse proxy to the
services and the aggregated OpenAPI. Every route lives under ``/api``."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from datetime import timedelta

import httpx
from fastapi import FastAPI

from gateway.access.endpoints import router as role_router
from gateway.activity.endpoints import router as activity_router
from gateway.api_key.endpoints import router as api_key_router
from gateway.api_key.machine_access import MachineAccess
from gateway.api_key.rate_limit import RateLimiter
from gateway.auth.endpoints import public_router as auth_public_router
from gateway.auth.endpoints import router as auth_router
from gateway.auth.housekeeping import RefreshTokenHousekeeping
from gateway.auth.issuer import TokenIssuer
from gateway.config import Settings
from gateway.openapi.aggregate import AggregatedOpenApi
from gateway.openapi.endpoints import router as openapi_router
from gateway.organization.endpoints import router as organization_router
from gateway.proxy.endpoints import router as proxy_router
from gateway.proxy.upstreams import Upstreams
from gateway.runtime import Gateway
from gateway.signing_key.crypto import KeyCipher
from gateway.signing_key.endpoints import router as signing_key_router
from gateway.signing_key.ring import RingJwksSource, SigningKeyRing
from gateway.user.endpoints import router as user_router
from oms_kit.app import create_service_app
from oms_kit.auth import JwksSource
from oms_kit.db import Database
from oms_kit.events import EventBus

DESCRIPTION = (
    "Шлюз OMS Region: вход и токены, пользователи, организации, ключи API внешних систем, "
    "маршрутизация к сервисам и общее описание API"
)
# FastAPI's own documentation routes sit at the root; the gateway owns only /api.
_ROOT_DOC_PATHS = frozenset({"/openapi.json", "/docs", "/docs/oauth2-redirect", "/redoc"})


def create_app(
    settings: Settings | None = None,
    *,
    bus: EventBus | None = None,
    upstreams: Mapping[str, httpx.AsyncBaseTransport | str] | None = None,
) -> FastAPI:
    """``upstreams`` maps a service name (registry, finance, pharmacy, verification) to a base
    URL or an httpx transport (used with base URL ``http://<service>``); without it the
    ``OMS_GATEWAY_UPSTREAM_<SERVICE>`` settings are used. The gateway closes the clients it
    opens over them at shutdown; it does not run the lifespan of apps behind an ASGITransport."""
    settings = settings or Settings()
    keys = SigningKeyRing(
        KeyCipher(settings.secret),
        reload_seconds=settings.signing_key_reload_seconds,
        retire_after=timedelta(
            seconds=settings.max_token_lifetime_seconds
            + settings.signing_key_reload_seconds
            + settings.jwt_leeway_seconds
        ),
    )
    issuer = TokenIssuer(keys, issuer=settings.jwt_issuer, audience=settings.jwt_audience)
    upstream_pool = Upstreams(upstreams if upstreams is not None else settings.upstream_urls(), settings)
    machine_access = MachineAccess(
        issuer,
        RateLimiter(),
        token_ttl_seconds=settings.machine_token_ttl_seconds,
        flush_seconds=settings.api_key_usage_flush_seconds,
    )
    housekeeping = RefreshTokenHousekeeping()

    @asynccontextmanager
    async def gateway_runtime(application: FastAPI) -> AsyncIterator[None]:
        database = application.state.database
        assert isinstance(database, Database)
        await keys.start(database)
        await upstream_pool.open()
        await machine_access.start(database)
        housekeeping.start(database)
        try:
            yield
        finally:
            await housekeeping.stop()
            await machine_access.stop()
            await upstream_pool.close()

    app = create_service_app(
        settings,
        title="OMS Region · Gateway",
        description=DESCRIPTION,
        routers=[
            auth_public_router,
            auth_router,
            organization_router,
            user_router,
            role_router,
            api_key_router,
            activity_router,
            signing_key_router,
            openapi_router,
            proxy_router,  # last: its /api/{service}/{path} would shadow the routes above
        ],
        bus=bus,
        jwks=RingJwksSource(keys),
        resources=[gateway_runtime],
    )
    app.router.routes[:] = [r for r in app.router.routes if getattr(r, "path", None) not in _ROOT_DOC_PATHS]
    app.state.gateway = Gateway(
        settings=settings,
        keys=keys,
        issuer=issuer,
        upstreams=upstream_pool,
        machine_access=machine_access,
        openapi=AggregatedOpenApi(
            app.openapi, upstream_pool.clients, ttl_seconds=settings.openapi_cache_seconds
        ),
        login_limiter=RateLimiter(),
    )
    return app


def local_jwks_source(app: FastAPI) -> JwksSource:
    """The gateway's verification keys for apps in the same process (the embedded shape),
    read from the gateway's key ring instead of over HTTP. Valid once the gateway started."""
    gateway = app.state.gateway
    assert isinstance(gateway, Gateway)
    return RingJwksSource(gateway.keys)
