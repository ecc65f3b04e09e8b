"""Electronic signature of prescriptions: canonical form, Signer/Verifier ports, and an ECDSA
implementation on ``cryptography`` (production: ГОСТ Р 34.10-2012 via a CryptoPro adapter)."""

from pharmacy.signing.canonical import PRESCRIPTION_SIGNED_FIELDS, canonical_bytes, signed_fields
from pharmacy.signing.ecdsa import EcdsaSigner, EcdsaVerifier, generate_demo_identity
from pharmacy.signing.protocol import DetachedSignature, SignatureError, Signer, Verifier

__all__ = [
    "PRESCRIPTION_SIGNED_FIELDS",
    "DetachedSignature",
    "EcdsaSigner",
    "EcdsaVerifier",
    "SignatureError",
    "Signer",
    "Verifier",
    "canonical_bytes",
    "generate_demo_identity",
    "signed_fields",
]
