"""A service reading another service as an external system would: through the gateway, with an
API key (the gateway exchanges it for a short-lived internal token and enforces its scopes and
rate limit). One place for how such a client is built, so every caller sends the key the same
way, never picks up proxy settings from the environment, and bounds connect and read times."""

from __future__ import annotations

import httpx


def api_key_client(
    base_url: str,
    api_key: str,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    timeout_seconds: float = 30.0,
    connect_timeout_seconds: float = 5.0,
) -> httpx.AsyncClient:
    """``transport``: instead of the network (the embedded mode's in-process gateway, tests)."""
    return httpx.AsyncClient(
        base_url=base_url,
        transport=transport,
        headers={"X-API-Key": api_key, "Accept": "application/json"},
        timeout=httpx.Timeout(timeout_seconds, connect=connect_timeout_seconds),
        trust_env=False,
    )
