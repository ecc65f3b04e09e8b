"""Rules of preferential prescriptions (ЛЛО): validity, series and number, required fields and
the deadline of deferred service. Pure functions over data; no database.

Sources (the rule set below is data, each entry names where it comes from):

- Порядок назначения лекарственных препаратов, формы рецептурных бланков, Порядок оформления
  рецептурных бланков (приказ Минздрава России от 24.11.2021 № 1094н, in force since
  1 March 2022; it replaced приказ № 4н of 14.01.2019 as amended by № 1022н of 11.12.2019,
  whose validity terms it kept):

  * a prescription on form 148-1/у-04(л) is valid for 30 days from the day it is written;
  * for citizens who reached the pension age, disabled people of group I, disabled children
    and citizens with chronic diseases needing long courses of treatment it is valid for
    90 days (the course may be prescribed for up to 180 days);
  * narcotic and psychotropic drugs of list II on this form: 15 days;
  * the note «Пациенту с хроническим заболеванием» with a term of up to one year belongs to
    form 107-1/у (the ordinary, non-preferential prescription), not to the (л) forms: it is
    in the table for completeness and refused for the preferential forms;
  * the FRLLO exchange (the federal register of drug benefit) accepts exactly the terms
    15, 30 and 90 days for a drug on a preferential prescription.

- Правила отпуска лекарственных препаратов (приказ Минздрава России от 11.07.2017 № 403н,
  since 1 March 2022 приказ № 1093н of 24.11.2021 with the same terms): when the pharmacy
  cannot dispense, the prescription is accepted for deferred service (отсроченное
  обслуживание) and must be served within 5 working days for a drug of the minimum
  assortment, 10 working days for a preferential prescription, 15 working days for a drug
  prescribed by decision of the medical commission (врачебная комиссия); a prescription
  accepted for deferred service is served even after its own validity has run out.
  (The 10- and 15-day terms and the service beyond validity are confirmed by public summaries
  of 403н; the 5-day term and the carry-over into 1093н should be re-checked against the
  current text when the data model lands.)

Periods in days start on the day after the event (Civil Code art. 191): a 30-day prescription
written on 1 March is valid up to and including 31 March; the 10 working days of deferred
service count from the first working day after the request.

Series and number: 1094н requires a series and a number on the (л) forms; as in the regional
systems, the series here is the code of the subject of the Russian Federation (2 digits)
followed by the MO's code (5 digits), and the number is sequential per MO (see
:class:`PrescriptionNumber`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from pharmacy.prescriptions.production_calendar import add_working_days, working_days_between


class PrescriptionForm(StrEnum):
    """Prescription forms of 1094н the service knows."""

    PREFERENTIAL = "148-1/у-04(л)"
    PREFERENTIAL_MACHINE_READABLE = "148-1/у-06(л)"  # the same prescription with a barcode
    ORDINARY = "107-1/у"


PREFERENTIAL_FORMS = frozenset(
    {PrescriptionForm.PREFERENTIAL, PrescriptionForm.PREFERENTIAL_MACHINE_READABLE}
)


class ValidityBasis(StrEnum):
    """Why a prescription has its term."""

    STANDARD = "standard"
    NARCOTIC_LIST_II = "narcotic_list_ii"
    PENSIONER_DISABLED_CHRONIC = "pensioner_disabled_chronic"
    ORDINARY = "ordinary"
    CHRONIC_UP_TO_YEAR = "chronic_up_to_year"


CHRONIC_NOTE = "Пациенту с хроническим заболеванием"


@dataclass(frozen=True, slots=True)
class ValidityRule:
    """One validity term: ``days`` exactly, or up to ``days`` chosen by the doctor when not fixed."""

    basis: ValidityBasis
    days: int
    forms: frozenset[PrescriptionForm]
    title: str
    fixed: bool = True
    note: str | None = None  # a mark the prescription must carry for this term


VALIDITY_RULES: dict[ValidityBasis, ValidityRule] = {
    rule.basis: rule
    for rule in (
        ValidityRule(ValidityBasis.STANDARD, 30, PREFERENTIAL_FORMS, "30 дней"),
        ValidityRule(
            ValidityBasis.NARCOTIC_LIST_II,
            15,
            PREFERENTIAL_FORMS,
            "15 дней: наркотические и психотропные препараты списка II",
        ),
        ValidityRule(
            ValidityBasis.PENSIONER_DISABLED_CHRONIC,
            90,
            PREFERENTIAL_FORMS,
            "90 дней: пенсионеры, инвалиды I группы, дети-инвалиды, хронические больные",
        ),
        ValidityRule(ValidityBasis.ORDINARY, 60, frozenset({PrescriptionForm.ORDINARY}), "60 дней"),
        ValidityRule(
            ValidityBasis.CHRONIC_UP_TO_YEAR,
            365,
            frozenset({PrescriptionForm.ORDINARY}),
            "до одного года: пациенту с хроническим заболеванием",
            fixed=False,
            note=CHRONIC_NOTE,
        ),
    )
}


class PrescriptionRuleError(ValueError):
    """A prescription breaks a rule; the message (Russian) names it."""


def validity_days(form: PrescriptionForm, basis: ValidityBasis, term_days: int | None = None) -> int:
    """The term of a prescription in days (``term_days`` for the terms the doctor chooses)."""
    rule = VALIDITY_RULES[basis]
    if form not in rule.forms:
        raise PrescriptionRuleError(f"Срок «{rule.title}» не применяется к рецепту формы {form.value}")
    if rule.fixed:
        if term_days is not None and term_days != rule.days:
            raise PrescriptionRuleError(f"Срок действия по этому основанию — ровно {rule.days} дней")
        return rule.days
    if term_days is None or not 1 <= term_days <= rule.days:
        raise PrescriptionRuleError(f"Срок действия нужно указать: от 1 до {rule.days} дней")
    return term_days


def valid_until(
    issued_on: date, form: PrescriptionForm, basis: ValidityBasis, term_days: int | None = None
) -> date:
    """The last day the prescription is valid (inclusive)."""
    return issued_on + timedelta(days=validity_days(form, basis, term_days))


def is_valid_on(issued_on: date, until: date, day: date, *, deferred_since: date | None = None) -> bool:
    """The prescription may be dispensed on ``day``: within its term, or accepted for deferred
    service while it was valid (then it is served after its term too)."""
    if day < issued_on:
        return False
    if deferred_since is not None and issued_on <= deferred_since <= until:
        return True
    return day <= until


# --- series and number -------------------------------------------------------------------

NUMBER_WIDTH = 7
_DESIGNATION = re.compile(
    r"^\s*(?:серия\s*)?(?P<region>\d{2})[\s-]?(?P<mo>\d{5})\s*[\s/№]\s*(?:№\s*|N\s*)?(?P<number>\d{1,13})\s*$",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True, order=True)
class PrescriptionNumber:
    """Series (region code + MO code) and the number sequential per MO; unique together."""

    region_code: str
    mo_code: str
    number: int

    def __post_init__(self) -> None:
        if not (len(self.region_code) == 2 and self.region_code.isascii() and self.region_code.isdigit()):
            raise PrescriptionRuleError("Код субъекта РФ в серии рецепта — две цифры")
        if not (len(self.mo_code) == 5 and self.mo_code.isascii() and self.mo_code.isdigit()):
            raise PrescriptionRuleError("Код медицинской организации в серии рецепта — пять цифр")
        if self.number < 1:
            raise PrescriptionRuleError("Номер рецепта — положительное число")

    @property
    def series(self) -> str:
        """``RRMMMMM``: the region's two digits and the MO's five."""
        return self.region_code + self.mo_code

    @property
    def number_text(self) -> str:
        return f"{self.number:0{NUMBER_WIDTH}d}"

    def format(self) -> str:
        """``Серия 7701234 № 0000123``: the designation printed on the form."""
        return f"Серия {self.series} № {self.number_text}"

    def next(self) -> PrescriptionNumber:
        """The next number of the same MO."""
        return PrescriptionNumber(self.region_code, self.mo_code, self.number + 1)

    @classmethod
    def first(cls, region_code: str, mo_code: str) -> PrescriptionNumber:
        return cls(region_code, mo_code, 1)

    @classmethod
    def parse(cls, text: str) -> PrescriptionNumber:
        """Read a designation as people type it: ``Серия 7701234 № 0000123``,
        ``77-01234 №123``, ``7701234 0000123``, ``7701234/123``."""
        match = _DESIGNATION.match(text)
        if match is None:
            raise PrescriptionRuleError(
                f"Не удалось прочитать серию и номер рецепта «{text.strip()}»: "
                "ожидается «Серия 7701234 № 0000123»"
            )
        return cls(match["region"], match["mo"], int(match["number"]))


# --- required fields -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class RequiredField:
    name: str
    title: str


_PREFERENTIAL_FIELDS = (
    RequiredField("mo_code", "код медицинской организации"),
    RequiredField("series", "серия рецепта"),
    RequiredField("number", "номер рецепта"),
    RequiredField("issued_on", "дата выписки"),
    RequiredField("category_code", "код категории граждан"),
    RequiredField("diagnosis_code", "код нозологической формы по МКБ-10"),
    RequiredField("funding_source", "источник финансирования"),
    RequiredField("payment_percent", "процент оплаты (бесплатно или 50 %)"),
    RequiredField("patient_full_name", "Ф.И.О. пациента"),
    RequiredField("patient_birth_date", "дата рождения пациента"),
    RequiredField("snils", "СНИЛС"),
    RequiredField("policy_number", "номер полиса ОМС"),
    RequiredField("medical_record_number", "номер медицинской карты"),
    RequiredField("doctor_full_name", "Ф.И.О. лечащего врача"),
    RequiredField("drug_inn", "наименование лекарственного препарата (МНН)"),
    RequiredField("dosage_form", "лекарственная форма"),
    RequiredField("dosage", "дозировка"),
    RequiredField("quantity", "количество"),
    RequiredField("usage", "способ применения"),
    RequiredField("validity_days", "срок действия рецепта"),
)

REQUIRED_FIELDS: dict[PrescriptionForm, tuple[RequiredField, ...]] = {
    PrescriptionForm.PREFERENTIAL: _PREFERENTIAL_FIELDS,
    PrescriptionForm.PREFERENTIAL_MACHINE_READABLE: (
        *_PREFERENTIAL_FIELDS,
        RequiredField("barcode", "штрих-код рецепта"),
    ),
    PrescriptionForm.ORDINARY: (
        RequiredField("issued_on", "дата выписки"),
        RequiredField("patient_full_name", "Ф.И.О. пациента"),
        RequiredField("patient_birth_date", "дата рождения пациента"),
        RequiredField("doctor_full_name", "Ф.И.О. лечащего врача"),
        RequiredField("drug_inn", "наименование лекарственного препарата (МНН)"),
        RequiredField("dosage", "дозировка"),
        RequiredField("quantity", "количество"),
        RequiredField("usage", "способ применения"),
    ),
}


def missing_fields(
    form: PrescriptionForm, values: Mapping[str, object], basis: ValidityBasis | None = None
) -> list[RequiredField]:
    """The required fields of ``form`` absent or blank in ``values`` (in the form's order); the
    chronic-patient note when the term needs it."""
    required = list(REQUIRED_FIELDS[form])
    if basis is not None and (note := VALIDITY_RULES[basis].note) is not None:
        required.append(RequiredField("note", f"пометка «{note}»"))
    return [field for field in required if _blank(values.get(field.name))]


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


# --- deferred service --------------------------------------------------------------------


class DeferredServiceKind(StrEnum):
    MINIMUM_ASSORTMENT = "minimum_assortment"
    PREFERENTIAL = "preferential"
    MEDICAL_COMMISSION = "medical_commission"


DEFERRED_SERVICE_WORKING_DAYS: dict[DeferredServiceKind, int] = {
    DeferredServiceKind.MINIMUM_ASSORTMENT: 5,
    DeferredServiceKind.PREFERENTIAL: 10,
    DeferredServiceKind.MEDICAL_COMMISSION: 15,
}


@dataclass(frozen=True, slots=True)
class DeferredServiceStatus:
    deadline: date
    overdue: bool
    working_days_left: int  # 0 on the deadline and after it


def deferred_service_deadline(requested_on: date, kind: DeferredServiceKind) -> date:
    """The last day to serve a prescription accepted for deferred service on ``requested_on``."""
    return add_working_days(requested_on, DEFERRED_SERVICE_WORKING_DAYS[kind])


def deferred_service_status(
    requested_on: date, kind: DeferredServiceKind, *, today: date, served_on: date | None = None
) -> DeferredServiceStatus:
    """Deadline and overdue flag: served after the deadline, or not served and the deadline passed."""
    deadline = deferred_service_deadline(requested_on, kind)
    reference = served_on if served_on is not None else today
    left = 0 if served_on is not None else working_days_between(today, deadline)
    return DeferredServiceStatus(deadline=deadline, overdue=reference > deadline, working_days_left=left)
