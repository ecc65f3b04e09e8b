"""The search within the caller's rights: a doctor sees their MO's, a pharmacy those reserved
(deferred, dispensed) there plus one looked up by series and number or by the person, the fund
all, a patient their own; filters, sorting on the main fields, the computed «expired», the
XLSX, one prescription outside the scope is 404, the audit of the persons listed; the print
form."""

from __future__ import annotations

import io
import uuid
from datetime import date, timedelta
from typing import Any

import httpx
from openpyxl import load_workbook
from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.audit import AuditRecord
from oms_kit.testing.tokens import TokenFactory
from pharmacy.models import Prescription

from . import support
from .test_issue_api import body


async def _ids(client: httpx.AsyncClient, auth: dict[str, str], **params: Any) -> list[str]:
    answer = await client.get("/prescriptions", params=params, headers=auth)
    assert answer.status_code == 200, answer.text
    return [i["id"] for i in answer.json()["items"]]


async def test_who_sees_what_and_the_filters(
    client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession
) -> None:
    mo = await support.organization(session, "mo", name="Поликлиника № 1")
    other_mo = await support.organization(session, "mo", name="Поликлиника № 2")
    pharmacy = await support.organization(session, "pharmacy")
    other_pharmacy = await support.organization(session, "pharmacy")
    await support.attach(session, mo, pharmacy)
    metformin = await support.drug(session)
    enalapril = await support.drug(session, "Эналаприл", dosage="10 мг")
    await support.batch(session, pharmacy, metformin, 10)
    anna = await support.beneficiary(session, surname="Аннина")
    boris = await support.beneficiary(session, surname="Борисов")
    assert anna.person_id is not None and boris.person_id is not None
    doctor = support.doctor(tokens, mo, subject="doc1")
    other_doctor = support.doctor(tokens, other_mo, subject="doc2")

    async def issue(auth: dict[str, str], person: uuid.UUID, drug: uuid.UUID, **extra: Any) -> dict[str, Any]:
        answer = await client.post("/prescriptions", json=body(person, drug, **extra), headers=auth)
        assert answer.status_code == 201, answer.text
        created: dict[str, Any] = answer.json()
        return created

    reserved = await issue(
        doctor, anna.person_id, metformin.id, pharmacy_id=str(pharmacy), doctor_name="Петров П.П."
    )
    plain = await issue(
        doctor, boris.person_id, enalapril.id, quantity=3, validity_basis="pensioner_disabled_chronic"
    )
    foreign = await issue(other_doctor, anna.person_id, enalapril.id)

    assert set(await _ids(client, doctor)) == {reserved["id"], plain["id"]}
    assert await _ids(client, other_doctor) == [foreign["id"]]
    fund = support.fund(tokens)
    assert {reserved["id"], plain["id"], foreign["id"]} <= set(await _ids(client, fund, limit=500))

    at_counter = support.pharmacist(tokens, pharmacy)
    assert await _ids(client, at_counter) == [reserved["id"]]
    assert await _ids(client, support.pharmacist(tokens, other_pharmacy)) == []
    # Presented at the counter: found by series and number, or by the person, whichever MO issued it.
    assert await _ids(
        client, support.pharmacist(tokens, other_pharmacy), series=foreign["series"], number=foreign["number"]
    ) == [foreign["id"]]
    assert set(await _ids(client, support.pharmacist(tokens, other_pharmacy), person_id=anna.person_id)) == {
        reserved["id"],
        foreign["id"],
    }
    patient = tokens.auth(
        roles=["patient"],
        perms=["pharmacy.prescription:read"],
        person_id=str(boris.person_id),
        org_type="patient",
    )
    assert await _ids(client, patient) == [plain["id"]]

    # One prescription outside the scope is as absent as an unknown id.
    assert (await client.get(f"/prescriptions/{foreign['id']}", headers=doctor)).status_code == 404
    assert (await client.get(f"/prescriptions/{plain['id']}", headers=at_counter)).status_code == 404
    assert (await client.get(f"/prescriptions/{reserved['id']}", headers=at_counter)).status_code == 200
    assert (await client.get(f"/prescriptions/{uuid.uuid4()}", headers=fund)).status_code == 404

    # Filters and sorting.
    assert await _ids(client, doctor, inn="эналап") == [plain["id"]]
    assert await _ids(client, doctor, doctor="петров") == [reserved["id"]]
    assert await _ids(client, doctor, pharmacy_id=pharmacy) == [reserved["id"]]
    assert await _ids(client, doctor, person_id=boris.person_id) == [plain["id"]]
    assert await _ids(client, fund, mo_id=other_mo) == [foreign["id"]]
    assert await _ids(client, doctor, sort="-quantity") == [plain["id"], reserved["id"]]
    assert await _ids(client, doctor, sort="valid_until") == [reserved["id"], plain["id"]]
    assert await _ids(client, doctor, sort="patient_full_name") == [reserved["id"], plain["id"]]
    today = date.today()
    assert await _ids(client, doctor, issued_from=today + timedelta(days=1)) == []
    assert len(await _ids(client, doctor, issued_from=today, issued_to=today, status="issued")) == 2
    bad = await client.get("/prescriptions", params={"sort": "signature"}, headers=doctor)
    assert bad.status_code == 422

    # «expired» is computed: an issued prescription past its term.
    await session.execute(
        update(Prescription)
        .where(Prescription.id == uuid.UUID(plain["id"]))
        .values(issued_on=today - timedelta(days=100), valid_until=today - timedelta(days=10))
    )
    assert await _ids(client, doctor, status="expired") == [plain["id"]]
    assert await _ids(client, doctor, status="issued") == [reserved["id"]]
    one = await client.get(f"/prescriptions/{plain['id']}", headers=doctor)
    assert one.json()["status"] == "expired"

    listed = await session.scalar(
        select(func.count())
        .select_from(AuditRecord)
        .where(AuditRecord.resource == "pharmacy.prescription.list", AuditRecord.person_id == boris.person_id)
    )
    assert listed and listed > 0

    sheet = await client.get("/prescriptions/export.xlsx", params={"sort": "number"}, headers=doctor)
    assert sheet.status_code == 200, sheet.text
    rows = list(load_workbook(io.BytesIO(sheet.content)).active.iter_rows(values_only=True))  # type: ignore[union-attr]
    assert rows[0][:3] == ("Серия", "Номер", "Форма")
    assert [(r[0], r[1], r[5]) for r in rows[1:]] == [
        (reserved["series"], reserved["number"], "Выписан"),
        (plain["series"], plain["number"], "Истёк срок"),
    ]


async def test_the_print_form(client: httpx.AsyncClient, tokens: TokenFactory, session: AsyncSession) -> None:
    mo = await support.organization(session, "mo")
    drug = await support.drug(session)
    person = await support.beneficiary(session)
    assert person.person_id is not None
    auth = support.doctor(tokens, mo)
    for form in ("148-1/у-04(л)", "148-1/у-06(л)"):
        created = await client.post(
            "/prescriptions", json=body(person.person_id, drug.id, form=form), headers=auth
        )
        assert created.status_code == 201, created.text
        p = created.json()
        pdf = await client.get(f"/prescriptions/{p['id']}/print.pdf", headers=auth)
        assert pdf.status_code == 200, pdf.text
        assert pdf.headers["content-type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF")
        assert f"{p['series']}-{p['number']:07d}" in pdf.headers["content-disposition"]
    printed = await session.scalar(
        select(func.count())
        .select_from(AuditRecord)
        .where(AuditRecord.action == "print", AuditRecord.person_id == person.person_id)
    )
    assert printed == 2
    other = support.doctor(tokens, await support.organization(session, "mo"))
    assert (await client.get(f"/prescriptions/{p['id']}/print.pdf", headers=other)).status_code == 404
