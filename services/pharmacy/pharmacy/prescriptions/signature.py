"""The doctor's signature of a prescription: which identity signs, what is signed (the
canonical form of ``pharmacy.signing`` over the prescription's fields), and the check of a
stored signature.

The identity: ``OMS_PHARMACY_SIGNING_KEY_PATH`` / ``OMS_PHARMACY_SIGNING_CERT_PATH`` (PEM,
ECDSA P-256) when set — their certificate is then the only one trusted; unset, a demo identity
generated once per process (no private key is stored anywhere) and any certificate that
verifies is accepted. Production replaces the ECDSA signer with the ГОСТ/CryptoPro adapter of
the same ports and the doctor's own qualified certificate."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import load_pem_private_key

from pharmacy.config import Settings
from pharmacy.models import Prescription
from pharmacy.signing import (
    DetachedSignature,
    EcdsaSigner,
    EcdsaVerifier,
    SignatureError,
    canonical_bytes,
    generate_demo_identity,
    signed_fields,
)

DEMO_NAME = "Врач ЛЛО (демо-подпись)"


@dataclass(frozen=True)
class Identity:
    signer: EcdsaSigner
    verifier: EcdsaVerifier


_lock = threading.Lock()
_cache: dict[tuple[str | None, str | None], Identity] = {}


def identity(settings: Settings) -> Identity:
    """The signing identity for these settings (loaded or generated once)."""
    key = (settings.signing_key_path, settings.signing_cert_path)
    with _lock:
        found = _cache.get(key)
        if found is None:
            found = _load(*key)
            _cache[key] = found
        return found


def _load(key_path: str | None, cert_path: str | None) -> Identity:
    if key_path and cert_path:
        private = load_pem_private_key(Path(key_path).read_bytes(), password=None)
        if not isinstance(private, ec.EllipticCurvePrivateKey):
            raise ValueError("OMS_PHARMACY_SIGNING_KEY_PATH: нужен ключ ECDSA P-256")
        certificate = x509.load_pem_x509_certificate(Path(cert_path).read_bytes())
        return Identity(EcdsaSigner(private, certificate), EcdsaVerifier([certificate]))
    if key_path or cert_path:
        raise ValueError("Ключ и сертификат подписи задаются вместе (OMS_PHARMACY_SIGNING_*_PATH)")
    private, certificate = generate_demo_identity(DEMO_NAME)
    return Identity(EcdsaSigner(private, certificate), EcdsaVerifier())


def signed_values(p: Prescription) -> dict[str, object]:
    """The prescription's fields under the names of ``PRESCRIPTION_SIGNED_FIELDS``."""
    return signed_fields(
        {
            "form": p.form,
            "series": p.series,
            "number": p.number,
            "issued_on": p.issued_on,
            "valid_until": p.valid_until,
            "mo_code": p.mo_code,
            "doctor_id": p.doctor_subject,
            "person_id": p.person_id,
            "snils": p.patient_snils,
            "policy_number": p.patient_policy_number,
            "category_code": p.category_code,
            "diagnosis_code": p.diagnosis_code,
            "funding_source": p.funding_source,
            "payment_percent": p.discount_percent,
            "drug_inn": p.inn,
            "dosage_form": p.dosage_form,
            "dosage": p.dosage,
            "quantity": p.quantity,
            "usage": p.signa,
        }
    )


def sign(p: Prescription, settings: Settings) -> None:
    """Sign the prescription's canonical form; the detached signature is stored on the row."""
    signature = identity(settings).signer.sign(canonical_bytes(signed_values(p)))
    p.signature_algorithm = signature.algorithm
    p.signature = signature.signature
    p.signature_certificate = signature.certificate_pem
    p.signature_cms = signature.cms
    p.signed_at = signature.signed_at


@dataclass(frozen=True)
class Verification:
    valid: bool
    message: str
    algorithm: str | None
    signed_at: datetime | None
    certificate_subject: str | None


def verify(p: Prescription, settings: Settings) -> Verification:
    """Does the stored signature match the prescription as it is now?"""
    if p.signature is None or p.signature_certificate is None or p.signed_at is None:
        return Verification(False, "Рецепт не подписан", None, None, None)
    subject: str | None
    try:
        subject = x509.load_pem_x509_certificate(p.signature_certificate).subject.rfc4514_string()
    except ValueError:
        subject = None
    stored = DetachedSignature(
        algorithm=p.signature_algorithm or "",
        signature=p.signature,
        certificate_pem=p.signature_certificate,
        cms=p.signature_cms or b"",
        signed_at=p.signed_at,
    )
    try:
        identity(settings).verifier.verify(canonical_bytes(signed_values(p)), stored)
    except SignatureError as exc:
        return Verification(False, str(exc), p.signature_algorithm, p.signed_at, subject)
    return Verification(True, "Подпись верна", p.signature_algorithm, p.signed_at, subject)
