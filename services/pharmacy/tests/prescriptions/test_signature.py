"""The prescription's signature identity: a configured key and certificate (PEM) sign, and then
only that certificate is trusted; a signed field changed fails the check; the demo identity is
generated once per settings; a key without its certificate is refused."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.serialization import Encoding, NoEncryption, PrivateFormat

from pharmacy.config import Settings
from pharmacy.models import Prescription
from pharmacy.prescriptions import signature
from pharmacy.signing import generate_demo_identity


def _row() -> Prescription:
    return Prescription(
        id=uuid.uuid4(),
        form="148-1/у-04(л)",
        series="9990001",
        number=7,
        mo_id=uuid.uuid4(),
        mo_code="90001",
        doctor_subject="doctor",
        person_id=uuid.uuid4(),
        category_code="082",
        funding_source="federal",
        discount_percent=100,
        diagnosis_code="I10",
        inn="Эналаприл",
        dosage_form="таблетки",
        dosage="10 мг",
        quantity=2,
        signa="по 1 таблетке 2 раза в день",
        issued_on=date(2026, 11, 24),
        valid_until=date(2026, 12, 24),
        patient_snils="12345678901",
    )


def _identity_files(folder: Path, name: str) -> tuple[str, str]:
    key, cert = generate_demo_identity(name)
    key_path, cert_path = folder / f"{name}.key", folder / f"{name}.crt"
    key_path.write_bytes(key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption()))
    cert_path.write_bytes(cert.public_bytes(Encoding.PEM))
    return str(key_path), str(cert_path)


def test_a_configured_identity_signs_and_only_its_certificate_is_trusted(tmp_path: Path) -> None:
    key, cert = _identity_files(tmp_path, "doctor")
    configured = Settings(signing_key_path=key, signing_cert_path=cert)
    row = _row()
    signature.sign(row, configured)
    checked = signature.verify(row, configured)
    assert checked.valid, checked.message
    assert checked.certificate_subject is not None and "CN=doctor" in checked.certificate_subject

    row.quantity = 3  # a signed field changed after signing
    assert not signature.verify(row, configured).valid
    row.quantity = 2
    row.medical_record_number = "другая карта"  # not a signed field
    assert signature.verify(row, configured).valid

    stranger = _row()
    signature.sign(stranger, Settings())  # the demo identity
    refused = signature.verify(stranger, configured)
    assert not refused.valid and "не зарегистрирован" in refused.message
    assert signature.verify(stranger, Settings()).valid


def test_the_demo_identity_is_made_once_and_half_a_configuration_is_refused(tmp_path: Path) -> None:
    assert signature.identity(Settings()) is signature.identity(Settings())
    key, _ = _identity_files(tmp_path, "half")
    with pytest.raises(ValueError, match="вместе"):
        signature.identity(Settings(signing_key_path=key))
    unsigned = _row()
    assert signature.verify(unsigned, Settings()).message == "Рецепт не подписан"
