"""Access tokens for tests, signed with a throwaway RSA key the app under test trusts."""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from jose import jwk, jwt

from oms_kit.auth.tokens import JwksSource


@dataclass
class TokenFactory:
    issuer: str = "oms-gateway"
    audience: str = "oms-region"
    kid: str = "test-key"
    _private_pem: bytes = field(init=False)
    public_pem: bytes = field(init=False)

    def __post_init__(self) -> None:
        key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self._private_pem = key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
        self.public_pem = key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )

    @property
    def jwks(self) -> dict[str, Any]:
        public = jwk.construct(self.public_pem, "RS256").to_dict()
        public.update({"kid": self.kid, "use": "sig", "alg": "RS256"})
        return {"keys": [public]}

    def jwks_source(self) -> JwksSource:
        return JwksSource.static(self.jwks)

    def claims(
        self,
        *,
        org_id: uuid.UUID | None = None,
        roles: list[str] | None = None,
        perms: list[str] | None = None,
        subject: str = "tester",
        ttl: int = 300,
        **extra: Any,
    ) -> dict[str, Any]:
        now = int(time.time())
        claims: dict[str, Any] = {
            "sub": subject,
            "org": str(org_id or uuid.uuid4()),
            "roles": roles or [],
            "perms": perms or [],
            "iss": self.issuer,
            "aud": self.audience,
            "iat": now,
            "exp": now + ttl,
            "jti": uuid.uuid4().hex,
            "typ": "access",
        }
        claims.update(extra)
        return claims

    def encode(self, claims: dict[str, Any], *, headers: dict[str, Any] | None = None) -> str:
        token: str = jwt.encode(
            claims,
            self._private_pem.decode(),
            algorithm="RS256",
            headers={"kid": self.kid, **(headers or {})},
        )
        return token

    def token(self, **kwargs: Any) -> str:
        return self.encode(self.claims(**kwargs))

    def auth(self, **kwargs: Any) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token(**kwargs)}"}
