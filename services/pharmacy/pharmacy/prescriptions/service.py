"""The rules of prescriptions as a service: issue (checked, numbered, signed, optionally with a
reservation), cancel, copy, one prescription with what happened to it, the search within the
caller's rights, the drugs a person may be prescribed with the stock of the attached
pharmacies. No SQL here (``repository``); services never commit (the request or the event
handler owns the transaction); events only through the outbox; every read or change of a
person's prescriptions is audited.

Numbering: the series is ``OMS_PHARMACY_REGION_CODE`` (two digits) followed by the MO's five
digits — the last five digits of the MO's code in the local organization copy (``990001`` →
``90001``; a shorter code is padded with zeros on the left); the number is the next of that
series, taken from ``prescription_counter`` by one upsert whose row lock lasts until the issue
commits (gapless: a refused or rolled-back issue gives its number back).

Status «expired» is computed on read, not stored: an ``issued`` prescription whose
``valid_until`` has passed is shown (and filtered) as ``expired``; a deferred one is served
after its term (1093н) and never expires."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from oms_kit.audit import audit_access, audit_access_many
from oms_kit.auth import Principal
from oms_kit.errors import Forbidden, NotFound
from oms_kit.events import add_event
from oms_kit.masking import mask_snils
from pharmacy.attachments.service import pharmacies_attached_to
from pharmacy.beneficiaries.service import (
    beneficiary_of_person,
    diagnosis_matches,
    entitlement_on,
    lock_person,
)
from pharmacy.config import Settings
from pharmacy.events.published import PrescriptionCancelled, PrescriptionIssued
from pharmacy.models import BenefitCategory, Drug, Organization, Prescription
from pharmacy.prescriptions import errors, repository, rules, signature
from pharmacy.prescriptions.errors import Check, IssueRefused, NoFreeStock, NotOpen
from pharmacy.prescriptions.repository import PrescriptionFilter, Row
from pharmacy.prescriptions.schemas import (
    AttachedPharmacy,
    CategoryOption,
    CopyIn,
    DeferredInfo,
    DispenseInfo,
    DrugOption,
    DrugOptions,
    FormOption,
    PharmacyStock,
    PrescriptionIn,
    PrescriptionRead,
    PrescriptionSummary,
    ReservationInfo,
    SignatureInfo,
    ValidityOption,
)
from pharmacy.scope import PRESCRIPTION_NOT_FOUND, scope_of

SOURCE = "pharmacy"
RESOURCE = "pharmacy.prescription"
# Who cancels a dead person's prescriptions in the audit: the pharmacy's event consumer, not a
# user (a machine actor of no organization).
CONSUMER_ACTOR = Principal(
    subject="system:pharmacy.registry-consumer", kind="api_key", org_id=uuid.UUID(int=0), org_type="system"
)
EXPORT_CAP = 50_000
FORM_TITLES = {
    rules.PrescriptionForm.PREFERENTIAL: "148-1/у-04(л) — льготный рецепт",
    rules.PrescriptionForm.PREFERENTIAL_MACHINE_READABLE: "148-1/у-06(л) — льготный рецепт со штрих-кодом",
}
BASES = (
    rules.ValidityBasis.STANDARD,
    rules.ValidityBasis.NARCOTIC_LIST_II,
    rules.ValidityBasis.PENSIONER_DISABLED_CHRONIC,
)


# --- who may write, and the series ---------------------------------------------------------------


def prescriber_mo(principal: Principal) -> uuid.UUID:
    """The MO a doctor (or an MO's MIS key) writes for: their own."""
    if principal.org_type != "mo" or not ("doctor" in principal.roles or principal.kind == "api_key"):
        raise Forbidden(
            "Выписывать и аннулировать льготные рецепты может врач медицинской организации или её МИС"
        )
    return principal.org_id


def mo_series_code(code: str | None) -> str | None:
    """The MO's five digits of the series: the last five digits of its code (``990001`` →
    ``90001``), a shorter one padded with zeros; None when the code has no digits."""
    digits = "".join(ch for ch in (code or "") if ch.isascii() and ch.isdigit())
    if not digits:
        return None
    return digits[-5:].rjust(5, "0")


def designation(series: str, number: int) -> str:
    return f"Серия {series} № {number:0{rules.NUMBER_WIDTH}d}"


def barcode_text(series: str, number: int) -> str:
    """What the barcode of 148-1/у-06(л) carries: ``series/number``, which
    ``rules.PrescriptionNumber.parse`` reads back (a scanner at the counter types it)."""
    return f"{series}/{number:0{rules.NUMBER_WIDTH}d}"


# --- issue ---------------------------------------------------------------------------------------


async def _resolve_drug(
    session: AsyncSession, body: PrescriptionIn, checks: list[Check]
) -> tuple[Drug | None, list[Drug]]:
    """The chosen drug (by id), or the catalogue drugs of the МНН/form/dosage written."""
    if body.drug_id is not None:
        row = await repository.drug(session, body.drug_id)
        if row is None:
            checks.append(Check(errors.UNKNOWN_DRUG, "drug_id", "Препарат не найден в справочнике"))
            return None, []
        return row, [row]
    if not (body.inn and body.dosage_form and body.dosage):
        checks.append(
            Check(
                errors.DRUG_MISSING,
                "drug_id",
                "Не выбран препарат: укажите препарат или МНН, форму и дозировку",
            )
        )
        return None, []
    like = await repository.drugs_like(session, body.inn, body.dosage_form, body.dosage)
    if not like:
        checks.append(
            Check(
                errors.UNKNOWN_DRUG,
                "inn",
                f"В справочнике нет препарата «{body.inn}», {body.dosage_form}, {body.dosage}",
            )
        )
    return None, like


def _nsi_valid(d: Drug, on: date) -> bool:
    return d.valid_from <= on and (d.valid_to is None or d.valid_to >= on)


async def _check(
    session: AsyncSession, body: PrescriptionIn, mo_id: uuid.UUID, on: date
) -> tuple[list[Check], BenefitCategory | None, Drug | None, list[Drug], date | None]:
    """Every check at issue; the category, the drug(s) and the last valid day when they pass."""
    checks: list[Check] = []
    cat = await repository.category(session, body.category_code)
    if cat is None:
        checks.append(
            Check(errors.UNKNOWN_CATEGORY, "category_code", f"Нет категории льготы «{body.category_code}»")
        )
    chosen, drugs = await _resolve_drug(session, body, checks)
    if drugs:
        valid = [d for d in drugs if _nsi_valid(d, on)]
        if not valid:
            d = drugs[0]
            period = f"по {d.valid_to:%d.%m.%Y}" if d.valid_to else f"с {d.valid_from:%d.%m.%Y}"
            checks.append(
                Check(
                    errors.NSI_INVALID,
                    "drug_id",
                    f"Запись справочника о препарате «{d.trade_name}» не действует "
                    f"на {on:%d.%m.%Y} (действует {period})",
                )
            )
        drugs = valid or drugs
        if cat is not None:
            listed = [d for d in drugs if await repository.on_drug_list(session, d, cat.drug_list_code)]
            if not listed:
                dl = await repository.drug_list(session, cat.drug_list_code)
                list_name = dl.name if dl else cat.drug_list_code
                checks.append(
                    Check(
                        errors.NOT_ON_DRUG_LIST,
                        "drug_id",
                        f"МНН «{drugs[0].inn}» не входит в перечень «{list_name}» категории «{cat.name}»",
                    )
                )
    if body.quantity <= 0:
        checks.append(Check(errors.QUANTITY, "quantity", "Количество упаковок должно быть больше нуля"))
    # The form's required fields the doctor fills in (the rest come from the register and the
    # MO): one left blank would be refused at the pharmacy (dispensing's missing_fields).
    typed = {"medical_record_number": body.medical_record_number, "usage": body.signa}
    at_field = {"usage": "signa"}
    for missing in rules.missing_fields(rules.PrescriptionForm(body.form), typed):
        if missing.name in typed:
            checks.append(
                Check(
                    errors.MISSING_FIELDS,
                    at_field.get(missing.name, missing.name),
                    f"Не заполнен обязательный реквизит рецепта: {missing.title}",
                )
            )
    until: date | None = None
    try:
        until = rules.valid_until(
            on, rules.PrescriptionForm(body.form), rules.ValidityBasis(body.validity_basis)
        )
    except rules.PrescriptionRuleError as exc:
        checks.append(Check(errors.VALIDITY_BASIS, "validity_basis", str(exc)))
    answer = await entitlement_on(session, body.person_id, on)
    reasons = {r.reason: r for r in answer.reasons}
    if "not_registered" in reasons:
        checks.append(Check(errors.NOT_REGISTERED, "person_id", reasons["not_registered"].message))
    elif "dead" in reasons:
        checks.append(Check(errors.PERSON_DEAD, "person_id", reasons["dead"].message))
    elif cat is not None and cat.code not in {c.code for c in answer.categories}:
        why = [r.message for r in answer.reasons if r.category_code in (cat.code, None)]
        detail = "; ".join(why) if why else f"у лица нет льготы «{cat.name}»"
        checks.append(
            Check(
                errors.NOT_ENTITLED,
                "category_code",
                f"Нет права на {on:%d.%m.%Y} по категории «{cat.name}»: {detail}",
            )
        )
    if cat is not None and cat.icd10 and not diagnosis_matches(body.diagnosis_code, cat.icd10):
        checks.append(
            Check(
                errors.DIAGNOSIS_NOT_COVERED,
                "diagnosis_code",
                f"Диагноз {body.diagnosis_code.upper()} не относится к категории «{cat.name}» "
                f"(нужен {', '.join(cat.icd10)})",
            )
        )
    if body.pharmacy_id is not None:
        attached = {pid for pid, _, _ in await pharmacies_attached_to(session, mo_id)}
        if body.pharmacy_id not in attached:
            checks.append(
                Check(
                    errors.PHARMACY_NOT_ATTACHED,
                    "pharmacy_id",
                    "Аптека не прикреплена к медицинской организации",
                )
            )
    return checks, cat, chosen, drugs, until


async def issue(
    session: AsyncSession,
    principal: Principal,
    body: PrescriptionIn,
    *,
    settings: Settings,
    on: date | None = None,
    copied_from: uuid.UUID | None = None,
) -> PrescriptionRead:
    """Check, number, sign and store the prescription; reserve stock when a pharmacy is chosen;
    ``pharmacy.prescription.issued`` in the outbox. Refused → nothing written."""
    mo_id = prescriber_mo(principal)
    day = on or date.today()
    mo = await repository.organization(session, mo_id)
    mo_code = mo_series_code(mo.code) if mo is not None and mo.kind == "mo" else None
    if mo is None or mo_code is None:
        raise IssueRefused(
            [
                Check(
                    errors.UNKNOWN_MO,
                    "mo",
                    "Медицинская организация врача неизвестна аптечной службе или без кода",
                )
            ]
        )
    # The person's ids locked as the death consumer locks them: a death being recorded is
    # waited for and then seen here (refused), or it comes after and cancels this prescription.
    await lock_person(session, body.person_id)
    checks, cat, chosen, drugs, until = await _check(session, body, mo_id, day)
    if checks:
        raise IssueRefused(checks)
    assert cat is not None and until is not None and drugs
    template = chosen or drugs[0]
    person = await beneficiary_of_person(session, body.person_id)
    assert person is not None  # the checks found the person's entitlement
    full_name = " ".join(p for p in (person.surname, person.first_name, person.patronymic) if p) or None
    series = settings.region_code + mo_code
    number = await repository.next_number(session, series)
    form = rules.PrescriptionForm(body.form)
    row = Prescription(
        id=uuid.uuid4(),
        form=form.value,
        series=series,
        number=number,
        mo_id=mo_id,
        mo_code=mo_code,
        doctor_subject=principal.subject,
        doctor_name=(body.doctor_name or "").strip() or principal.subject,
        person_id=body.person_id,
        beneficiary_id=person.id,
        category_code=cat.code,
        funding_source=cat.funding_source,
        discount_percent=cat.discount_percent,
        diagnosis_code=body.diagnosis_code.upper(),
        drug_id=chosen.id if chosen is not None else None,
        inn=template.inn,
        dosage_form=template.dosage_form,
        dosage=template.dosage,
        quantity=body.quantity,
        signa=body.signa.strip(),
        issued_on=day,
        validity_basis=body.validity_basis,
        valid_until=until,
        status="issued",
        copied_from_id=copied_from,
        patient_full_name=full_name,
        patient_birth_date=person.birth_date,
        patient_snils=person.snils,
        patient_policy_number=person.enp,
        medical_record_number=body.medical_record_number,
        barcode=barcode_text(series, number)
        if form is rules.PrescriptionForm.PREFERENTIAL_MACHINE_READABLE
        else None,
    )
    signature.sign(row, settings)
    await repository.add(session, row)
    if body.pharmacy_id is not None:
        await _reserve(session, row, body.pharmacy_id, principal, settings)
    await add_event(
        session,
        PrescriptionIssued(
            prescription_id=row.id,
            series=row.series,
            number=row.number,
            form=row.form,
            mo_id=row.mo_id,
            person_id=row.person_id,
            category_code=row.category_code,
            inn=row.inn,
            dosage_form=row.dosage_form,
            dosage=row.dosage,
            quantity=row.quantity,
            funding_source=row.funding_source,
            issued_on=row.issued_on,
            valid_until=row.valid_until,
            pharmacy_id=row.pharmacy_id,
        ),
        source=SOURCE,
        subject=str(row.id),
    )
    await audit_access(session, principal, action="create", resource=RESOURCE, person_id=row.person_id)
    return await _read(session, row, settings)


async def _reserve(
    session: AsyncSession, row: Prescription, pharmacy_id: uuid.UUID, principal: Principal, settings: Settings
) -> None:
    from pharmacy.stock.reservations import reserve  # S's module

    held = await reserve(
        session,
        prescription_id=row.id,
        pharmacy_id=pharmacy_id,
        inn=row.inn,
        dosage_form=row.dosage_form,
        dosage=row.dosage,
        quantity=row.quantity,
        days=settings.reservation_days,
        created_by=principal.subject,
        drug_id=row.drug_id,
        funding_source=row.funding_source,
    )
    if held is None:
        names = await repository.organization_names(session, [pharmacy_id])
        source = "федерального" if row.funding_source == "federal" else "регионального"
        raise NoFreeStock(
            f"В аптеке «{names.get(pharmacy_id, pharmacy_id)}» нет {row.quantity} уп. свободного остатка "
            f"{source} источника: {row.inn}, {row.dosage_form}, {row.dosage} — выберите другую аптеку "
            "или выпишите без резерва"
        )
    row.pharmacy_id = pharmacy_id
    await session.flush()


# --- cancel, copy ---------------------------------------------------------------------------------


async def _cancel(
    session: AsyncSession, prescription: Prescription, *, reason: str, cause: str, at: datetime
) -> None:
    """One open prescription cancelled: its reservations released, its deferred-service entry
    cancelled, ``pharmacy.prescription.cancelled`` in the outbox."""
    from pharmacy.stock.reservations import release_for_prescription  # S's module; no import cycle

    await release_for_prescription(session, prescription.id, reason="prescription_cancelled")
    await repository.cancel_deferred(session, prescription.id)
    await repository.mark_cancelled(session, prescription, reason=reason, at=at)
    await add_event(
        session,
        PrescriptionCancelled(
            prescription_id=prescription.id,
            series=prescription.series,
            number=prescription.number,
            mo_id=prescription.mo_id,
            person_id=prescription.person_id,
            cause=cause,
            reason=reason,
            cancelled_at=at,
            pharmacy_id=prescription.pharmacy_id,
        ),
        source=SOURCE,
        subject=str(prescription.id),
    )


async def cancel_open_for_person(
    session: AsyncSession,
    person_ids: Sequence[uuid.UUID],
    *,
    reason: str,
    cause: str = "death",
    open_on: date | None = None,
) -> int:
    """Every open (issued or deferred) prescription of these ids of one person cancelled (the
    death consumer: ``open_on`` = the death date — those still open that day; one whose term had
    run out before stays as it is, shown expired). A second call finds none open and changes
    nothing. Returns how many."""
    rows = await repository.open_for_persons(session, list(dict.fromkeys(person_ids)), open_on=open_on)
    at = datetime.now(UTC)
    for prescription in rows:
        await _cancel(session, prescription, reason=reason, cause=cause, at=at)
        # a change of the person's data without a user: the consumer is the actor (152-FZ audit)
        await audit_access(
            session,
            CONSUMER_ACTOR,
            action="update",
            resource=RESOURCE,
            person_id=prescription.person_id,
            reason=f"{reason}: рецепт {designation(prescription.series, prescription.number)} аннулирован",
        )
    return len(rows)


async def _own_for_change(
    session: AsyncSession, principal: Principal, prescription_id: uuid.UUID
) -> Prescription:
    """A prescription of the caller's MO, locked (another MO's — 404, as if absent)."""
    mo_id = prescriber_mo(principal)
    row = await repository.get(session, prescription_id, lock=True)
    if row is None or row.mo_id != mo_id:
        raise NotFound(PRESCRIPTION_NOT_FOUND)
    return row


async def cancel(
    session: AsyncSession,
    principal: Principal,
    prescription_id: uuid.UUID,
    reason: str,
    *,
    settings: Settings,
) -> PrescriptionRead:
    row = await _own_for_change(session, principal, prescription_id)
    if row.status not in repository.OPEN_STATUSES:
        what = {"dispensed": "уже отпущен", "cancelled": "уже аннулирован"}.get(row.status, row.status)
        raise NotOpen(f"Рецепт {designation(row.series, row.number)} {what}: аннулировать нельзя")
    await _cancel(session, row, reason=reason.strip(), cause="doctor", at=datetime.now(UTC))
    await audit_access(
        session, principal, action="update", resource=RESOURCE, person_id=row.person_id, reason=reason
    )
    return await _read(session, row, settings)


async def copy(
    session: AsyncSession,
    principal: Principal,
    prescription_id: uuid.UUID,
    body: CopyIn,
    *,
    settings: Settings,
) -> PrescriptionRead:
    """A new prescription from an earlier one of the MO: new number, today's date, the same
    person, category, diagnosis, drug, quantity and signa; every check again."""
    mo_id = prescriber_mo(principal)
    source = await repository.get(session, prescription_id)
    if source is None or source.mo_id != mo_id:
        raise NotFound(PRESCRIPTION_NOT_FOUND)
    new = PrescriptionIn(
        person_id=source.person_id,
        form=source.form,
        category_code=source.category_code,
        diagnosis_code=source.diagnosis_code,
        drug_id=source.drug_id,
        inn=source.inn,
        dosage_form=source.dosage_form,
        dosage=source.dosage,
        quantity=body.quantity if body.quantity is not None else source.quantity,
        signa=source.signa,
        validity_basis=body.validity_basis or source.validity_basis,
        medical_record_number=source.medical_record_number,
        doctor_name=body.doctor_name or source.doctor_name,
        pharmacy_id=body.pharmacy_id,
    )
    return await issue(session, principal, new, settings=settings, copied_from=source.id)


# --- reads ------------------------------------------------------------------------------------------


def _patient(principal: Principal) -> uuid.UUID | None:
    """A patient sees only their own prescriptions."""
    return principal.person_id if "patient" in principal.roles else None


async def _visible_one(
    session: AsyncSession, principal: Principal, prescription_id: uuid.UUID
) -> Prescription:
    row = await repository.get(session, prescription_id)
    if row is None:
        raise NotFound(PRESCRIPTION_NOT_FOUND)
    patient = _patient(principal)
    if patient is not None:
        if row.person_id != patient:
            raise NotFound(PRESCRIPTION_NOT_FOUND)
        return row
    scope = await scope_of(session, principal)
    if scope.mo_ids is None or row.mo_id in scope.mo_ids:
        return row
    if scope.pharmacy_writable and await repository.served_by(session, row.id, scope.pharmacy_writable):
        return row
    raise NotFound(PRESCRIPTION_NOT_FOUND)


async def get(
    session: AsyncSession, principal: Principal, prescription_id: uuid.UUID, *, settings: Settings
) -> PrescriptionRead:
    row = await _visible_one(session, principal, prescription_id)
    await audit_access(session, principal, action="read", resource=RESOURCE, person_id=row.person_id)
    return await _read(session, row, settings)


async def for_print(
    session: AsyncSession, principal: Principal, prescription_id: uuid.UUID
) -> tuple[Prescription, Organization | None, BenefitCategory | None, Drug | None]:
    row = await _visible_one(session, principal, prescription_id)
    await audit_access(session, principal, action="print", resource=RESOURCE, person_id=row.person_id)
    mo = await repository.organization(session, row.mo_id)
    cat = await repository.category(session, row.category_code)
    d = await repository.drug(session, row.drug_id) if row.drug_id else None
    return row, mo, cat, d


async def verify(
    session: AsyncSession, principal: Principal, prescription_id: uuid.UUID, *, settings: Settings
) -> SignatureInfo:
    row = await _visible_one(session, principal, prescription_id)
    await audit_access(
        session, principal, action="read", resource=f"{RESOURCE}.signature", person_id=row.person_id
    )
    return _signature_info(row, settings)


def _signature_info(row: Prescription, settings: Settings) -> SignatureInfo:
    v = signature.verify(row, settings)
    return SignatureInfo(
        valid=v.valid,
        message=v.message,
        algorithm=v.algorithm,
        signed_at=v.signed_at,
        certificate_subject=v.certificate_subject,
    )


def _summary_fields(
    row: Prescription, status: str, mo_name: str | None, pharmacy_name: str | None
) -> dict[str, Any]:
    return {
        "id": row.id,
        "form": row.form,
        "series": row.series,
        "number": row.number,
        "designation": designation(row.series, row.number),
        "status": status,
        "issued_on": row.issued_on,
        "valid_until": row.valid_until,
        "mo_id": row.mo_id,
        "mo_code": row.mo_code,
        "mo_name": mo_name,
        "doctor_subject": row.doctor_subject,
        "doctor_name": row.doctor_name,
        "person_id": row.person_id,
        "patient_full_name": row.patient_full_name,
        "category_code": row.category_code,
        "funding_source": row.funding_source,
        "discount_percent": row.discount_percent,
        "diagnosis_code": row.diagnosis_code,
        "drug_id": row.drug_id,
        "inn": row.inn,
        "dosage_form": row.dosage_form,
        "dosage": row.dosage,
        "quantity": row.quantity,
        "pharmacy_id": row.pharmacy_id,
        "pharmacy_name": pharmacy_name,
    }


def summary(r: Row) -> PrescriptionSummary:
    row, status, mo_name, pharmacy_name = r
    return PrescriptionSummary(**_summary_fields(row, status, mo_name, pharmacy_name))


def _mask_policy(value: str | None) -> str | None:
    return "*" * 12 + value[-4:] if value else None


async def _read(session: AsyncSession, row: Prescription, settings: Settings) -> PrescriptionRead:
    reservations = await repository.reservations_of(session, row.id)
    dispense = await repository.dispense_of(session, row.id)
    deferred = await repository.deferred_of(session, row.id)
    names = await repository.organization_names(
        session,
        [
            row.mo_id,
            row.pharmacy_id,
            *(r.pharmacy_id for r in reservations),
            dispense.pharmacy_id if dispense else None,
            deferred.pharmacy_id if deferred else None,
        ],
    )
    cat = await repository.category(session, row.category_code)
    d = await repository.drug(session, row.drug_id) if row.drug_id else None
    status = await repository.shown_status(session, row.id)
    deferred_info = None
    if deferred is not None:
        overdue = False
        try:
            kind = rules.DeferredServiceKind(deferred.kind)
            overdue = rules.deferred_service_status(
                deferred.requested_on, kind, today=date.today(), served_on=deferred.served_on
            ).overdue
        except ValueError:
            overdue = deferred.served_on is None and date.today() > deferred.deadline
        deferred_info = DeferredInfo(
            pharmacy_id=deferred.pharmacy_id,
            pharmacy_name=names.get(deferred.pharmacy_id),
            kind=deferred.kind,
            requested_on=deferred.requested_on,
            deadline=deferred.deadline,
            status=deferred.status,
            overdue=overdue,
            served_on=deferred.served_on,
        )
    return PrescriptionRead(
        **_summary_fields(
            row, status, names.get(row.mo_id), names.get(row.pharmacy_id) if row.pharmacy_id else None
        ),
        category_name=cat.name if cat else None,
        trade_name=d.trade_name if d else None,
        signa=row.signa,
        validity_basis=row.validity_basis,
        validity_days=(row.valid_until - row.issued_on).days,
        patient_birth_date=row.patient_birth_date,
        patient_snils_masked=mask_snils(row.patient_snils) if row.patient_snils else None,
        patient_policy_masked=_mask_policy(row.patient_policy_number),
        medical_record_number=row.medical_record_number,
        barcode=row.barcode,
        copied_from_id=row.copied_from_id,
        cancelled_at=row.cancelled_at,
        cancel_reason=row.cancel_reason,
        created_at=row.created_at,
        signature=_signature_info(row, settings),
        reservations=[
            ReservationInfo(
                id=r.id,
                pharmacy_id=r.pharmacy_id,
                pharmacy_name=names.get(r.pharmacy_id),
                quantity=r.quantity,
                status=r.status,
                expires_at=r.expires_at,
                closed_at=r.closed_at,
                closed_reason=r.closed_reason,
            )
            for r in reservations
        ],
        dispense=DispenseInfo(
            id=dispense.id,
            pharmacy_id=dispense.pharmacy_id,
            pharmacy_name=names.get(dispense.pharmacy_id),
            dispensed_at=dispense.dispensed_at,
            quantity=dispense.quantity,
            amount=dispense.amount,
            funding_source=dispense.funding_source,
        )
        if dispense is not None
        else None,
        deferred=deferred_info,
    )


async def _visibility(session: AsyncSession, principal: Principal, f: PrescriptionFilter) -> Any:
    patient = _patient(principal)
    scope = await scope_of(session, principal)
    return repository.visible(scope, exact_lookup=f.exact_lookup, patient=patient)


async def search(
    session: AsyncSession,
    principal: Principal,
    f: PrescriptionFilter,
    order: list[Any],
    limit: int,
    offset: int,
) -> tuple[list[PrescriptionSummary], int]:
    visibility = await _visibility(session, principal, f)
    rows, total = await repository.page(session, f, visibility, order, limit, offset)
    await audit_access_many(
        session, principal, [r[0].person_id for r in rows], action="read", resource=f"{RESOURCE}.list"
    )
    return [summary(r) for r in rows], total


async def export_rows(
    session: AsyncSession, principal: Principal, f: PrescriptionFilter, order: list[Any]
) -> list[PrescriptionSummary]:
    visibility = await _visibility(session, principal, f)
    rows = await repository.stream(session, f, visibility, order, EXPORT_CAP)
    await audit_access_many(
        session, principal, [r[0].person_id for r in rows], action="export", resource=f"{RESOURCE}.list"
    )
    return [summary(r) for r in rows]


# --- what the form offers ---------------------------------------------------------------------------


def form_options() -> list[FormOption]:
    out = []
    for form, title in FORM_TITLES.items():
        bases = [
            ValidityOption(
                basis=b.value, days=rules.VALIDITY_RULES[b].days, title=rules.VALIDITY_RULES[b].title
            )
            for b in BASES
            if form in rules.VALIDITY_RULES[b].forms
        ]
        out.append(FormOption(form=form.value, title=title, validity=bases))
    return out


async def drug_options(
    session: AsyncSession, principal: Principal, person_id: uuid.UUID, on: date, category: str | None = None
) -> DrugOptions:
    """The drugs the doctor may prescribe to the person on ``on``: the lists of the categories in
    force (or of ``category``), valid in the NSI; with the free stock in the pharmacies attached
    to the doctor's MO (the region's callers: every pharmacy's stock is not listed)."""
    from pharmacy.stock.reservations import availability  # S's module

    await audit_access(
        session, principal, action="read", resource=f"{RESOURCE}.drug_options", person_id=person_id
    )
    answer = await entitlement_on(session, person_id, on)
    cats = await repository.categories(session, [c.code for c in answer.categories])
    if category is not None:
        cats = {k: v for k, v in cats.items() if k == category}
    listed = await repository.drugs_of_lists(session, sorted({c.drug_list_code for c in cats.values()}), on)
    by_list: dict[str, list[str]] = {}
    for c in cats.values():
        by_list.setdefault(c.drug_list_code, []).append(c.code)
    drugs: dict[uuid.UUID, tuple[Drug, set[str]]] = {}
    for d, list_code in listed:
        drugs.setdefault(d.id, (d, set()))[1].update(by_list.get(list_code, []))
    pharmacies: list[tuple[uuid.UUID, str | None, str | None]] = []
    if principal.org_type == "mo":
        pharmacies = await pharmacies_attached_to(session, principal.org_id)
    stock: dict[uuid.UUID, list[PharmacyStock]] = {}
    if pharmacies and drugs:
        for a in await availability(session, [p for p, _, _ in pharmacies], drug_ids=list(drugs), on=on):
            stock.setdefault(a.drug_id, []).append(PharmacyStock.model_validate(a, from_attributes=True))
    options = [
        DrugOption(
            drug_id=d.id,
            inn=d.inn,
            trade_name=d.trade_name,
            dosage_form=d.dosage_form,
            dosage=d.dosage,
            package_quantity=d.package_quantity,
            categories=sorted(codes),
            free_total=sum(s.free for s in stock.get(d.id, [])),
            stock=stock.get(d.id, []),
        )
        for d, codes in drugs.values()
    ]
    options.sort(key=lambda o: (o.free_total == 0, o.inn.lower(), o.trade_name.lower(), o.dosage))
    return DrugOptions(
        person_id=person_id,
        on=on,
        entitled=answer.entitled,
        reasons=[r.message for r in answer.reasons] if not answer.entitled else [],
        categories=[
            CategoryOption(
                code=c.code,
                name=c.name,
                funding_source=c.funding_source,
                discount_percent=c.discount_percent,
                drug_list_code=c.drug_list_code,
                icd10=list(c.icd10 or []),
            )
            for c in sorted(cats.values(), key=lambda c: c.sort_order)
        ],
        pharmacies=[AttachedPharmacy(pharmacy_id=p, pharmacy_name=name) for p, _, name in pharmacies],
        drugs=options,
    )
