"""Prescription signatures: canonical form, sign/verify round trip, tampering, wrong certificates."""

import subprocess
import unicodedata
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from uuid import UUID

import pytest
from cryptography.hazmat.primitives.serialization import pkcs7

from pharmacy.prescriptions.rules import PrescriptionForm
from pharmacy.signing import (
    PRESCRIPTION_SIGNED_FIELDS,
    EcdsaSigner,
    EcdsaVerifier,
    SignatureError,
    canonical_bytes,
    generate_demo_identity,
    signed_fields,
)
from pharmacy.signing.canonical import canonical_value

NOW = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)

PRESCRIPTION = {
    "form": PrescriptionForm.PREFERENTIAL,
    "series": "7701234",
    "number": 123,
    "issued_on": date(2026, 11, 24),
    "valid_until": date(2026, 12, 24),
    "mo_code": "01234",
    "doctor_id": UUID("00000000-0000-0000-0000-00000000d0c0"),
    "person_id": UUID("00000000-0000-0000-0000-0000000000a1"),
    "snils": "11223344595",
    "policy_number": "7700000000000011",
    "category_code": "081",
    "diagnosis_code": "E11.9",
    "funding_source": "federal",
    "payment_percent": 100,
    "drug_inn": "Метформин",
    "dosage_form": "таблетки, покрытые плёночной оболочкой",
    "dosage": "1000 мг",
    "quantity": Decimal("60"),
    "usage": "по 1 таблетке 2 раза в день",
    "internal_note": "not signed",
}


@pytest.fixture(scope="module")
def doctor() -> tuple[EcdsaSigner, EcdsaVerifier]:
    key, certificate = generate_demo_identity("Иванова Анна Петровна", now=NOW)
    return EcdsaSigner(key, certificate, clock=lambda: NOW), EcdsaVerifier(trusted=[certificate])


def _payload(**changes: object) -> bytes:
    return canonical_bytes(signed_fields({**PRESCRIPTION, **changes}))


def test_canonical_form_is_sorted_compact_utf8_json() -> None:
    data = canonical_bytes({"b": 1, "a": "Метформин", "c": date(2026, 1, 2), "d": None, "e": Decimal("2.50")})
    assert data == '{"a":"Метформин","b":1,"c":"2026-01-02","d":null,"e":"2.50"}'.encode()


def test_canonical_form_ignores_insertion_order_unicode_form_and_time_zone() -> None:
    decomposed = unicodedata.normalize("NFD", "Йод")
    assert decomposed != "Йод"
    moscow = timezone(timedelta(hours=3))
    first = canonical_bytes({"x": "Йод", "t": datetime(2026, 11, 24, 12, 30, tzinfo=moscow)})
    second = canonical_bytes({"t": datetime(2026, 11, 24, 9, 30, tzinfo=UTC), "x": decomposed})
    assert first == second


def test_canonical_form_refuses_ambiguous_values() -> None:
    with pytest.raises(ValueError, match="Decimal"):
        canonical_bytes({"quantity": 1.5})
    with pytest.raises(ValueError, match="часового пояса"):
        canonical_bytes({"at": datetime(2026, 1, 1, 12, 0)})
    with pytest.raises(TypeError, match="bytes"):
        canonical_bytes({"blob": b"x"})
    assert canonical_value({"s": frozenset({"b", "a"})}) == {"s": ["a", "b"]}


def test_signed_fields_are_exactly_the_list() -> None:
    fields = signed_fields(PRESCRIPTION)
    assert "internal_note" not in fields
    assert set(fields) == {*PRESCRIPTION_SIGNED_FIELDS, "canonical_version"}
    assert signed_fields({"form": "148-1/у-04(л)"})["number"] is None  # absent values are signed as null
    assert _payload(internal_note="changed") == _payload()  # unsigned data does not matter


def test_round_trip(doctor: tuple[EcdsaSigner, EcdsaVerifier]) -> None:
    signer, verifier = doctor
    signature = signer.sign(_payload())
    assert signature.algorithm == "ECDSA-P256-SHA256" and signature.signed_at == NOW
    assert signature.certificate_pem.startswith(b"-----BEGIN CERTIFICATE-----")
    assert len(signature.certificate_sha256) == 64
    verifier.verify(_payload(), signature)
    EcdsaVerifier().verify(_payload(), signature)  # without a trust list: the signature itself


