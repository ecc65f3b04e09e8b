"""Requests of external systems: ``X-API-Key`` in, a short-lived internal access token out.

The proxy calls ``authorize`` per request: the key is looked up (revocation takes effect on
the very next request), rate-limited, and exchanged for a token of kind ``api_key`` carrying
the key's organization, its client role and the role's permissions ∩ the key's scopes. The
token is reused while more than half of its lifetime is left, so signing is not per request.

``last_used_at`` is not written per request: uses are collected in memory and written in one
short transaction every ``api_key_usage_flush_seconds`` (and at shutdown)."""

from __future__ import annotations

import logging
import time
import uuid
from datetime import UTC, datetime

from gateway.access.roles import CLIENT_ROLES
from gateway.api_key.rate_limit import RateLimiter, retry_after_header
from gateway.api_key.repository import ApiKeyRepository
from gateway.api_key.service import KEY_MARK, hash_key
from gateway.auth.issuer import IssuedToken, TokenIssuer
from oms_kit.background import Periodic
from oms_kit.db import Database
from oms_kit.errors import TooManyRequests, Unauthorized

log = logging.getLogger("gateway.api_key")

MAX_KEY_LENGTH = 200


class MachineAccess:
    def __init__(
        self, issuer: TokenIssuer, limiter: RateLimiter, *, token_ttl_seconds: int, flush_seconds: float
    ) -> None:
        self.issuer = issuer
        self.limiter = limiter
        self.token_ttl_seconds = token_ttl_seconds
        self.flush_seconds = flush_seconds
        self._database: Database | None = None
        self._tokens: dict[uuid.UUID, IssuedToken] = {}
        self._last_used: dict[uuid.UUID, datetime] = {}
        self._flusher = Periodic(
            "gateway-api-key-usage",
            flush_seconds,
            self.flush,
            failure="API key usage could not be recorded; will retry",
        )

    @property
    def database(self) -> Database:
        if self._database is None:
            raise RuntimeError("API-key access is not started")
        return self._database

    async def start(self, database: Database) -> None:
        self._database = database
        self._flusher.start()

    async def stop(self) -> None:
        await self._flusher.stop()
        await self.flush()

    async def authorize(self, raw_key: str) -> str:
        """The bearer token to forward for ``raw_key``; 401 for an unknown or revoked key,
        429 (with ``Retry-After``) over the key's rate."""
        if not raw_key.startswith(f"{KEY_MARK}_") or len(raw_key) > MAX_KEY_LENGTH:
            raise Unauthorized("Ключ API недействителен или отозван")
        async with self.database.sessions() as session:
            found = await ApiKeyRepository(session).active_by_hash(hash_key(raw_key))
        if found is None:
            raise Unauthorized("Ключ API недействителен или отозван")
        key, org = found
        wait = self.limiter.take(f"api_key:{key.id}", key.rate_per_minute)
        if wait:
            raise TooManyRequests(
                f"Превышен лимит ключа API: {key.rate_per_minute} запросов в минуту",
                headers=retry_after_header(wait),
            )
        self._last_used[key.id] = datetime.now(UTC)
        cached = self._tokens.get(key.id)
        if cached is not None and cached.expires_at - time.time() > self.token_ttl_seconds / 2:
            return cached.token
        issued = await self.issuer.access_token(
            subject=str(key.id),
            kind="api_key",
            org_id=org.id,
            org_type=org.kind,
            roles=[key.client_role],
            permissions=set(key.scopes) & CLIENT_ROLES.get(key.client_role, frozenset()),
            ttl_seconds=self.token_ttl_seconds,
        )
        self._tokens[key.id] = issued
        return issued.token

    def forget(self, key_id: uuid.UUID) -> None:
        self._tokens.pop(key_id, None)
        self.limiter.forget(f"api_key:{key_id}")

    async def flush(self) -> int:
        """Write the collected ``last_used_at`` values; returns how many keys were updated."""
        if not self._last_used or self._database is None:
            return 0
        batch, self._last_used = self._last_used, {}
        try:
            async with self.database.sessions() as session, session.begin():
                await ApiKeyRepository(session).record_usage(batch)
        except Exception:
            for key_id, at in batch.items():  # try again next time, keeping the later use
                self._last_used[key_id] = max(at, self._last_used.get(key_id, at))
            raise
        return len(batch)
