"""The checks at dispensing (issue 7 «Checks at dispensing»; seed: «При регистрации факта
отпуска товаров по рецепту проверка…»), each a :class:`Violation` with a machine-readable
``code`` and a Russian ``message`` naming what failed. All violations are collected, not only
the first: the pharmacist (and the medico-economic control's expertise act) sees every one.

- :func:`prescription_violations` — the prescription itself on a date: required fields present,
  within validity (deferred service extends it), unique by series + number, the dispensed drug
  matches the prescribed МНН/form/dosage and quantity, the person alive and entitled on that
  date, the drug's NSI entry valid on that date. Re-run as a batch by the medico-economic
  control (``pharmacy/control``) over dispensed prescriptions, so it does NOT look at the
  prescription's status; :func:`state_violations` does (already dispensed, cancelled).
- :func:`package_violations` — one scanned package against this pharmacy's stock: known,
  in stock (not dispensed, not written off), not expired, of a drug of the prescribed
  МНН/form/dosage.

No audit rows here: a caller that reads a person's data through these checks audits it
(the dispense: one row per dispense; the control: ``audit_access_many`` for its batch)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from pharmacy.beneficiaries.schemas import EntitlementAnswer
from pharmacy.beneficiaries.service import entitlement_on
from pharmacy.dispensing import repository
from pharmacy.models import Drug, MarkedPackage, Prescription, StockBatch
from pharmacy.prescriptions import rules


@dataclass(frozen=True, slots=True)
class Violation:
    """A failed check: ``code`` (``expired``, ``inn_mismatch``…) and the Russian message."""

    code: str
    message: str
    field: str | None = None  # the request field at fault (``codes[2]``), when one is

    def as_error(self) -> dict[str, Any]:
        """The entry of the problem's ``errors`` list."""
        return {"field": self.field or self.code, "message": self.message, "type": self.code}


# Codes (the stable names the SPA, the expertise act and the tests use).
MISSING_FIELDS = "missing_fields"
UNKNOWN_FORM = "unknown_form"
NOT_YET_VALID = "not_yet_valid"
EXPIRED = "expired"
DUPLICATE_NUMBER = "duplicate_number"
INN_MISMATCH = "inn_mismatch"
FORM_MISMATCH = "form_mismatch"
DOSAGE_MISMATCH = "dosage_mismatch"
QUANTITY_MISMATCH = "quantity_mismatch"
PERSON_DEAD = "person_dead"
NOT_ENTITLED = "not_entitled"
NOT_ON_DRUG_LIST = "not_on_drug_list"
NSI_INVALID = "nsi_invalid"
ALREADY_DISPENSED = "already_dispensed"
CANCELLED = "cancelled"
NOT_MARKING_CODE = "not_marking_code"
UNKNOWN_GTIN = "unknown_gtin"
CODE_NOT_IN_STOCK = "code_not_in_stock"
CODE_NOT_IN_PHARMACY = "code_not_in_pharmacy"
CODE_DISPENSED = "code_dispensed"
CODE_WRITTEN_OFF = "code_written_off"
CODE_RESERVED = "code_reserved"
CODE_EXPIRED = "code_expired"
FUNDING_MISMATCH = "funding_mismatch"
CODE_DUPLICATE = "code_duplicate"
GTIN_MISMATCH = "gtin_mismatch"
BATCH_NOT_IN_STOCK = "batch_not_in_stock"
STOCK_INSUFFICIENT = "stock_insufficient"
MARKED_NEEDS_CODES = "marked_needs_codes"

# Fields of the form kept on the prescription row, by the name rules.missing_fields uses. A
# required field the data model does not keep at all (the patient's medical record number,
# the patient's name when it lives in the registry) is not judged here; a kept one that is
# blank is reported.
_OPTIONAL_COLUMNS = {
    "patient_full_name": "patient_full_name",
    "patient_birth_date": "patient_birth_date",
    "snils": "patient_snils",
    "policy_number": "patient_policy_number",
    "medical_record_number": "medical_record_number",
    "barcode": "barcode",
}


def designation(p: Prescription) -> str:
    """``серия 7701234 № 0000123`` as the messages name a prescription."""
    return f"серия {p.series} № {p.number:0{rules.NUMBER_WIDTH}d}"