@pytest.mark.parametrize(
    "change",
    [
        {"quantity": Decimal("90")},
        {"drug_inn": "Метформин "},
        {"valid_until": date(2027, 2, 22)},
        {"snils": None},
        {"number": 124},
    ],
)
def test_a_tampered_field_fails(doctor: tuple[EcdsaSigner, EcdsaVerifier], change: dict[str, object]) -> None:
    signer, verifier = doctor
    signature = signer.sign(_payload())
    with pytest.raises(SignatureError, match="не соответствует данным рецепта"):
        verifier.verify(_payload(**change), signature)


def test_a_tampered_signature_fails(doctor: tuple[EcdsaSigner, EcdsaVerifier]) -> None:
    signer, verifier = doctor
    signature = signer.sign(_payload())
    broken = bytearray(signature.signature)
    broken[-1] ^= 0x01
    with pytest.raises(SignatureError):
        verifier.verify(_payload(), replace(signature, signature=bytes(broken)))


def test_a_wrong_certificate_fails(doctor: tuple[EcdsaSigner, EcdsaVerifier]) -> None:
    signer, verifier = doctor
    signature = signer.sign(_payload())
    _, other = generate_demo_identity("Петров Пётр", now=NOW)
    other_pem = other.public_bytes(pkcs7.serialization.Encoding.PEM)
    swapped = replace(signature, certificate_pem=other_pem)
    with pytest.raises(SignatureError, match="не зарегистрирован"):
        verifier.verify(_payload(), swapped)  # not the doctor's registered certificate
    with pytest.raises(SignatureError, match="не соответствует"):
        EcdsaVerifier(trusted=[other]).verify(_payload(), swapped)  # registered, but did not sign
    with pytest.raises(SignatureError, match="не зарегистрирован"):
        EcdsaVerifier(trusted=[other]).verify(_payload(), signature)


def test_a_signature_made_by_another_key_with_this_certificate_fails(
    doctor: tuple[EcdsaSigner, EcdsaVerifier],
) -> None:
    signer, verifier = doctor
    other_key, other_cert = generate_demo_identity("Самозванец", now=NOW)
    forged = EcdsaSigner(other_key, other_cert, clock=lambda: NOW).sign(_payload())
    genuine = signer.sign(_payload())
    with pytest.raises(SignatureError, match="не соответствует"):
        verifier.verify(_payload(), replace(forged, certificate_pem=genuine.certificate_pem))
    with pytest.raises(SignatureError, match="другим сертификатом"):
        verifier.verify(_payload(), replace(genuine, cms=forged.cms))


def test_a_certificate_not_valid_at_signing_time_fails() -> None:
    key, certificate = generate_demo_identity("Иванова", now=NOW, days=30)
    late = EcdsaSigner(key, certificate, clock=lambda: NOW + timedelta(days=31)).sign(_payload())
    with pytest.raises(SignatureError, match="не действовал"):
        EcdsaVerifier(trusted=[certificate]).verify(_payload(), late)


def test_the_signer_refuses_a_certificate_of_another_key() -> None:
    key, _ = generate_demo_identity("A", now=NOW)
    _, certificate = generate_demo_identity("B", now=NOW)
    with pytest.raises(ValueError, match="не соответствует закрытому ключу"):
        EcdsaSigner(key, certificate)


def test_the_cms_is_a_detached_signature_openssl_verifies(
    doctor: tuple[EcdsaSigner, EcdsaVerifier], tmp_path: Path
) -> None:
    signer, _ = doctor
    payload = _payload()
    signature = signer.sign(payload)
    assert payload not in signature.cms  # detached: the content is not inside
    (tmp_path / "data.json").write_bytes(payload)
    (tmp_path / "sig.der").write_bytes(signature.cms)
    (tmp_path / "cert.pem").write_bytes(signature.certificate_pem)
    command = ["openssl", "cms", "-verify", "-binary", "-inform", "DER", "-in", "sig.der"]
    command += ["-content", "data.json", "-CAfile", "cert.pem", "-purpose", "any", "-out", "/dev/null"]
    ok = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert ok.returncode == 0, ok.stderr
    (tmp_path / "data.json").write_bytes(_payload(quantity=Decimal("90")))
    tampered = subprocess.run(command, cwd=tmp_path, capture_output=True, text=True, check=False)
    assert tampered.returncode != 0
