"""Key material: RSA generation, the public JWK, and encryption of private keys at rest."""

from __future__ import annotations

import base64
import secrets
from datetime import UTC, datetime
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from jose import jwk

ALGORITHM = "RS256"
KEY_SIZE = 2048


class KeyCipher:
    """Fernet with a key derived (HKDF-SHA256) from ``OMS_GATEWAY_SECRET``."""

    def __init__(self, secret: str) -> None:
        derived = HKDF(
            algorithm=hashes.SHA256(), length=32, salt=b"oms-gateway", info=b"signing-key-encryption"
        ).derive(secret.encode())
        self._fernet = Fernet(base64.urlsafe_b64encode(derived))

    def encrypt(self, private_pem: bytes) -> bytes:
        return self._fernet.encrypt(private_pem)

    def decrypt(self, token: bytes) -> bytes | None:
        """The PEM, or None when the key was encrypted under another secret."""
        try:
            return self._fernet.decrypt(token)
        except InvalidToken:
            return None


def new_kid(now: datetime | None = None) -> str:
    stamp = (now or datetime.now(UTC)).strftime("%Y%m%d%H%M%S")
    return f"{stamp}-{secrets.token_hex(4)}"


def generate_key_pair(kid: str) -> tuple[bytes, dict[str, Any]]:
    """A new RSA private key (PKCS8 PEM) and its public JWK."""
    key = rsa.generate_private_key(public_exponent=65537, key_size=KEY_SIZE)
    private_pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    public_pem = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    public: dict[str, Any] = jwk.construct(public_pem, ALGORITHM).to_dict()
    public.update({"kid": kid, "use": "sig", "alg": ALGORITHM})
    return private_pem, public
