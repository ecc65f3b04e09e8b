"""One row of a register file → a staged person or the row's errors (field, message in Russian).

The rules are those of ``POST /persons`` (registry.person.schemas: name characters and
lengths, dates not in the future, SNILS/ENP check digits, F011 document types, death not
before birth) plus the insurance and attachment rules of their endpoints, checked here
without a query per row: the F011 codes and the organizations come from ``Reference``,
loaded once per job. Uniqueness of SNILS, ENP and documents is checked per batch in SQL."""

from __future__ import annotations

import re
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from oms_kit.identifiers import enp_is_valid, snils_is_valid
from oms_kit.identifiers.snils import digits_of
from registry.person.drafts import document_key
from registry.person.names import normalize_name

# As registry.person.schemas.NamePart and InsuranceIn.policy_number.
NAME_PART = re.compile(r"^[A-Za-zА-Яа-яЁё' .\-]+$")
POLICY_NUMBER = re.compile(r"^[0-9A-Za-zА-Яа-я\-]+$")
SEXES = {"male": "male", "m": "male", "м": "male", "1": "male", "муж": "male", "мужской": "male"} | {
    "female": "female",
    "f": "female",
    "ж": "female",
    "2": "female",
    "жен": "female",
    "женский": "female",
}
METHODS = {"application": "application", "по заявлению": "application", "заявление": "application"} | {
    "territorial": "territorial",
    "территориальный": "territorial",
    "по территориально-участковому принципу": "territorial",
}
EMPLOYMENT = {"working": "working", "работающий": "working"} | {
    "non_working": "non_working",
    "неработающий": "non_working",
}
DAY = timedelta(days=1)


@dataclass(frozen=True)
class Reference:
    """What a row is checked against, loaded once per job."""

    today: date
    document_types: frozenset[str]
    policy_types: frozenset[str]  # F008
    insurers: Mapping[str, uuid.UUID]  # register code and str(id) → id
    mos: Mapping[str, uuid.UUID]


class RowErrors(Exception):
    def __init__(self, errors: list[tuple[str, str]]) -> None:
        super().__init__("; ".join(m for _, m in errors))
        self.errors = errors


class _Row:
    """Reads the cells of one row and collects every error (not only the first)."""

    def __init__(self, cells: Mapping[str, Any], ref: Reference) -> None:
        self.cells = cells
        self.ref = ref
        self.errors: list[tuple[str, str]] = []

    def fail(self, field: str, message: str) -> None:
        self.errors.append((field, message))

    def text(self, field: str, *, max_length: int, min_length: int = 1) -> str | None:
        value = self.cells.get(field)
        if value is None:
            return None
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        text = str(value).strip()
        if not text:
            return None
        if len(text) < min_length or len(text) > max_length:
            self.fail(field, f"Длина должна быть от {min_length} до {max_length} символов")
            return None
        return text

    def name(self, field: str, *, required: bool) -> str | None:
        value = self.text(field, max_length=100)
        if value is None:
            if required:
                self.fail(field, "Обязательное поле не заполнено")
            return None
        if not NAME_PART.match(value):
            self.fail(field, "Допустимы только буквы, пробел, дефис, точка и апостроф")
            return None
        return value

    def day(self, field: str, *, required: bool = False, past: bool = False) -> date | None:
        value = self.cells.get(field)
        if isinstance(value, datetime):
            parsed: date | None = value.date()
        elif isinstance(value, date):
            parsed = value
        else:
            text = str(value).strip() if value is not None else ""
            if not text:
                if required:
                    self.fail(field, "Обязательное поле не заполнено")
                return None
            parsed = _parse_date(text)
            if parsed is None:
                self.fail(field, f"«{text[:20]}» — не дата (ожидается ГГГГ-ММ-ДД или ДД.ММ.ГГГГ)")
                return None
        if past and parsed is not None and parsed > self.ref.today:
            self.fail(field, "Дата не может быть в будущем")
            return None
        return parsed

    def choice(self, field: str, options: Mapping[str, str], title: str) -> str | None:
        value = self.text(field, max_length=60)
        if value is None:
            return None
        found = options.get(value.lower())
        if found is None:
            self.fail(field, f"Недопустимое значение «{value}»: {title}")
        return found

    def organization(self, field: str, known: Mapping[str, uuid.UUID], what: str) -> uuid.UUID | None:
        value = self.text(field, max_length=60)
        if value is None:
            return None
        found = known.get(value) or known.get(value.lower())
        if found is None:
            self.fail(field, f"Не найдена {what} с кодом или идентификатором «{value}»")
        return found

    def needs(self, group: str, fields: Mapping[str, object]) -> None:
        """All of a group's required fields are filled once any field of the group is."""
        for field, value in fields.items():
            if value is None and not any(e[0] == field for e in self.errors):
                self.fail(field, f"Не заполнено, хотя указаны другие сведения группы «{group}»")


