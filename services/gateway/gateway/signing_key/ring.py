"""This process's view of the signing keys: which key signs now, which keys verify.

Rotation without downtime: ``rotate`` adds a new key that signs from now on and schedules
the retirement of the previous ones after the longest token lifetime (plus the reload
interval and the leeway), so every token already issued stays verifiable until it expires.
Replicas pick up another replica's rotation on their next reload (``signing_key_reload_seconds``)
or at once when a token names a kid they do not know.

Like the outbox relay, the ring owns its short transactions (key creation and rotation take
an advisory lock, commit, and only then start signing with the new key), so a key is never
used before it is durable."""

from __future__ import annotations

import asyncio
import logging
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from jose import jwk

from gateway.models import SigningKey
from gateway.signing_key.crypto import KeyCipher, generate_key_pair, new_kid
from gateway.signing_key.repository import SigningKeyRepository
from oms_kit.auth import JwksSource
from oms_kit.db import Database
from oms_kit.errors import Unauthorized

log = logging.getLogger("gateway.signing_key")

# A kid looked up in vain is not looked up again for this long (forged kids cost one query).
UNKNOWN_KID_RETRY_SECONDS = 2.0


@dataclass(frozen=True)
class SigningMaterial:
    kid: str
    private_pem: str


@dataclass(frozen=True)
class _Published:
    jwk: dict[str, Any]
    retired_at: datetime | None
    verification_key: Any  # the constructed RS256 key


class SigningKeyRing:
    def __init__(self, cipher: KeyCipher, *, reload_seconds: float, retire_after: timedelta) -> None:
        self._cipher = cipher
        self._reload_seconds = reload_seconds
        self.retire_after = retire_after
        self._database: Database | None = None
        self._active: SigningMaterial | None = None
        self._published: dict[str, _Published] = {}
        self._missed: dict[str, float] = {}
        self._decrypted: dict[str, str | None] = {}
        self._loaded_at = float("-inf")
        self._lock = asyncio.Lock()

    @property
    def database(self) -> Database:
        if self._database is None:
            raise RuntimeError("the signing key ring is not started")
        return self._database

    async def start(self, database: Database) -> None:
        """Load the keys, creating the first one when there is none this gateway can use."""
        self._database = database
        async with database.sessions() as session, session.begin():
            repo = SigningKeyRepository(session)
            await repo.lock()
            now = datetime.now(UTC)
            rows = await repo.published(now)
            if self._pick_signing(rows, now) is None:
                # None yet, or none readable with this secret: start a new one and let the
                # unreadable ones retire once the tokens they signed have expired.
                await self._create(repo, now)
                rows = await repo.published(now)
        self._apply(rows)

    async def rotate(self) -> SigningKey:
        async with self.database.sessions() as session, session.begin():
            repo = SigningKeyRepository(session)
            await repo.lock()
            now = datetime.now(UTC)
            key = await self._create(repo, now)
        log.info("signing key rotated", extra={"kid": key.kid})
        await self.reload()
        return key

    async def _create(self, repo: SigningKeyRepository, now: datetime) -> SigningKey:
        kid = new_kid(now)
        private_pem, public_jwk = await asyncio.to_thread(generate_key_pair, kid)
        key = SigningKey(
            kid=kid,
            private_key_encrypted=self._cipher.encrypt(private_pem),
            public_jwk=public_jwk,
            created_at=now,
            active_from=now,
        )
        await repo.add(key)
        await repo.schedule_retirement(keep_kid=kid, retire_at=now + self.retire_after)
        self._decrypted[kid] = private_pem.decode()
        return key

    async def reload(self) -> None:
        async with self.database.sessions() as session:
            rows = await SigningKeyRepository(session).published(datetime.now(UTC))
        self._apply(rows)

    async def _reload_if_older_than(self, seconds: float) -> None:
        if time.monotonic() - self._loaded_at < seconds:
            return
        async with self._lock:
            if time.monotonic() - self._loaded_at < seconds:
                return
            try:
                await self.reload()
            except Exception:
                # Keep serving with what we have; the next call tries again.
                log.exception("signing keys could not be reloaded")

    def _decrypt(self, key: SigningKey) -> str | None:
        if key.kid not in self._decrypted:
            pem = self._cipher.decrypt(key.private_key_encrypted)
            self._decrypted[key.kid] = pem.decode() if pem is not None else None
        return self._decrypted[key.kid]

    def _pick_signing(self, rows: Any, now: datetime) -> SigningMaterial | None:
        for key in rows:  # newest first
            if key.retired_at is None and key.active_from <= now:
                pem = self._decrypt(key)
                if pem is not None:
                    return SigningMaterial(key.kid, pem)
        return None

    def _apply(self, rows: Any) -> None:
        active = self._pick_signing(rows, datetime.now(UTC))
        if active is None:
            log.error("no signing key usable with this OMS_GATEWAY_SECRET; keeping the previous one")
        else:
            self._active = active
        self._published = {
            k.kid: _Published(dict(k.public_jwk), k.retired_at, jwk.construct(dict(k.public_jwk), "RS256"))
            for k in rows
        }
        self._loaded_at = time.monotonic()

    async def signing_key(self) -> SigningMaterial:
        await self._reload_if_older_than(self._reload_seconds)
        if self._active is None:
            raise RuntimeError("the signing key ring is not started")
        return self._active

    def _live(self, entry: _Published, now: datetime) -> bool:
        return entry.retired_at is None or entry.retired_at > now

    async def jwks(self) -> dict[str, Any]:
        """The public keys of every key not yet retired (for ``/.well-known/jwks.json``)."""
        await self._reload_if_older_than(self._reload_seconds)
        now = datetime.now(UTC)
        return {"keys": [p.jwk for p in self._published.values() if self._live(p, now)]}

    async def verification_key(self, kid: str) -> Any:
        """The key that verifies tokens signed under ``kid``. A kid not known yet may be
        another replica's fresh rotation: it is looked up in the database (once per kid
        per ``UNKNOWN_KID_RETRY_SECONDS``) before the token is refused."""
        await self._reload_if_older_than(self._reload_seconds)
        entry = self._published.get(kid)
        if entry is None and await self._appeared(kid):
            entry = self._published.get(kid)
        if entry is None or not self._live(entry, datetime.now(UTC)):
            raise Unauthorized("Ключ подписи токена неизвестен")
        return entry.verification_key

    async def _appeared(self, kid: str) -> bool:
        now = time.monotonic()
        if now - self._missed.get(kid, float("-inf")) < UNKNOWN_KID_RETRY_SECONDS:
            return False
        async with self._lock:
            if kid in self._published:
                return True
            async with self.database.sessions() as session:
                exists = await SigningKeyRepository(session).exists(kid)
            if exists:
                await self.reload()
                return True
            if len(self._missed) > 10_000:
                self._missed.clear()
            self._missed[kid] = now
            return False


class RingJwksSource(JwksSource):
    """A ``JwksSource`` answered from the ring (the gateway itself, and apps in its process)."""

    def __init__(self, ring: SigningKeyRing) -> None:
        super().__init__(ring.jwks, min_refresh_seconds=0)
        self._ring = ring

    async def key(self, kid: str) -> Any:
        return await self._ring.verification_key(kid)