def same_text(a: str | None, b: str | None) -> bool:
    """МНН, forms and dosages compared as people write them: case, ``ё``/``е`` and runs of
    spaces do not matter."""

    def norm(s: str | None) -> str:
        return " ".join((s or "").casefold().replace("ё", "е").split())

    return norm(a) == norm(b)


def _form_values(p: Prescription) -> dict[str, object]:
    values: dict[str, object] = {
        "mo_code": p.mo_code,
        "series": p.series,
        "number": p.number,
        "issued_on": p.issued_on,
        "category_code": p.category_code,
        "diagnosis_code": p.diagnosis_code,
        "funding_source": p.funding_source,
        "payment_percent": p.discount_percent,
        "doctor_full_name": p.doctor_name,
        "drug_inn": p.inn,
        "dosage_form": p.dosage_form,
        "dosage": p.dosage,
        "quantity": p.quantity,
        "usage": p.signa,
        "validity_days": (p.valid_until - p.issued_on).days if p.valid_until and p.issued_on else None,
    }
    for field, column in _OPTIONAL_COLUMNS.items():
        if hasattr(Prescription, column):
            values[field] = getattr(p, column)
    return values


def field_violations(p: Prescription) -> list[Violation]:
    """Required fields of the prescription's form present (rules.missing_fields)."""
    try:
        form = rules.PrescriptionForm(p.form)
    except ValueError:
        return [Violation(UNKNOWN_FORM, f"Неизвестная форма рецептурного бланка «{p.form}»")]
    try:
        basis: rules.ValidityBasis | None = rules.ValidityBasis(p.validity_basis)
    except ValueError:
        basis = None
    values = _form_values(p)
    missing = [f for f in rules.missing_fields(form, values, basis) if f.name in values]
    if not missing:
        return []
    names = ", ".join(f.title for f in missing)
    return [Violation(MISSING_FIELDS, f"В рецепте не заполнены обязательные реквизиты: {names}")]


def validity_violations(p: Prescription, on: date, deferred_since: date | None) -> list[Violation]:
    """Within validity on ``on`` (rules.is_valid_on; accepted for deferred service while valid
    — served after the term too)."""
    if on < p.issued_on:
        return [
            Violation(
                NOT_YET_VALID, f"Рецепт выписан {p.issued_on:%d.%m.%Y}, позже даты отпуска {on:%d.%m.%Y}"
            )
        ]
    if rules.is_valid_on(p.issued_on, p.valid_until, on, deferred_since=deferred_since):
        return []
    return [
        Violation(
            EXPIRED,
            f"Срок действия рецепта истёк {p.valid_until:%d.%m.%Y} (выписан {p.issued_on:%d.%m.%Y}); "
            "на отсроченное обслуживание он не ставился",
        )
    ]


def item_violations(p: Prescription, drug: Drug | None, quantity: int | None) -> list[Violation]:
    """The dispensed drug is of the prescribed МНН, form and dosage; the quantity as prescribed."""
    found: list[Violation] = []
    if drug is not None:
        if not same_text(drug.inn, p.inn):
            found.append(
                Violation(INN_MISMATCH, f"МНН препарата «{drug.inn}» не совпадает с выписанным «{p.inn}»")
            )
        if not same_text(drug.dosage_form, p.dosage_form):
            found.append(
                Violation(
                    FORM_MISMATCH,
                    f"Лекарственная форма «{drug.dosage_form}» не совпадает с выписанной «{p.dosage_form}»",
                )
            )
        if not same_text(drug.dosage, p.dosage):
            found.append(
                Violation(
                    DOSAGE_MISMATCH, f"Дозировка «{drug.dosage}» не совпадает с выписанной «{p.dosage}»"
                )
            )
    if quantity is not None and quantity != p.quantity:
        found.append(
            Violation(
                QUANTITY_MISMATCH,
                f"Отпускается {quantity} уп., а выписано {p.quantity} уп.: "
                "отпуск только в выписанном количестве",
            )
        )
    return found


def nsi_violations(drug: Drug | None, on: date) -> list[Violation]:
    """The drug's NSI entry is valid on ``on``."""
    if drug is None:
        return []
    if drug.valid_from <= on and (drug.valid_to is None or on <= drug.valid_to):
        return []
    period = f"с {drug.valid_from:%d.%m.%Y}" + (f" по {drug.valid_to:%d.%m.%Y}" if drug.valid_to else "")
    return [
        Violation(
            NSI_INVALID,
            f"Запись справочника о препарате «{drug.trade_name}» не действует на {on:%d.%m.%Y} "
            f"(действует {period})",
        )
    ]