def _parse_date(text: str) -> date | None:
    try:
        if len(text) == 10 and text[4] == "-":
            return date.fromisoformat(text)
        if len(text) == 10 and text[2] == "." and text[5] == ".":
            return date(int(text[6:]), int(text[3:5]), int(text[:2]))
        if len(text) == 19 and text[4] == "-":  # 2001-02-03 00:00:00 (a spreadsheet's date cell as text)
            return datetime.fromisoformat(text).date()
    except ValueError:
        return None
    return None


def _end(day: date | None) -> date | None:
    """An inclusive last day as the exclusive upper bound of a ``daterange``."""
    return day + DAY if day is not None else None


def validate_row(
    cells: Mapping[str, Any], ref: Reference, person_id: uuid.UUID, row_no: int
) -> tuple[Any, ...]:
    """The staged tuple (``staging.STAGE_COLUMNS``) of a valid row; ``RowErrors`` otherwise."""
    r = _Row(cells, ref)
    surname = r.name("surname", required=True)
    first_name = r.name("first_name", required=True)
    patronymic = r.name("patronymic", required=False)
    birth = r.day("birth_date", required=True, past=True)
    sex_text = r.text("sex", max_length=20)
    sex = SEXES.get(sex_text.lower()) if sex_text else None
    if sex_text is None:
        r.fail("sex", "Обязательное поле не заполнено")
    elif sex is None:
        r.fail("sex", f"Недопустимое значение «{sex_text}»: male/female, М/Ж или 1/2")
    birth_place = r.text("birth_place", max_length=500)

    snils = r.text("snils", max_length=14)
    if snils is not None:
        snils = snils.zfill(11) if snils.isdigit() else snils
        if not snils_is_valid(snils):
            r.fail("snils", "СНИЛС должен состоять из 11 цифр с верным контрольным числом")
            snils = None
        else:
            snils = digits_of(snils)
    enp = r.text("enp", max_length=16)
    if enp is not None and not enp_is_valid(enp):
        r.fail("enp", "ЕНП должен состоять из 16 цифр с верной контрольной цифрой")
        enp = None

    doc_type = r.text("document_type", max_length=10)
    doc_series = r.text("document_series", max_length=20)
    doc_number = r.text("document_number", max_length=30)
    doc_issue = r.day("document_issue_date", past=True)
    doc_issuer = r.text("document_issuer", max_length=500)
    if doc_type is not None and doc_type not in ref.document_types:
        r.fail("document_type", f"Кода «{doc_type}» нет в справочнике видов документов F011")
    if doc_type or doc_series or doc_number or doc_issue or doc_issuer:
        r.needs(
            "документ",
            {"document_type": doc_type, "document_number": doc_number, "document_issue_date": doc_issue},
        )

    reg = r.text("registration_address", max_length=1000, min_length=3)
    reg_from = r.day("registration_address_from") or birth
    res = r.text("residence_address", max_length=1000, min_length=3)
    res_from = r.day("residence_address_from") or birth
    phone = r.text("phone", max_length=200, min_length=3)

    insurer = r.organization("insurer", ref.insurers, "страховая медицинская организация")
    policy_type = r.text("policy_type", max_length=2)
    if policy_type is not None and policy_type not in ref.policy_types:
        r.fail("policy_type", f"Кода «{policy_type}» нет в справочнике типов полиса F008")
    policy_series = r.text("policy_series", max_length=20)
    policy_number = r.text("policy_number", max_length=30)
    if policy_number is not None and not POLICY_NUMBER.match(policy_number):
        r.fail("policy_number", "Номер полиса: цифры, буквы и дефис")
    insurance_from = r.day("insurance_from")
    insurance_to = r.day("insurance_to")
    if r.cells.get("insurer") or policy_type or policy_number or insurance_from:
        r.needs(
            "страхование",
            {
                "insurer": insurer,
                "policy_type": policy_type,
                "policy_number": policy_number,
                "insurance_from": insurance_from,
            },
        )
    if insurance_from and insurance_to and insurance_to < insurance_from:
        r.fail("insurance_to", "Дата окончания раньше даты начала")

    mo = r.organization("mo", ref.mos, "медицинская организация")
    area_code = r.text("area_code", max_length=20)
    attached_from = r.day("attached_from")
    method = r.choice("attachment_method", METHODS, "application или territorial")
    if r.cells.get("mo") or attached_from or method or area_code:
        r.needs("прикрепление", {"mo": mo, "attached_from": attached_from, "attachment_method": method})

    employment = r.choice("employment_status", EMPLOYMENT, "working или non_working")
    employment_from = r.day("employment_from")
    employment_to = r.day("employment_to")
    if employment or employment_from:
        r.needs("занятость", {"employment_status": employment, "employment_from": employment_from})
    if employment_from and employment_to and employment_to < employment_from:
        r.fail("employment_to", "Дата окончания раньше даты начала")

    death = r.day("death_date", past=True)
    if death is not None and birth is not None and death < birth:
        r.fail("death_date", "Дата смерти раньше даты рождения")

    previous_surname = r.name("previous_surname", required=False)
    surname_from = r.day("surname_from", past=True)
    if previous_surname or surname_from:
        r.needs("прежняя фамилия", {"previous_surname": previous_surname, "surname_from": surname_from})
        if surname_from and birth and surname_from <= birth:
            r.fail("surname_from", "Смена фамилии должна быть позже даты рождения")
    previous_reg = r.text("previous_registration_address", max_length=1000, min_length=3)
    if previous_reg is not None and (reg is None or reg_from is None or birth is None or reg_from <= birth):
        r.fail(
            "registration_address_from",
            "Для прежнего адреса нужны текущий адрес и дата регистрации по нему позже даты рождения",
        )
    previous_insurer = r.organization("previous_insurer", ref.insurers, "страховая медицинская организация")
    previous_policy_type = r.text("previous_policy_type", max_length=2)
    if previous_policy_type is not None and previous_policy_type not in ref.policy_types:
        r.fail("previous_policy_type", f"Кода «{previous_policy_type}» нет в справочнике типов полиса F008")
    previous_policy_number = r.text("previous_policy_number", max_length=30)
    previous_insurance_from = r.day("previous_insurance_from")
    if r.cells.get("previous_insurer") or previous_policy_number or previous_insurance_from:
        r.needs(
            "прежнее страхование",
            {
                "previous_insurer": previous_insurer,
                "previous_policy_type": previous_policy_type,
                "previous_policy_number": previous_policy_number,
                "previous_insurance_from": previous_insurance_from,
            },
        )
        if previous_insurance_from and (insurance_from is None or previous_insurance_from >= insurance_from):
            r.fail("previous_insurance_from", "Прежнее страхование должно начаться раньше текущего")

    if r.errors:
        raise RowErrors(r.errors)
    assert surname and first_name and birth and sex
    return (
        row_no,
        person_id,
        surname,
        first_name,
        patronymic,
        normalize_name(surname, first_name, patronymic),
        birth,
        sex,
        birth_place,
        snils,
        enp,
        doc_type,
        doc_series,
        doc_number,
        document_key(doc_series, doc_number) if doc_number else None,
        doc_issue,
        doc_issuer,
        reg,
        reg_from,
        res,
        res_from if res else None,
        phone,
        ref.today if phone else None,
        insurer,
        policy_type,
        policy_series,
        policy_number.upper() if policy_number else None,
        policy_number,
        insurance_from,
        _end(insurance_to),
        mo,
        area_code,
        attached_from,
        method,
        employment,
        employment_from,
        _end(employment_to),
        death,
        previous_surname,
        surname_from,
        previous_reg,
        previous_insurer,
        previous_policy_type,
        previous_policy_number,
        previous_insurance_from,
    )
