"""The services behind the gateway: one pooled ``httpx.AsyncClient`` per service, opened in
the lifespan. A target is a base URL (distributed mode) or an httpx transport, typically
``httpx.ASGITransport`` over the service's app (embedded mode; whoever passes the app runs its
lifespan — ASGITransport does not)."""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from gateway.config import SERVICES, Settings

UpstreamTarget = httpx.AsyncBaseTransport | str


class Upstreams:
    def __init__(self, targets: Mapping[str, UpstreamTarget], settings: Settings) -> None:
        unknown = sorted(set(targets) - set(SERVICES))
        if unknown:
            raise ValueError(f"unknown upstream services {unknown}; known: {list(SERVICES)}")
        self._targets = dict(targets)
        self._settings = settings
        self._clients: dict[str, httpx.AsyncClient] = {}

    @property
    def names(self) -> list[str]:
        return sorted(self._targets)

    def _timeout(self) -> httpx.Timeout:
        s = self._settings
        return httpx.Timeout(
            s.upstream_timeout_seconds,
            connect=s.upstream_connect_timeout_seconds,
            pool=s.upstream_connect_timeout_seconds,
        )

    async def open(self) -> None:
        limits = httpx.Limits(
            max_connections=self._settings.upstream_max_connections,
            max_keepalive_connections=self._settings.upstream_max_connections,
        )
        for name, target in self._targets.items():
            if isinstance(target, str):
                client = httpx.AsyncClient(
                    base_url=target, timeout=self._timeout(), limits=limits, trust_env=False
                )
            else:
                client = httpx.AsyncClient(
                    transport=target, base_url=f"http://{name}", timeout=self._timeout(), trust_env=False
                )
            self._clients[name] = client

    async def close(self) -> None:
        clients, self._clients = self._clients, {}
        for client in clients.values():
            await client.aclose()

    def client(self, service: str) -> httpx.AsyncClient | None:
        return self._clients.get(service)

    def clients(self) -> dict[str, httpx.AsyncClient]:
        return dict(self._clients)