@dataclass(frozen=True, slots=True)
class PrescriptionFacts:
    """What :func:`prescription_violations_from` needs beside the prescription: the day it was
    accepted for deferred service (not cancelled), whether another prescription has its series
    and number, the person's entitlement on the day (``entitlement_on``/``entitlement_from``),
    and the drug lists the dispensed drug is on (linked to it or by its МНН; ``None`` without a
    drug). The dispense reads them all in one statement; :func:`prescription_violations`
    reads them one by one."""

    deferred_since: date | None
    number_taken: bool
    entitlement: EntitlementAnswer
    drug_lists: frozenset[str] | None = None


def person_violations_from(
    p: Prescription, on: date, drug: Drug | None, answer: EntitlementAnswer, drug_lists: frozenset[str] | None
) -> list[Violation]:
    """The person is alive and entitled on ``on`` by the prescription's category (and its
    diagnosis), and the drug is on that category's drug list (``drug_lists``: the lists the
    drug is on)."""
    dead = [r for r in answer.reasons if r.reason == "dead"]
    if dead:
        return [Violation(PERSON_DEAD, dead[0].message)]
    granted = {c.code: c for c in answer.categories}
    category = granted.get(p.category_code)
    if category is None:
        why = [r.message for r in answer.reasons if r.category_code in (None, p.category_code)]
        detail = "; ".join(why) if why else "нет действующей льготы этой категории"
        return [
            Violation(
                NOT_ENTITLED,
                f"Нет права на льготное обеспечение по категории «{p.category_code}» "
                f"на {on:%d.%m.%Y}: {detail}",
            )
        ]
    if drug is not None and category.drug_list_code not in (drug_lists or frozenset()):
        return [
            Violation(
                NOT_ON_DRUG_LIST,
                f"Препарат «{drug.trade_name}» ({drug.inn}) не входит в перечень «{category.drug_list_code}» "
                f"категории «{category.name}»",
            )
        ]
    return []


async def _drug_lists(
    session: AsyncSession, p: Prescription, drug: Drug | None, answer: EntitlementAnswer
) -> frozenset[str] | None:
    """Of the lists the drug is on, the one that matters: the prescription's granted category's."""
    category = next((c for c in answer.categories if c.code == p.category_code), None)
    if drug is None or category is None:
        return None
    linked = await repository.drug_on_list(session, category.drug_list_code, drug.id, drug.inn)
    return frozenset({category.drug_list_code}) if linked else frozenset()


async def person_violations(
    session: AsyncSession, p: Prescription, on: date, drug: Drug | None
) -> list[Violation]:
    """:func:`person_violations_from` with the entitlement and the drug's list read here."""
    answer = await entitlement_on(session, p.person_id, on, diagnosis=p.diagnosis_code)
    return person_violations_from(p, on, drug, answer, await _drug_lists(session, p, drug, answer))


def prescription_violations_from(
    p: Prescription,
    *,
    on: date,
    facts: PrescriptionFacts,
    drug: Drug | None = None,
    quantity: int | None = None,
) -> list[Violation]:
    """Every check of the prescription on ``on`` decided from the facts (no I/O)."""
    found = field_violations(p)
    found += validity_violations(p, on, facts.deferred_since)
    if facts.number_taken:
        found.append(
            Violation(
                DUPLICATE_NUMBER,
                f"Рецепт {designation(p)} не уникален: есть другой с теми же серией и номером",
            )
        )
    found += item_violations(p, drug, quantity)
    found += nsi_violations(drug, on)
    found += person_violations_from(p, on, drug, facts.entitlement, facts.drug_lists)
    return found


async def prescription_violations(
    session: AsyncSession,
    prescription: Prescription,
    *,
    on: date,
    drug: Drug | None = None,
    quantity: int | None = None,
) -> list[Violation]:
    """Every check of the prescription on ``on`` (see the module docstring), against the
    dispensed ``drug`` and ``quantity`` when given. The status (already dispensed, cancelled) is
    :func:`state_violations`'. Reads the facts, then :func:`prescription_violations_from`."""
    p = prescription
    # the deferral matters only past the term (it extends validity)
    deferred_since = await repository.deferred_since(session, p.id) if on > p.valid_until else None
    taken = await repository.number_taken_by_another(session, p.series, p.number, p.id)
    answer = await entitlement_on(session, p.person_id, on, diagnosis=p.diagnosis_code)
    facts = PrescriptionFacts(deferred_since, taken, answer, await _drug_lists(session, p, drug, answer))
    return prescription_violations_from(p, on=on, facts=facts, drug=drug, quantity=quantity)


