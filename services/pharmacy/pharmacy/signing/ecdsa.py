"""The signature implementation on ``cryptography``: ECDSA P-256 with SHA-256 and an X.509
certificate.

Production signs with ГОСТ Р 34.10-2012 (hash ГОСТ Р 34.11-2012 «Стрибог») through a
CryptoPro CSP (КриптоПро) adapter with the doctor's qualified certificate; that adapter
implements the same :class:`~pharmacy.signing.protocol.Signer` / ``Verifier`` ports.
``cryptography`` has no GOST algorithms, so this implementation serves development, tests and
the demo.

Decision (cryptography cannot verify CMS/PKCS#7): each signing produces both

- the raw ECDSA signature over the canonical bytes, which :class:`EcdsaVerifier` checks with
  the public key of the stored certificate, and
- a detached CMS SignedData (``PKCS7SignatureBuilder`` with ``DetachedSignature``, DER) made
  by the same key and certificate, stored for export; external tools verify it
  (``openssl cms -verify -binary -inform DER -content <canonical bytes>``). The verifier
  checks that the CMS carries the same certificate.

The verifier also checks the certificate: trusted (when a trust list is given — the doctor's
registered certificates) and valid at the signing time.

The demo identity is generated at runtime (:func:`generate_demo_identity`): no private key is
stored in the repository.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import UTC, datetime, timedelta

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import Encoding, pkcs7
from cryptography.x509.oid import NameOID

from pharmacy.signing.protocol import DetachedSignature, SignatureError

ALGORITHM = "ECDSA-P256-SHA256"


def _now() -> datetime:
    return datetime.now(UTC)


class EcdsaSigner:
    """Signs with a P-256 private key and its certificate."""

    def __init__(
        self,
        private_key: ec.EllipticCurvePrivateKey,
        certificate: x509.Certificate,
        *,
        clock: Callable[[], datetime] = _now,
    ) -> None:
        if not isinstance(private_key.curve, ec.SECP256R1):
            raise ValueError("нужен ключ ECDSA P-256")
        if certificate.public_key() != private_key.public_key():
            raise ValueError("сертификат не соответствует закрытому ключу")
        self._key = private_key
        self._certificate = certificate
        self._clock = clock

    def sign(self, payload: bytes) -> DetachedSignature:
        signature = self._key.sign(payload, ec.ECDSA(hashes.SHA256()))
        cms = (
            pkcs7.PKCS7SignatureBuilder()
            .set_data(payload)
            .add_signer(self._certificate, self._key, hashes.SHA256())
            .sign(Encoding.DER, [pkcs7.PKCS7Options.DetachedSignature])
        )
        return DetachedSignature(
            algorithm=ALGORITHM,
            signature=signature,
            certificate_pem=self._certificate.public_bytes(Encoding.PEM),
            cms=cms,
            signed_at=self._clock(),
        )


class EcdsaVerifier:
    """Verifies :class:`EcdsaSigner` signatures; ``trusted`` limits the accepted certificates."""

    def __init__(self, trusted: Iterable[x509.Certificate] | None = None) -> None:
        self._trusted = None if trusted is None else {c.fingerprint(hashes.SHA256()) for c in trusted}

    def verify(self, payload: bytes, signature: DetachedSignature) -> None:
        if signature.algorithm != ALGORITHM:
            raise SignatureError(f"Алгоритм подписи {signature.algorithm} не поддерживается")
        try:
            certificate = x509.load_pem_x509_certificate(signature.certificate_pem)
        except ValueError as exc:
            raise SignatureError("Сертификат подписи не читается") from exc
        if self._trusted is not None and certificate.fingerprint(hashes.SHA256()) not in self._trusted:
            raise SignatureError("Сертификат подписи не зарегистрирован как сертификат врача")
        if not certificate.not_valid_before_utc <= signature.signed_at <= certificate.not_valid_after_utc:
            raise SignatureError("Сертификат подписи не действовал в момент подписания")
        public_key = certificate.public_key()
        if not isinstance(public_key, ec.EllipticCurvePublicKey):
            raise SignatureError("Ключ сертификата — не ECDSA")
        try:
            public_key.verify(signature.signature, payload, ec.ECDSA(hashes.SHA256()))
        except InvalidSignature as exc:
            raise SignatureError("Подпись не соответствует данным рецепта или сертификату") from exc
        try:
            cms_certificates = pkcs7.load_der_pkcs7_certificates(signature.cms)
        except ValueError as exc:
            raise SignatureError("CMS-подпись не читается") from exc
        if certificate not in cms_certificates:
            raise SignatureError("CMS-подпись сделана другим сертификатом")


def generate_demo_identity(
    common_name: str, *, organization: str = "ОМС Регион (демо)", now: datetime | None = None, days: int = 365
) -> tuple[ec.EllipticCurvePrivateKey, x509.Certificate]:
    """A fresh P-256 key and a self-signed certificate for the demo and tests."""
    start = now or _now()
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name(
        [
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.COUNTRY_NAME, "RU"),
        ]
    )
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(start - timedelta(minutes=5))
        .not_valid_after(start + timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(key, hashes.SHA256())
    )
    return key, certificate
