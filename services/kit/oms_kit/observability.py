"""Request id propagation, Prometheus metrics and the health endpoints of every service."""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from sqlalchemy import text

from oms_kit.auth.dependencies import public
from oms_kit.logging import REQUEST_ID_HEADER, reset_request_id, set_request_id

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")


class Metrics:
    """Per-app registry, so several apps in one process keep separate series."""

    def __init__(self, service: str) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "http_requests_total",
            "HTTP requests",
            ["service", "method", "route", "status"],
            registry=self.registry,
        )
        self.latency = Histogram(
            "http_request_duration_seconds",
            "HTTP request latency",
            ["service", "method", "route"],
            registry=self.registry,
        )
        self.events_published = Counter(
            "events_published_total", "Events confirmed by the broker", ["service"], registry=self.registry
        )
        self.events_consumed = Counter(
            "events_consumed_total", "Events handled", ["service", "outcome"], registry=self.registry
        )
        self.service = service


def request_context_middleware(
    metrics: Metrics,
) -> Callable[[Request, Callable[[Request], Awaitable[Response]]], Awaitable[Response]]:
    async def middleware(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        incoming = request.headers.get(REQUEST_ID_HEADER, "")
        rid = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        token = set_request_id(rid)
        request.state.request_id = rid
        start = time.perf_counter()
        try:
            response = await call_next(request)
        finally:
            reset_request_id(token)
        route: Any = request.scope.get("route")
        route_path = getattr(route, "path", "unmatched")
        metrics.requests.labels(metrics.service, request.method, route_path, str(response.status_code)).inc()
        metrics.latency.labels(metrics.service, request.method, route_path).observe(
            time.perf_counter() - start
        )
        response.headers[REQUEST_ID_HEADER] = rid
        return response

    return middleware


def health_router() -> APIRouter:
    router = APIRouter(tags=["health"])

    @router.get("/healthz", operation_id="health-live", include_in_schema=False)
    @public
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    @router.get("/readyz", operation_id="health-ready", include_in_schema=False)
    @public
    async def readyz(request: Request) -> JSONResponse:
        checks: dict[str, str] = {}
        try:
            async with request.app.state.database.engine.connect() as conn:
                await conn.execute(text("SELECT 1"))
            checks["database"] = "ok"
        except Exception:
            checks["database"] = "unavailable"
        bus = request.app.state.bus
        checks["broker"] = "ok" if await bus.ready() else "unavailable"
        ok = all(v == "ok" for v in checks.values())
        return JSONResponse({"status": "ok" if ok else "unavailable", "checks": checks}, 200 if ok else 503)

    @router.get("/metrics", operation_id="health-metrics", include_in_schema=False)
    @public
    async def metrics(request: Request) -> Response:
        return Response(generate_latest(request.app.state.metrics.registry), media_type=CONTENT_TYPE_LATEST)

    return router
