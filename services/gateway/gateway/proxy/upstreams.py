"""The services behind the gateway: one pooled ``httpx.AsyncClient`` per service, opened in
the lifespan. A target is a base URL (distributed mode) or an httpx transport, typically
``httpx.ASGITransport`` over the service's app (embedded mode; whoever passes the app runs its
lifespan — ASGITransport does not)."""

from __future__ import annotations

import itertools
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
        # Distributed targets get several smaller pools used in turn (see Settings).
        self._shards: dict[str, list[httpx.AsyncClient]] = {}
        self._turn = itertools.count()

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
        shards = self._settings.upstream_pool_shards
        per_shard = max(1, -(-self._settings.upstream_max_connections // shards))
        limits = httpx.Limits(max_connections=per_shard, max_keepalive_connections=per_shard)
        for name, target in self._targets.items():
            if isinstance(target, str):
                pool = [
                    httpx.AsyncClient(
                        base_url=target, timeout=self._timeout(), limits=limits, trust_env=False
                    )
                    for _ in range(shards)
                ]
            else:
                pool = [
                    httpx.AsyncClient(
                        transport=target, base_url=f"http://{name}", timeout=self._timeout(), trust_env=False
                    )
                ]
            self._shards[name] = pool
            self._clients[name] = pool[0]

    async def close(self) -> None:
        shards, self._shards, self._clients = self._shards, {}, {}
        for pool in shards.values():
            for client in pool:
                await client.aclose()

    def client(self, service: str) -> httpx.AsyncClient | None:
        pool = self._shards.get(service)
        if not pool:
            return None
        return pool[next(self._turn) % len(pool)]

    def clients(self) -> dict[str, httpx.AsyncClient]:
        return dict(self._clients)
