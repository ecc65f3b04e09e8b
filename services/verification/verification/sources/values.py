"""Raw answer values (strings from a CSV cell or an XML attribute) to a ``SourceRecord``, or the
reasons in Russian why the row cannot be one."""

from __future__ import annotations

import calendar
import re
from datetime import date
from decimal import Decimal, InvalidOperation

from oms_kit.identifiers import enp_is_valid, snils_is_valid
from verification.register.validation import SEXES
from verification.sources.formats import Attribute, KindFormat
from verification.sources.records import RowRejection, SourceRecord

Raw = dict[str, str | None]
Errors = list[tuple[str | None, str]]

OLDEST_BIRTH = date(1900, 1, 1)
# Document types: the register speaks FFOMS F011 (14 — паспорт гражданина РФ, 03 — свидетельство
# о рождении); ФНС/ЗАГС write the ФНС classifier СПДУЛ (21 — паспорт гражданина РФ, 03 — the
# birth certificate there too). Records are stored in F011.
SPDUL_TO_F011 = {"21": "14", "паспорт": "14", "паспорт гражданина рф": "14", "свидетельство о рождении": "03"}
F011_TO_SPDUL = {"14": "21"}
_SPACES = re.compile(r"\s+")
_DATE_DMY = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
_DATE_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:T.*)?$")
_MONTH = re.compile(r"^(?:(\d{4})-(\d{1,2})|(\d{1,2})\.(\d{4}))$")


def clean(value: str | None) -> str | None:
    if value is None:
        return None
    text = value.strip()
    if "  " in text or "\t" in text or "\n" in text or "\r" in text or "\xa0" in text:
        text = _SPACES.sub(" ", text)
    return text or None


class _Row:
    def __init__(self, raw: Raw) -> None:
        self.raw = raw
        self.errors: Errors = []

    def text(self, key: str, limit: int = 200) -> str | None:
        value = clean(self.raw.get(key))
        if value is not None and len(value) > limit:
            self.errors.append((key, f"Значение длиннее {limit} символов"))
            return None
        return value

    def date_of(self, key: str, title: str) -> date | None:
        value = clean(self.raw.get(key))
        if value is None:
            return None
        parsed = parse_date(value)
        if parsed is None:
            self.errors.append((key, f"{title}: «{value}» — не дата или такой даты нет (ДД.ММ.ГГГГ)"))
        return parsed

    def month(self, key: str, title: str) -> date | None:
        value = clean(self.raw.get(key))
        if value is None:
            return None
        m = _MONTH.match(value)
        if m:
            year, month = (int(m[1]), int(m[2])) if m[1] else (int(m[4]), int(m[3]))
            if 1 <= month <= 12:
                return date(year, month, 1)
        parsed = parse_date(value)
        if parsed is None:
            self.errors.append((key, f"{title}: «{value}» — не месяц (ММ.ГГГГ) и не дата"))
            return None
        return parsed.replace(day=1)


def parse_date(value: str) -> date | None:
    m = _DATE_DMY.match(value)
    parts = (int(m[3]), int(m[2]), int(m[1])) if m else None
    if parts is None and (m := _DATE_ISO.match(value)):
        parts = (int(m[1]), int(m[2]), int(m[3]))
    if parts is None:
        return None
    try:
        return date(*parts)
    except ValueError:
        return None


def _doc_type(value: str | None) -> str | None:
    return SPDUL_TO_F011.get(value.lower(), value) if value else None


def _digits(value: str) -> str:
    return re.sub(r"[\s-]", "", value)


def _attribute(row: _Row, spec: Attribute, attributes: dict[str, str]) -> None:
    value = clean(row.raw.get(f"attr:{spec.key}"))
    if value is None:
        if spec.required:
            row.errors.append((spec.key, f"Не заполнено «{spec.column}»"))
        return
    if spec.values:
        code = dict(spec.values).get(value.lower())
        if code is None:
            allowed = ", ".join(sorted({s for s, _ in spec.values if not s.isascii()}))
            row.errors.append((spec.key, f"«{spec.column}»: значение «{value}» не из списка ({allowed})"))
            return
        value = code
    elif spec.number:
        try:
            amount = Decimal(value.replace(" ", "").replace("\u00a0", "").replace(",", "."))
        except InvalidOperation:
            row.errors.append((spec.key, f"«{spec.column}»: «{value}» — не число"))
            return
        if amount < 0:
            row.errors.append((spec.key, f"«{spec.column}»: сумма не может быть отрицательной"))
            return
        value = format(amount.quantize(Decimal("0.01")), "f")
    elif spec.date:
        parsed = row.date_of(f"attr:{spec.key}", f"«{spec.column}»")
        if parsed is None:
            return
        value = parsed.isoformat()
    attributes[spec.key] = value


