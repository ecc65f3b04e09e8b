"""Minting access tokens: RS256 with python-jose, the claims every service verifies
(``oms_kit.auth.tokens``), the current signing key's ``kid`` in the header."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from jose import jwt

from gateway.access.roles import permissions_for
from gateway.signing_key.crypto import ALGORITHM
from gateway.signing_key.ring import SigningKeyRing


@dataclass(frozen=True)
class IssuedToken:
    token: str
    jti: str
    expires_at: int  # unix seconds
    kid: str


class TokenIssuer:
    def __init__(self, ring: SigningKeyRing, *, issuer: str, audience: str) -> None:
        self.ring = ring
        self.issuer = issuer
        self.audience = audience

    async def access_token(
        self,
        *,
        subject: str,
        org_id: uuid.UUID,
        org_type: str,
        roles: Iterable[str],
        ttl_seconds: int,
        kind: Literal["user", "api_key"] = "user",
        person_id: uuid.UUID | None = None,
        permissions: Iterable[str] | None = None,
    ) -> IssuedToken:
        """``permissions`` defaults to those of ``roles``; API keys pass a narrower set."""
        roles = sorted(set(roles))
        perms = sorted(set(permissions) if permissions is not None else permissions_for(roles))
        key = await self.ring.signing_key()
        now = int(time.time())
        jti = uuid.uuid4().hex
        claims: dict[str, object] = {
            "sub": subject,
            "org": str(org_id),
            "org_type": org_type,
            "roles": roles,
            "perms": perms,
            "kind": kind,
            "iss": self.issuer,
            "aud": self.audience,
            "iat": now,
            "exp": now + ttl_seconds,
            "jti": jti,
            "typ": "access",
        }
        if person_id is not None:
            claims["person_id"] = str(person_id)
        token: str = jwt.encode(claims, key.private_pem, algorithm=ALGORITHM, headers={"kid": key.kid})
        return IssuedToken(token=token, jti=jti, expires_at=now + ttl_seconds, kid=key.kid)
