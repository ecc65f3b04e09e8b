"""Issue through the API: series from the region and the MO's code, numbers consecutive per
series, term by the basis, funding and discount from the category, the signature stored and
verified (and failing once a signed field changes), the event and the audit rows; every check at
issue refusing with its code and nothing written; who may issue."""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import Any

import httpx
from sqlalchemy import func, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.audit import AuditRecord
from oms_kit.testing.tokens import TokenFactory
from pharmacy.models import PersonDeath, Prescription
from pharmacy.prescriptions.rules import PrescriptionNumber

from . import support


def body(person: uuid.UUID, drug_id: uuid.UUID | None, **extra: Any) -> dict[str, Any]:
    return {
        "person_id": str(person),
        "category_code": "082",
        "diagnosis_code": "I10",
        "drug_id": str(drug_id) if drug_id else None,
        "quantity": 2,
        "signa": "по 1 таблетке 2 раза в день",
        "medical_record_number": "А-123",
        "doctor_name": "Иванов Иван Иванович",
        **extra,
    }


async def _count(session: AsyncSession, person: uuid.UUID) -> int:
    return int(
        await session.scalar(
            select(func.count()).select_from(Prescription).where(Prescription.person_id == person)
        )
        or 0
    )


async def test_issue_numbers_signs_and_publishes(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    mo = await support.organization(session, "mo", "990001")
    drug = await support.drug(session)
    person = await support.beneficiary(session)
    assert person.person_id is not None
    auth = support.doctor(tokens, mo)

    first = await client.post("/prescriptions", json=body(person.person_id, drug.id), headers=auth)
    assert first.status_code == 201, first.text
    p = first.json()
    assert p["series"] == "9990001"  # region 99 + the last five digits of 990001
    assert p["designation"] == f"Серия 9990001 № {p['number']:07d}"
    assert p["status"] == "issued"
    assert p["issued_on"] == date.today().isoformat()
    assert p["valid_until"] == (date.today() + timedelta(days=30)).isoformat()
    assert (p["funding_source"], p["discount_percent"]) == ("federal", 100)
    assert (p["inn"], p["dosage_form"], p["dosage"]) == (drug.inn, drug.dosage_form, drug.dosage)
    assert p["signature"]["valid"] is True and p["signature"]["algorithm"] == "ECDSA-P256-SHA256"
    assert p["barcode"] is None
    assert p["doctor_name"] == "Иванов Иван Иванович"
    assert p["patient_full_name"] == "Орлова Анна Петровна"

    second = await client.post(
        "/prescriptions",
        json=body(
            person.person_id, drug.id, form="148-1/у-06(л)", validity_basis="pensioner_disabled_chronic"
        ),
        headers=auth,
    )
    assert second.status_code == 201, second.text
    q = second.json()
    assert (q["series"], q["number"]) == (p["series"], p["number"] + 1)
    assert q["valid_until"] == (date.today() + timedelta(days=90)).isoformat()
    parsed = PrescriptionNumber.parse(q["barcode"])  # the barcode reads back as the designation
    assert (parsed.series, parsed.number) == (q["series"], q["number"])

    events = (
        (
            await session.execute(
                text(
                    "SELECT envelope FROM outbox_event "
                    "WHERE type = 'pharmacy.prescription.issued' AND envelope->>'subject' = :id"
                ),
                {"id": p["id"]},
            )
        )
        .scalars()
        .all()
    )
    assert len(events) == 1
    data = events[0]["data"]
    assert (data["series"], data["number"], data["quantity"], data["pharmacy_id"]) == (
        "9990001",
        p["number"],
        2,
        None,
    )
    audited = await session.scalar(
        select(func.count())
        .select_from(AuditRecord)
        .where(AuditRecord.person_id == person.person_id, AuditRecord.resource == "pharmacy.prescription")
    )
    assert audited == 2

    verified = await client.get(f"/prescriptions/{p['id']}/signature", headers=auth)
    assert verified.status_code == 200 and verified.json()["valid"] is True
    await session.execute(
        update(Prescription).where(Prescription.id == uuid.UUID(p["id"])).values(quantity=20)
    )
    session.expire_all()
    tampered = await client.get(f"/prescriptions/{p['id']}/signature", headers=auth)
    assert tampered.json()["valid"] is False
    assert "не соответствует" in tampered.json()["message"]


async def test_every_failed_check_is_named_and_nothing_is_written(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    mo = await support.organization(session, "mo")
    on_list = await support.drug(session)
    off_list = await support.drug(session, "Тестостатин", lists=())
    ended = await support.drug(session, lists=("onls",), valid_to=date.today() - timedelta(days=1))
    person = await support.beneficiary(session, "082", valid_to=date.today() - timedelta(days=10))
    diabetic = await support.beneficiary(session, "r-diabetes", diagnoses=("E11.9",))
    auth = support.doctor(tokens, mo)
    assert person.person_id is not None and diabetic.person_id is not None

    async def refused(payload: dict[str, Any]) -> set[str]:
        answer = await client.post("/prescriptions", json=payload, headers=auth)
        assert answer.status_code == 422, answer.text
        problem = answer.json()
        assert problem["type"] == "urn:oms:problem:prescription-refused"
        assert problem["detail"]
        return {e["type"] for e in problem["errors"]}

    assert await refused(body(person.person_id, on_list.id)) == {"not_entitled"}
    assert await refused(body(person.person_id, off_list.id, quantity=0)) == {
        "not_entitled",
        "not_on_drug_list",
        "quantity_not_positive",
    }
    assert await refused(body(person.person_id, ended.id, category_code="nope")) == {
        "unknown_category",
        "nsi_invalid",
    }
    assert await refused(
        body(diabetic.person_id, on_list.id, category_code="r-diabetes", diagnosis_code="J45.0")
    ) == {"diagnosis_not_covered"}  # Метформин is on the regional list by its МНН
    assert await refused(body(uuid.uuid4(), on_list.id)) == {"not_registered"}
    # the medical record number the form requires, left blank (the pharmacy would refuse it)
    blank = await client.post(
        "/prescriptions",
        json=body(
            diabetic.person_id,
            on_list.id,
            category_code="r-diabetes",
            diagnosis_code="E11.9",
            medical_record_number=" ",
        ),
        headers=auth,
    )
    assert blank.status_code == 422, blank.text
    assert [(e["type"], e["field"]) for e in blank.json()["errors"]] == [
        ("missing_fields", "body.medical_record_number")
    ]
    assert "номер медицинской карты" in blank.json()["errors"][0]["message"]
    assert await refused(
        body(diabetic.person_id, None, category_code="r-diabetes", diagnosis_code="E11.9")
    ) == {"drug_missing"}

    alive = await support.beneficiary(session, "082")
    assert alive.person_id is not None
    session.add(
        PersonDeath(
            person_id=alive.person_id, death_date=date.today() - timedelta(days=1), event_time=func.now()
        )
    )
    await session.flush()
    assert await refused(body(alive.person_id, on_list.id)) == {"person_dead"}

    for pid in (person.person_id, diabetic.person_id, alive.person_id):
        assert await _count(session, pid) == 0


async def test_a_diabetic_gets_a_regional_drug_by_inn(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    mo = await support.organization(session, "mo")
    await support.drug(
        session, "Инсулин аспарт", lists=("regional",), dosage_form="раствор", dosage="100 ЕД/мл"
    )
    diabetic = await support.beneficiary(session, "r-diabetes", diagnoses=("E11.9",))
    assert diabetic.person_id is not None
    payload = body(
        diabetic.person_id,
        None,
        inn="инсулин аспарт",
        dosage_form="Раствор",
        dosage="100 ЕД/мл",
        category_code="r-diabetes",
        diagnosis_code="e11.9",
    )
    answer = await client.post("/prescriptions", json=payload, headers=support.doctor(tokens, mo))
    assert answer.status_code == 201, answer.text
    p = answer.json()
    assert (p["drug_id"], p["inn"], p["funding_source"], p["diagnosis_code"]) == (
        None,
        "Инсулин аспарт",
        "regional",
        "E11.9",
    )


async def test_only_a_doctor_of_an_mo_or_its_mis_issues(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    mo = await support.organization(session, "mo")
    drug = await support.drug(session)
    person = await support.beneficiary(session)
    assert person.person_id is not None
    payload = body(person.person_id, drug.id)
    pharmacy = await support.organization(session, "pharmacy")
    as_pharmacist = tokens.auth(
        roles=["pharmacist"], perms=support.DOCTOR_PERMS, org_id=pharmacy, org_type="pharmacy"
    )
    assert (await client.post("/prescriptions", json=payload, headers=as_pharmacist)).status_code == 403
    no_permission = support.pharmacist(tokens, pharmacy)
    assert (await client.post("/prescriptions", json=payload, headers=no_permission)).status_code == 403
    mis = tokens.auth(
        roles=["mis"], perms=support.DOCTOR_PERMS, org_id=mo, org_type="mo", kind="api_key", subject="mis-key"
    )
    answer = await client.post("/prescriptions", json=payload, headers=mis)
    assert answer.status_code == 201, answer.text
    assert answer.json()["doctor_subject"] == "mis-key"
    unknown_mo = support.doctor(tokens, uuid.uuid4())
    refused = await client.post("/prescriptions", json=payload, headers=unknown_mo)
    assert refused.status_code == 422 and refused.json()["errors"][0]["type"] == "unknown_mo"