def build_record(
    source: str, fmt: KindFormat, row_no: int, raw: Raw, today: date | None = None
) -> SourceRecord | RowRejection:
    """The record of one row of ``fmt``'s kind, or every reason it is rejected."""
    today = today or date.today()
    row = _Row(raw)
    surname, first_name = row.text("surname"), row.text("first_name")
    patronymic = row.text("patronymic")
    if surname is None:
        row.errors.append(("surname", "Не указана фамилия"))
    if first_name is None:
        row.errors.append(("first_name", "Не указано имя"))
    birth_date = row.date_of("birth_date", "Дата рождения")
    if birth_date is not None and birth_date > today:
        row.errors.append(("birth_date", "Дата рождения в будущем"))
    elif birth_date is not None and birth_date < OLDEST_BIRTH:
        row.errors.append(("birth_date", "Дата рождения раньше 1900 года"))

    sex = None
    if (raw_sex := clean(raw.get("sex"))) is not None:
        sex = SEXES.get(raw_sex.lower())
        if sex is None:
            row.errors.append(("sex", f"Пол «{raw_sex}» не распознан (М или Ж)"))

    snils = None
    if (raw_snils := clean(raw.get("snils"))) is not None:
        snils = _digits(raw_snils)
        if len(snils) != 11 or not snils.isdigit():
            row.errors.append(("snils", "СНИЛС должен состоять из 11 цифр"))
        elif not snils_is_valid(snils):
            row.errors.append(("snils", "СНИЛС не проходит проверку контрольного числа"))
    if birth_date is None and snils is None and not any(f == "birth_date" for f, _ in row.errors):
        row.errors.append(("birth_date", "Не указаны ни дата рождения, ни СНИЛС"))

    enp = None
    if (raw_enp := clean(raw.get("enp"))) is not None:
        enp = _digits(raw_enp)
        if not enp_is_valid(enp):
            row.errors.append(("enp", "ЕНП должен состоять из 16 цифр с верной контрольной цифрой"))
    inn = None
    if (raw_inn := clean(raw.get("inn"))) is not None:
        inn = _digits(raw_inn)
        if len(inn) not in (10, 12) or not inn.isdigit():
            row.errors.append(("inn", "ИНН должен состоять из 10 или 12 цифр"))

    doc_series, doc_number = row.text("doc_series", 20), row.text("doc_number", 40)
    if (combined := clean(raw.get("doc_series_number"))) is not None:
        head, _, tail = combined.rpartition(" ")
        doc_series, doc_number = (head.replace(" ", "") or None), tail

    if fmt.monthly:
        date_from = row.month("date_from", fmt.date_from_title)
        date_to = None
        if date_from is not None:
            last = calendar.monthrange(date_from.year, date_from.month)[1]
            date_to = date_from.replace(day=last)
    else:
        date_from = row.date_of("date_from", fmt.date_from_title)
        date_to = row.date_of("date_to", fmt.date_to_title or "Дата окончания")
    if date_from is None and not any(f == "date_from" for f, _ in row.errors):
        row.errors.append(("date_from", f"Не указана {fmt.date_from_title.lower()}"))
    if date_from is not None and date_from > today:
        row.errors.append(("date_from", f"{fmt.date_from_title} в будущем"))
    if date_from and date_to and date_to < date_from:
        row.errors.append(("date_to", "Дата окончания раньше даты начала"))
    if date_from and birth_date and date_from < birth_date:
        row.errors.append(("date_from", f"{fmt.date_from_title} раньше даты рождения"))

    attributes: dict[str, str] = {}
    for spec in fmt.attributes:
        _attribute(row, spec, attributes)

    if row.errors:
        return RowRejection(row_no=row_no, errors=tuple(row.errors))
    return SourceRecord(
        source=source,
        kind=fmt.kind,
        row_no=row_no,
        surname=surname,
        first_name=first_name,
        patronymic=patronymic,
        birth_date=birth_date,
        sex=sex,
        snils=snils,
        enp=enp,
        doc_type=_doc_type(row.text("doc_type", 20)),
        doc_series=doc_series,
        doc_number=doc_number,
        inn=inn,
        district=row.text("district", 20),
        date_from=date_from,
        date_to=date_to,
        external_id=row.text("external_id", 100),
        attributes=attributes,
    )
