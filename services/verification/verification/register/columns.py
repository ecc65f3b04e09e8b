"""The columns of the TFOMS register file of non-working insured persons (docs/formats.md).

A header names each column by its code (``surname``), its Russian title («Фамилия») or the
FFOMS personal-data element name (``FAM``), in any order and any case; ё and е are the same.
Columns the register does not know (a row counter, a policy number) are ignored and named in
the load's result; a missing required column or a column given twice fails the file."""

from __future__ import annotations

import re
from typing import Any

from oms_kit.tables import NotATable

COLUMNS: tuple[str, ...] = (
    "surname",
    "first_name",
    "patronymic",
    "birth_date",
    "sex",
    "snils",
    "enp",
    "doc_type",
    "doc_series",
    "doc_number",
    "address",
    "district",
)
REQUIRED: tuple[str, ...] = ("surname", "first_name", "birth_date", "sex")

# Russian names of the fields for messages and the error report.
TITLES: dict[str, str] = {
    "surname": "Фамилия",
    "first_name": "Имя",
    "patronymic": "Отчество",
    "birth_date": "Дата рождения",
    "sex": "Пол",
    "snils": "СНИЛС",
    "enp": "ЕНП",
    "doc_type": "Тип документа",
    "doc_series": "Серия документа",
    "doc_number": "Номер документа",
    "address": "Адрес",
    "district": "Район",
    "row": "Строка целиком",
}

# XML element names (FFOMS order 79, PERS_LIST; ENP, ADRES and RAION added) → column code.
XML_ELEMENTS: dict[str, str] = {
    "FAM": "surname",
    "IM": "first_name",
    "OT": "patronymic",
    "DR": "birth_date",
    "W": "sex",
    "SNILS": "snils",
    "ENP": "enp",
    "DOCTYPE": "doc_type",
    "DOCSER": "doc_series",
    "DOCNUM": "doc_number",
    "ADRES": "address",
    "RAION": "district",
}

_ALIASES: dict[str, tuple[str, ...]] = {
    "surname": ("фамилия",),
    "first_name": ("имя",),
    "patronymic": ("отчество",),
    "birth_date": ("дата рождения", "дата_рождения"),
    "sex": ("пол",),
    "snils": ("снилс", "ss"),
    "enp": ("енп", "единый номер полиса"),
    "doc_type": ("тип документа", "вид документа", "document_type"),
    "doc_series": ("серия документа", "серия", "document_series"),
    "doc_number": ("номер документа", "номер", "document_number"),
    "address": ("адрес", "адрес регистрации", "адрес места жительства"),
    "district": ("район", "код района", "district_code"),
}


def _fold(name: str) -> str:
    return re.sub(r"\s+", " ", name.replace("\ufeff", "").strip().lower().replace("ё", "е"))


HEADER_NAMES: dict[str, str] = (
    {c: c for c in COLUMNS}
    | {_fold(e): c for e, c in XML_ELEMENTS.items()}
    | {_fold(a): c for c, aliases in _ALIASES.items() for a in aliases}
)
IGNORED = "?"  # prefix of a column the register does not know


def register_header(raw: list[Any]) -> list[str]:
    """The column codes of a header row (unknown ones as ``?name``); ``NotATable`` when the row
    is no header of the register, a required column is missing or a column is repeated."""
    names = [_fold(str(c)) if c is not None else "" for c in raw]
    while names and not names[-1]:
        names.pop()
    codes = [HEADER_NAMES.get(n, IGNORED + n) for n in names]
    if not any(c in HEADER_NAMES.values() for c in codes):
        raise NotATable(
            "Первая строка не похожа на заголовок реестра неработающих застрахованных лиц: ожидаются "
            "названия колонок (Фамилия, Имя, Отчество, Дата рождения, Пол, СНИЛС, ЕНП, …), "
            "см. docs/formats.md"
        )
    missing = [f"{TITLES[c]} ({c})" for c in REQUIRED if c not in codes]
    if missing:
        raise NotATable(f"В файле нет обязательных колонок: {', '.join(missing)}")
    repeated = sorted({TITLES[c] for c in codes if c in TITLES and codes.count(c) > 1})
    if repeated:
        raise NotATable(f"Колонки повторяются: {', '.join(repeated)}")
    return codes


def ignored_columns(codes: list[str]) -> list[str]:
    """The header names the register does not know (reported with the load's result)."""
    return [c[len(IGNORED) :] for c in codes if c.startswith(IGNORED) and len(c) > len(IGNORED)]
