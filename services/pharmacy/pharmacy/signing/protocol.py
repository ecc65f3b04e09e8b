"""The electronic-signature ports: a :class:`Signer` makes a detached signature over bytes, a
:class:`Verifier` checks one. The prescription service depends only on these."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding


class SignatureError(Exception):
    """A signature does not verify; the message (Russian) says why."""


@dataclass(frozen=True, slots=True)
class DetachedSignature:
    """What is stored beside a signed prescription.

    ``signature`` is the raw signature over the canonical bytes (the value the verifier checks
    with the certificate's public key); ``cms`` is the same signing as CMS/PKCS#7 SignedData,
    detached (DER), for export to systems that verify CMS (``openssl cms -verify``, CryptoPro).
    ``signed_at`` is the signer's clock as recorded by the service (the certificate must be valid
    then); it is not a trusted timestamp — the qualified GOST signature of production adds one
    (CAdES-T) in its adapter.
    """

    algorithm: str
    signature: bytes
    certificate_pem: bytes
    cms: bytes
    signed_at: datetime

    @property
    def certificate_sha256(self) -> str:
        """Hex SHA-256 of the certificate (DER): which certificate signed, for the record."""
        der = x509.load_pem_x509_certificate(self.certificate_pem).public_bytes(Encoding.DER)
        return hashlib.sha256(der).hexdigest()


class Signer(Protocol):
    def sign(self, payload: bytes) -> DetachedSignature:
        """A detached signature over ``payload`` (the canonical bytes)."""
        ...


class Verifier(Protocol):
    def verify(self, payload: bytes, signature: DetachedSignature) -> None:
        """Return if ``signature`` is valid for ``payload``; raise :class:`SignatureError` if not."""
        ...
