"""Forwarding one request to a service, streaming both ways.

The request body is passed on chunk by chunk from ``request.stream()`` and the response body
from ``client.send(..., stream=True)``, so the gateway never holds a whole upload or download
in memory (in embedded mode the services are reached through
``oms_kit.asgi_stream.StreamingASGITransport``, which streams as well — server-sent events
of long jobs depend on it).

Timeouts: connecting is bounded by httpx; the wait for the response head starts once the
body is sent, so a slow 200 MB upload is not cut off, while a service that does not answer is
a 504. Unreachable services are a 502. Both are problem+json."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import httpx
from fastapi import Request
from starlette.background import BackgroundTask
from starlette.requests import ClientDisconnect
from starlette.responses import StreamingResponse

from oms_kit.errors import DomainError, UpstreamTimeout, UpstreamUnavailable
from oms_kit.logging import REQUEST_ID_HEADER, current_request_id

# RFC 9110 §7.6.1 connection-specific headers, never forwarded in either direction.
HOP_BY_HOP = frozenset(
    {
        "connection",
        "keep-alive",
        "proxy-authenticate",
        "proxy-authorization",
        "proxy-connection",
        "te",
        "trailer",
        "transfer-encoding",
        "upgrade",
    }
)
# Set by the gateway itself (host by httpx, the rest below), or secrets that stop here.
_REQUEST_DROP = HOP_BY_HOP | {
    "host",
    "authorization",
    "x-api-key",
    REQUEST_ID_HEADER.lower(),
    "x-forwarded-for",
    "x-forwarded-proto",
    "x-forwarded-host",
    "x-forwarded-prefix",
}
# The gateway's server adds its own; the request id is set by the gateway's middleware.
_RESPONSE_DROP = HOP_BY_HOP | {"server", "date", REQUEST_ID_HEADER.lower()}


class ClientClosedRequest(DomainError):
    """The client went away in the middle of its upload (nginx's 499); nothing to answer."""

    status = 499
    code = "client-closed-request"
    title = "Клиент прервал запрос"


def _connection_listed(headers: list[tuple[bytes, bytes]]) -> set[str]:
    """Header names listed in ``Connection`` are hop-by-hop too."""
    listed: set[str] = set()
    for name, value in headers:
        if name.lower() == b"connection":
            listed |= {v.strip().lower() for v in value.decode("latin-1").split(",") if v.strip()}
    return listed


def request_headers(request: Request, service: str, authorization: str | None) -> list[tuple[str, str]]:
    raw = request.headers.raw
    drop = _REQUEST_DROP | _connection_listed(raw)
    out = [
        (k.decode("latin-1"), v.decode("latin-1")) for k, v in raw if k.decode("latin-1").lower() not in drop
    ]
    if authorization:
        out.append(("Authorization", authorization))
    rid = current_request_id()
    if rid:
        out.append((REQUEST_ID_HEADER, rid))
    client_host = request.client.host if request.client else None
    forwarded_for = request.headers.get("x-forwarded-for")
    if client_host:
        out.append(("X-Forwarded-For", f"{forwarded_for}, {client_host}" if forwarded_for else client_host))
    out.append(("X-Forwarded-Proto", request.url.scheme))
    if request.headers.get("host"):
        out.append(("X-Forwarded-Host", request.headers["host"]))
    out.append(("X-Forwarded-Prefix", f"/api/{service}"))
    return out


def response_headers(upstream: httpx.Response) -> list[tuple[bytes, bytes]]:
    raw = upstream.headers.raw
    drop = _RESPONSE_DROP | _connection_listed(raw)
    return [(k, v) for k, v in raw if k.decode("latin-1").lower() not in drop]


def upstream_target(request: Request, service: str) -> str:
    """The path and query on the service, taken raw so percent-encoding survives."""
    raw_path: bytes = request.scope.get("raw_path") or request.url.path.encode()
    prefix = f"/api/{service}".encode()
    path = raw_path[len(prefix) :] if raw_path.startswith(prefix) else raw_path
    query: bytes = request.scope.get("query_string", b"")
    target = (path or b"/").decode("latin-1")
    return f"{target}?{query.decode('latin-1')}" if query else target


def _has_body(request: Request) -> bool:
    length = request.headers.get("content-length")
    return (length is not None and length != "0") or "transfer-encoding" in request.headers


async def forward(
    client: httpx.AsyncClient,
    request: Request,
    *,
    service: str,
    authorization: str | None,
    timeout_seconds: float,
) -> StreamingResponse:
    body_sent = asyncio.Event()

    async def body() -> AsyncIterator[bytes]:
        async for chunk in request.stream():
            if chunk:
                yield chunk
        body_sent.set()

    has_body = _has_body(request)
    if not has_body:
        body_sent.set()
    upstream_request = client.build_request(
        request.method,
        upstream_target(request, service),
        headers=request_headers(request, service, authorization),
        content=body() if has_body else None,
    )
    upstream = await _send(client, upstream_request, body_sent, timeout_seconds, service)

    async def relay() -> AsyncIterator[bytes]:
        try:
            async for chunk in upstream.aiter_raw():
                yield chunk
        finally:
            await upstream.aclose()

    response = StreamingResponse(
        relay(), status_code=upstream.status_code, background=BackgroundTask(upstream.aclose)
    )
    response.raw_headers = response_headers(upstream)
    return response


async def _send(
    client: httpx.AsyncClient,
    upstream_request: httpx.Request,
    body_sent: asyncio.Event,
    timeout_seconds: float,
    service: str,
) -> httpx.Response:
    sending = asyncio.ensure_future(client.send(upstream_request, stream=True))
    try:
        # Uploading may take as long as the client needs (httpx bounds each write); the
        # deadline is for the service's answer once it has the whole request.
        waiting_for_body = asyncio.ensure_future(body_sent.wait())
        try:
            await asyncio.wait({sending, waiting_for_body}, return_when=asyncio.FIRST_COMPLETED)
        finally:
            waiting_for_body.cancel()
        return await asyncio.wait_for(sending, timeout_seconds)
    except (TimeoutError, httpx.TimeoutException) as exc:
        raise UpstreamTimeout(f"Сервис «{service}» не ответил за {timeout_seconds:g} с") from exc
    except httpx.TransportError as exc:
        raise UpstreamUnavailable(f"Сервис «{service}» недоступен") from exc
    except ClientDisconnect as exc:
        raise ClientClosedRequest("Загрузка прервана клиентом") from exc
    finally:
        if not sending.done():  # the client went away while we waited
            sending.cancel()