def state_violations_from(p: Prescription, dispensed_at: datetime | None) -> list[Violation]:
    """The prescription may still be dispensed: not dispensed already (``dispensed_at``: when
    its dispense was made, if one is known), not cancelled."""
    if p.status == "dispensed" and dispensed_at is not None:
        return [
            Violation(
                ALREADY_DISPENSED,
                f"По рецепту {designation(p)} уже отпущено {_local(dispensed_at):%d.%m.%Y}",
            )
        ]
    if p.status == "cancelled":
        return [
            Violation(
                CANCELLED, f"Рецепт {designation(p)} аннулирован: {p.cancel_reason or 'причина не указана'}"
            )
        ]
    if p.status == "dispensed":
        return [Violation(ALREADY_DISPENSED, f"По рецепту {designation(p)} уже отпущено")]
    return []


async def state_violations(session: AsyncSession, prescription: Prescription) -> list[Violation]:
    """The prescription may still be dispensed: not dispensed already, not cancelled."""
    p = prescription
    # a dispense makes the prescription ``dispensed`` in the same transaction
    done = await repository.dispense_of(session, p.id) if p.status == "dispensed" else None
    return state_violations_from(p, done.dispensed_at if done is not None else None)


def _local(moment: datetime) -> datetime:
    return moment.astimezone() if moment.tzinfo else moment


def package_violations(
    sgtin: str,
    package: MarkedPackage | None,
    batch: StockBatch | None,
    *,
    pharmacy_id: uuid.UUID,
    on: date,
    reservation_ids: frozenset[uuid.UUID] = frozenset(),
    dispensed: tuple[date, str] | None = None,
    funding_source: str | None = None,
) -> list[Violation]:
    """One scanned package against the pharmacy's stock: known here, in stock (or reserved for
    this prescription: ``reservation_ids``), not expired, bought from the prescription's budget
    (``funding_source``; none — not checked, a scan without a prescription). ``dispensed`` — the
    day and the prescription designation of its dispense, for the message."""
    if package is None or batch is None:
        return [Violation(CODE_NOT_IN_STOCK, f"Код маркировки {sgtin} не числится в остатках аптеки")]
    if package.pharmacy_id != pharmacy_id:
        return [Violation(CODE_NOT_IN_PHARMACY, f"Упаковка {sgtin} числится в другой аптеке, не в этой")]
    if package.status == "dispensed":
        when = (
            f": отпущена {dispensed[0]:%d.%m.%Y} по рецепту {dispensed[1]}" if dispensed is not None else ""
        )
        return [Violation(CODE_DISPENSED, f"Код маркировки уже выбыт{when} ({sgtin})")]
    if package.status in {"written_off", "returned", "transferred"}:
        what = {"written_off": "списана", "returned": "возвращена поставщику", "transferred": "перемещена"}
        return [Violation(CODE_WRITTEN_OFF, f"Упаковка {sgtin} {what[package.status]}: её нет в остатках")]
    if package.status == "reserved" and package.reservation_id not in reservation_ids:
        return [Violation(CODE_RESERVED, f"Упаковка {sgtin} забронирована под другой рецепт")]
    if batch.expiry_date < on:
        return [
            Violation(
                CODE_EXPIRED,
                f"Срок годности упаковки {sgtin} (серия {batch.series}) истёк {batch.expiry_date:%d.%m.%Y}",
            )
        ]
    return funding_violations(f"Упаковка {sgtin}", batch, funding_source)


_BUDGET = {"federal": "федерального бюджета", "regional": "регионального бюджета"}


def funding_violations(what: str, batch: StockBatch, funding_source: str | None) -> list[Violation]:
    """Stock bought for one budget's beneficiaries is not given on another's prescription: a
    federal (ОНЛС) prescription is served from federal stock, a regional one from regional."""
    if funding_source is None or batch.funding_source == funding_source:
        return []
    return [
        Violation(
            FUNDING_MISMATCH,
            f"{what} закуплена за счёт {_BUDGET.get(batch.funding_source, batch.funding_source)}, "
            f"а рецепт выписан за счёт {_BUDGET.get(funding_source, funding_source)}",
        )
    ]
