"""A few months of benefit prescriptions and their dispensing in the demo region.

Every beneficiary belongs to one MO (the demo patient and a dozen others to the demo doctor's
990001); the MO's doctors write prescriptions to them on the days of the last ``MONTHS``
months, each for a drug of the list of a category the person is entitled to on that day (and
with a diagnosis the category covers). Series and numbers as the prescriptions module gives
them (``rules.PrescriptionNumber``: region ``99`` + the last five digits of the MO code, numbers
consecutive per series in issue order; the counter row at the last number).

What became of them, in time order against the pharmacies' stock (``StockBook``): most were
dispensed within a week at one of the MO's pharmacies (earliest expiry first, the funding
source of the prescription; packages ``dispensed``, a dispense movement, the dispense with its
packages, an accepted report to МДЛП); some were cancelled; some the pharmacies could not fill
and accepted for deferred service (some of those are now overdue); the rest expired or are
still open, a few with an active reservation (one lapsing within hours). Historical rows carry
no electronic signature."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from pharmacy.beneficiaries.categories import BY_CODE
from pharmacy.demo.people import Identity
from pharmacy.demo.stock import (
    DEMO_DRUGS,
    DEMO_MO_CODE,
    MO_CODES,
    REGION_TZ,
    Batch,
    DemoDrug,
    StockBook,
    at,
    org_id,
)
from pharmacy.marking.trace.documents import DisposalDocument, PackageLine, render, subject_id_of
from pharmacy.prescriptions import rules
from pharmacy.prescriptions.service import barcode_text

REGION_CODE = "99"
MONTHS = 4
DEMO_MO_HISTORY = 40  # prescriptions of the demo doctor's MO before the browser test's ones
CHRONIC = ("081", "082", "084", "r-diabetes", "r-asthma", "r-oncology", "r-parkinson", "r-epilepsy")

# Doctors of the MOs (the demo doctor and doctor2 by their demo logins).
_DOCTORS = {
    "990001": [("doctor", "Петров Игорь Николаевич"), ("demo:doctor:990001:2", "Лаврова Ольга Петровна")],
    "990003": [("doctor2", "Фёдорова Мария Павловна")],
}
_DOCTOR_NAMES = (
    "Алексеева Наталья Викторовна",
    "Борисов Андрей Сергеевич",
    "Гаврилова Елена Николаевна",
    "Данилов Павел Олегович",
    "Ефимова Светлана Юрьевна",
    "Журавлёв Михаил Андреевич",
    "Исаева Марина Геннадьевна",
    "Калинин Виктор Петрович",
    "Лебедева Анна Игоревна",
    "Миронов Олег Владимирович",
    "Никитина Ирина Александровна",
    "Осипов Денис Валерьевич",
)

# Drugs a disease category is treated with (ATC prefixes), ВЗН by nosology.
_CATEGORY_ATC = {
    "r-diabetes": ("A10",),
    "r-asthma": ("R03",),
    "r-oncology": ("L02",),
    "r-parkinson": ("N04",),
    "r-epilepsy": ("N03",),
    "vzn-01": ("B02BD",),
    "vzn-05": ("L01", "L04AX"),
    "vzn-06": ("L04AA36", "L03"),
    "vzn-07": ("L04AD", "L04AA06", "L04AA18"),
}
# A diagnosis for a prescription of a category that needs none, by the drug's ATC.
_ATC_DIAGNOSIS = (
    ("A10", ("E11.9", "E11.6")),
    ("C09", ("I10", "I11.9")),
    ("C07", ("I11.9", "I25.1")),
    ("C08", ("I10",)),
    ("C03", ("I50.0", "I10")),
    ("C10", ("E78.0",)),
    ("C01", ("I20.8",)),
    ("B01", ("I25.1", "I48.0")),
    ("A02", ("K21.0",)),
    ("H03", ("E03.9",)),
    ("R03", ("J45.9", "J44.9")),
    ("N03", ("G40.9",)),
    ("N04", ("G20",)),
    ("N05", ("F20.0",)),
    ("N06", ("F32.1",)),
    ("L02", ("C50.9", "C61")),
    ("N02", ("M54.5",)),
    ("M01", ("M17.1",)),
    ("M04", ("M10.0",)),
)
_SIGNA = {
    "таблет": "По 1 таблетке {n} раз(а) в день",
    "капсул": "По 1 капсуле {n} раз(а) в день",
    "раствор для подкожного": "Подкожно по схеме, назначенной врачом",
    "аэрозол": "По 1–2 ингаляции {n} раз(а) в день",
    "порошок": "По 1 ингаляции {n} раз(а) в день",
    "лиофилизат": "Внутривенно по схеме, назначенной врачом",
    "концентрат": "Внутривенно капельно по схеме, назначенной врачом",
}
_CANCEL_REASONS = (
    "Изменение схемы лечения",
    "Ошибка в реквизитах рецепта: выписан повторно",
    "Назначен препарат другой дозировки",
)


@dataclass(frozen=True)
class Person:
    beneficiary_id: uuid.UUID
    person_id: uuid.UUID
    identity: Identity
    entitlements: tuple[tuple[str, date, date | None], ...]  # category, from, to
    diagnoses: tuple[str, ...]
    refused_years: frozenset[int]
    record: str  # the medical record number at the MO

    def categories_on(self, day: date) -> list[str]:
        found = []
        for code, start, end in self.entitlements:
            if start <= day and (end is None or day <= end):
                category = BY_CODE.get(code)
                if category is None:
                    continue
                if category.in_kind_refusable and day.year in self.refused_years:
                    continue
                found.append(code)
        return found


@dataclass
class Draft:
    """A prescription being built (the row) and what happens to it."""

    row: dict[str, Any]
    person: Person
    drug: DemoDrug
    mo_code: str  # the register code (990001)
    attempt_at: datetime | None = None
    cancel_at: datetime | None = None
    outcome: str = "issued"
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def id(self) -> uuid.UUID:
        value: uuid.UUID = self.row["id"]
        return value


def series_of(mo_code: str) -> str:
    return rules.PrescriptionNumber(REGION_CODE, mo_code[-5:], 1).series


def diagnosis_for(rng: random.Random, person: Person, category: str, drug: DemoDrug) -> str | None:
    prefixes = BY_CODE[category].icd10
    if prefixes:
        fitting = [d for d in person.diagnoses if any(d.upper().startswith(p) for p in prefixes)]
        return rng.choice(fitting) if fitting else None
    for prefix, codes in _ATC_DIAGNOSIS:
        if drug.atc.startswith(prefix):
            return rng.choice(codes)
    return "Z76.0"


def drugs_for(category: str) -> list[DemoDrug]:
    listed = [d for d in DEMO_DRUGS if BY_CODE[category].drug_list in d.lists]
    atc = _CATEGORY_ATC.get(category)
    if atc:
        listed = [d for d in listed if d.atc.startswith(atc)]
    return listed


def signa(rng: random.Random, drug: DemoDrug) -> str:
    for key, text in _SIGNA.items():
        if key in drug.dosage_form:
            return text.format(n=rng.choice((1, 2, 3)))
    return "По назначению врача"


def doctors_of(mo_code: str) -> list[tuple[str, str]]:
    if mo_code in _DOCTORS:
        return _DOCTORS[mo_code]
    n = int(mo_code[-2:])
    return [(f"demo:doctor:{mo_code}:{k}", _DOCTOR_NAMES[(n * 3 + k) % len(_DOCTOR_NAMES)]) for k in (1, 2)]


def draft(
    rng: random.Random,
    *,
    mo_code: str,
    person: Person,
    category: str,
    drug: DemoDrug,
    diagnosis: str,
    day: date,
    quantity: int,
    doctor: tuple[str, str],
    form: rules.PrescriptionForm | None = None,
) -> Draft:
    cat = BY_CODE[category]
    basis = (
        rules.ValidityBasis.PENSIONER_DISABLED_CHRONIC
        if category in CHRONIC or category.startswith("vzn")
        else rules.ValidityBasis.STANDARD
    )
    form = form or (
        rules.PrescriptionForm.PREFERENTIAL_MACHINE_READABLE
        if rng.random() < 0.2
        else rules.PrescriptionForm.PREFERENTIAL
    )
    written = at(day, rng.randint(8, 17), rng.randint(0, 59))
    row: dict[str, Any] = {
        "id": uuid.UUID(int=rng.getrandbits(128), version=4),
        "form": form.value,
        "series": series_of(mo_code),
        "number": 0,  # in issue order, later
        "mo_id": org_id("mo", mo_code),
        "mo_code": mo_code[-5:],  # the MO's five digits of the series, as prescriptions/service.py keeps it
        "doctor_subject": doctor[0],
        "doctor_name": doctor[1],
        "person_id": person.person_id,
        "beneficiary_id": person.beneficiary_id,
        "category_code": category,
        "funding_source": cat.funding_source,
        "discount_percent": cat.discount_percent,
        "diagnosis_code": diagnosis,
        "drug_id": drug.id if rng.random() < 0.5 else None,
        "inn": drug.inn,
        "dosage_form": drug.dosage_form,
        "dosage": drug.dosage,
        "quantity": quantity,
        "signa": signa(rng, drug),
        "issued_on": day,
        "validity_basis": basis.value,
        "valid_until": rules.valid_until(day, form, basis),
        "pharmacy_id": None,
        "status": "issued",
        "cancelled_at": None,
        "cancel_reason": None,
        "patient_full_name": person.identity.full_name,
        "patient_birth_date": person.identity.birth_date,
        "patient_snils": person.identity.snils,
        "patient_policy_number": person.identity.policy_number,
        "medical_record_number": person.record,
        "barcode": None,
        "created_at": written,
        "updated_at": written,
    }
    return Draft(row, person, drug, mo_code)


def history(rng: random.Random, persons_by_mo: dict[str, list[Person]], today: date) -> list[Draft]:
    """The prescriptions of the last ``MONTHS`` months, per MO (a fixed number for the demo MO,
    so the browser test's numbers after them are known)."""
    drafts: list[Draft] = []
    days = MONTHS * 30
    for mo_code in MO_CODES:
        persons = persons_by_mo.get(mo_code, [])
        if not persons:
            continue
        slots = DEMO_MO_HISTORY if mo_code == DEMO_MO_CODE else 6 * len(persons)
        doctors = doctors_of(mo_code)
        for k in range(slots):
            slot = random.Random(f"{rng.random()}:{mo_code}:{k}")  # noqa: S311 (demo data)
            made = None
            day = today - timedelta(days=slot.randint(1, days))
            for i in range(len(persons)):
                person = persons[(k + i) % len(persons)]
                made = _try(slot, mo_code, person, day, doctors)
                if made is not None:
                    break
            if made is None and mo_code == DEMO_MO_CODE:  # the demo patient is entitled lately
                made = _try(slot, mo_code, persons[0], today - timedelta(days=slot.randint(1, 28)), doctors)
            if made is not None:
                drafts.append(made)
    return drafts


def _try(
    rng: random.Random, mo_code: str, person: Person, day: date, doctors: list[tuple[str, str]]
) -> Draft | None:
    categories = person.categories_on(day)
    rng.shuffle(categories)
    for category in categories:
        drugs = drugs_for(category)
        if not drugs:
            continue
        drug = rng.choice(drugs)
        diagnosis = diagnosis_for(rng, person, category, drug)
        if diagnosis is None:
            continue
        quantity = rng.choice((1, 1, 2)) if "vzn" in drug.lists else rng.choice((1, 2, 2, 3))
        return draft(
            rng,
            mo_code=mo_code,
            person=person,
            category=category,
            drug=drug,
            diagnosis=diagnosis,
            day=day,
            quantity=quantity,
            doctor=rng.choice(doctors),
        )
    return None


def number(drafts: list[Draft]) -> dict[str, int]:
    """Numbers consecutive per series in issue order; the last number of each series."""
    last: dict[str, int] = {}
    for d in sorted(drafts, key=lambda d: (d.row["issued_on"], d.row["created_at"], d.row["series"])):
        series = d.row["series"]
        last[series] = last.get(series, 0) + 1
        d.row["number"] = last[series]
        if d.row["form"] == rules.PrescriptionForm.PREFERENTIAL_MACHINE_READABLE.value:
            d.row["barcode"] = barcode_text(series, last[series])
    return last


@dataclass
class Outcomes:
    dispenses: list[dict[str, Any]] = field(default_factory=list)
    items: list[dict[str, Any]] = field(default_factory=list)
    reports: list[dict[str, Any]] = field(default_factory=list)
    deferred: list[dict[str, Any]] = field(default_factory=list)
    reservations: list[dict[str, Any]] = field(default_factory=list)


def live(
    rng: random.Random,
    drafts: list[Draft],
    book: StockBook,
    attached: dict[str, list[str]],
    today: date,
    now: datetime,
) -> Outcomes:
    """What happened to each prescription, against the stock in time order."""
    out = Outcomes()
    for d in drafts:
        issued: date = d.row["issued_on"]
        age = (today - issued).days
        roll = rng.random()
        if roll < 0.04:
            d.cancel_at = at(min(issued + timedelta(days=rng.randint(0, 4)), today), rng.randint(9, 17))
            continue
        if age <= 7 and roll < 0.45:
            continue  # not yet taken to a pharmacy
        if roll > 0.97:
            continue  # never taken to a pharmacy
        delay = rng.choice((0, 0, 1, 1, 2, 3, 5, 7))
        moment = at(
            issued + timedelta(days=min(delay, max(age - 1, 0))), rng.randint(9, 19), rng.randint(0, 59)
        )
        moment = max(moment, d.row["created_at"] + timedelta(minutes=rng.randint(20, 90)))
        d.attempt_at = min(moment, now - timedelta(minutes=30))
    for d in sorted((d for d in drafts if d.attempt_at is not None), key=lambda d: d.attempt_at or now):
        if d.attempt_at is None:
            continue
        moment = d.attempt_at
        mo_code = d.mo_code
        pharmacies = list(attached[mo_code])
        rng.shuffle(pharmacies)
        item = d.drug.item
        served = False
        for code in pharmacies:
            found = book.candidates(code, item, d.row["funding_source"], moment, d.row["quantity"])
            if found:
                _dispense(rng, d, found[0], book, out, moment)
                served = True
                break
        if served:
            continue
        lacking = [c for c in pharmacies if not book.holds(c, item)] or pharmacies
        if rng.random() < 0.6:
            requested = moment.astimezone(REGION_TZ).date()
            kind = rules.DeferredServiceKind.PREFERENTIAL
            d.outcome = "deferred"
            d.row["pharmacy_id"] = org_id("pharmacy", lacking[0])
            out.deferred.append(
                {
                    "prescription_id": d.id,
                    "pharmacy_id": org_id("pharmacy", lacking[0]),
                    "kind": kind.value,
                    "requested_on": requested,
                    "deadline": rules.deferred_service_deadline(requested, kind),
                    "status": "waiting",
                    "reservation_id": None,
                    "served_on": None,
                    "registered_by": f"demo:pharmacist:{lacking[0]}",
                    "registered_at": moment,
                }
            )
    _reserve(rng, drafts, book, attached, out, today, now)
    for d in drafts:
        if d.cancel_at is not None:
            d.row.update(
                status="cancelled",
                cancelled_at=d.cancel_at,
                cancel_reason=rng.choice(_CANCEL_REASONS),
                updated_at=d.cancel_at,
            )
        elif d.outcome in ("dispensed", "deferred"):
            d.row["status"] = d.outcome
        elif d.row["valid_until"] < today:
            d.row["status"] = "expired"
    return out


def _dispense(
    rng: random.Random,
    d: Draft,
    batch: Batch,
    book: StockBook,
    out: Outcomes,
    moment: datetime,
    reservation_id: uuid.UUID | None = None,
) -> None:
    dispense_id = uuid.UUID(int=rng.getrandbits(128), version=4)
    designation = rules.PrescriptionNumber(REGION_CODE, d.row["mo_code"], d.row["number"]).format()
    pharmacist = f"demo:pharmacist:{batch.pharmacy_code}"
    given = book.dispense(
        batch,
        d.row["quantity"],
        moment,
        dispense_id=dispense_id,
        prescription_id=d.id,
        document=f"Рецепт {designation}",
        booked_by=pharmacist,
        reservation_id=reservation_id,
    )
    amount = batch.price * len(given)
    out.dispenses.append(
        {
            "id": dispense_id,
            "prescription_id": d.id,
            "pharmacy_id": batch.pharmacy_id,
            "mo_id": d.row["mo_id"],
            "pharmacist_subject": pharmacist,
            "dispensed_at": moment,
            "quantity": len(given),
            "amount": amount,
            "funding_source": batch.funding,
            "drug_id": batch.drug.id,
        }
    )
    out.items.extend(
        {
            "id": uuid.UUID(int=rng.getrandbits(128), version=4),
            "dispense_id": dispense_id,
            "batch_id": batch.id,
            "sgtin": sgtin,
            "unit_price": batch.price,
        }
        for sgtin in given
    )
    document = render(
        DisposalDocument(
            operation="dispense_by_prescription",
            subject_id=subject_id_of(batch.pharmacy_code, batch.pharmacy_id),
            operation_date=moment,
            lines=[PackageLine(s) for s in given],
            doc_date=d.row["issued_on"],
            doc_series=d.row["series"],
            doc_num=str(d.row["number"]),
        )
    )
    answered = moment + timedelta(minutes=rng.randint(2, 40))
    out.reports.append(
        {
            "id": uuid.UUID(int=rng.getrandbits(128), version=4),
            "idempotency_key": f"dispense_by_prescription-{dispense_id}",
            "operation": "dispense_by_prescription",
            "pharmacy_id": batch.pharmacy_id,
            "dispense_id": dispense_id,
            "sgtins": given,
            "document": document,
            "status": "accepted",
            "attempts": 1,
            "external_id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
            "error": None,
            "details": {"prescription_id": str(d.id), "demo": True},
            "created_at": moment,
            "sent_at": moment + timedelta(minutes=1),
            "answered_at": answered,
        }
    )
    d.outcome = "dispensed"
    d.row["pharmacy_id"] = batch.pharmacy_id
    d.row["updated_at"] = moment


def _reserve(
    rng: random.Random,
    drafts: list[Draft],
    book: StockBook,
    attached: dict[str, list[str]],
    out: Outcomes,
    today: date,
    now: datetime,
) -> None:
    """Active reservations for a few open prescriptions of the last days (one lapsing soon)."""
    open_recent = [
        d
        for d in drafts
        if d.cancel_at is None
        and d.outcome == "issued"
        and d.row["valid_until"] >= today
        and (today - d.row["issued_on"]).days <= 7
    ]
    rng.shuffle(open_recent)
    made = 0
    for d in open_recent:
        if made >= 6:
            break
        for code in attached[d.mo_code]:
            found = book.candidates(code, d.drug.item, d.row["funding_source"], now, d.row["quantity"])
            if not found:
                continue
            reservation_id = uuid.UUID(int=rng.getrandbits(128), version=4)
            created = now - timedelta(hours=rng.randint(2, 60))
            expires = now + timedelta(hours=2) if made == 0 else created + timedelta(days=3)
            book.reserve(found[0], d.row["quantity"], reservation_id, created)
            out.reservations.append(
                {
                    "id": reservation_id,
                    "prescription_id": d.id,
                    "pharmacy_id": found[0].pharmacy_id,
                    "batch_id": found[0].id,
                    "quantity": d.row["quantity"],
                    "status": "active",
                    "expires_at": expires,
                    "created_by": f"demo:pharmacist:{code}",
                    "created_at": created,
                    "closed_at": None,
                    "closed_reason": None,
                }
            )
            d.row["pharmacy_id"] = found[0].pharmacy_id
            made += 1
            break
