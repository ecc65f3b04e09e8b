"""Request id propagation, Prometheus metrics and the health endpoints of every service."""

from __future__ import annotations

import re
import time
import uuid
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import JSONResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from sqlalchemy import text
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from oms_kit.auth.dependencies import public
from oms_kit.logging import REQUEST_ID_HEADER, reset_request_id, set_request_id

_SAFE_ID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_REQUEST_ID_KEY = REQUEST_ID_HEADER.lower().encode("latin-1")


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


class RequestContext:
    """Pure ASGI middleware: request id in, request id out, and the request's metrics.

    Deliberately not ``BaseHTTPMiddleware`` (``app.middleware("http")``), which runs the app
    in a separate task and pipes every response — streamed proxy bodies included — through
    memory streams: measured, it cost the gateway a large share of its throughput."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        incoming = ""
        for name, value in scope["headers"]:
            if name == _REQUEST_ID_KEY:
                incoming = value.decode("latin-1")
                break
        rid = incoming if _SAFE_ID.match(incoming) else uuid.uuid4().hex
        # Also on the request state: 500s are rendered outside this middleware.
        scope.setdefault("state", {})["request_id"] = rid
        status = 500
        encoded_rid = rid.encode("latin-1")

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
                headers = [(k, v) for k, v in message.get("headers", []) if k.lower() != _REQUEST_ID_KEY]
                headers.append((_REQUEST_ID_KEY, encoded_rid))
                message["headers"] = headers
            await send(message)

        token = set_request_id(rid)
        start = time.perf_counter()
        try:
            await self.app(scope, receive, send_with_id)
        finally:
            reset_request_id(token)
            route: Any = scope.get("route")
            route_path = getattr(route, "path", "unmatched")
            method = scope["method"]
            self.metrics.requests.labels(self.metrics.service, method, route_path, str(status)).inc()
            self.metrics.latency.labels(self.metrics.service, method, route_path).observe(
                time.perf_counter() - start
            )


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
