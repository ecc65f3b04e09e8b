"""Reading a drug catalogue file (CSV, «;», windows-1251 or UTF-8, the shape of the ЕСКЛП/ГРЛС
extracts; docs/formats.md «Аптека: справочник лекарственных препаратов») into lines, one per
package GTIN. Pure: no database; a line that cannot be read becomes a problem naming the line and
the column, the others go on."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime

from oms_kit.tables import detect_encoding
from pharmacy.catalogue.gtin import gtin_problem

COLUMNS = (
    "МНН",
    "ТорговоеНаименование",
    "ЛекарственнаяФорма",
    "Дозировка",
    "КоличествоВУпаковке",
    "GTIN",
    "АТХ",
    "ЖНВЛП",
    "Перечни",
    "Маркировка",
    "ДействуетС",
    "ДействуетПо",
)
REQUIRED = COLUMNS[:6]
_YES = {"1", "да", "true", "д", "y", "yes"}
_NO = {"0", "нет", "false", "н", "n", "no", ""}


class CatalogueFileError(Exception):
    """The file as a whole cannot be read (no header, a required column missing)."""


@dataclass(frozen=True)
class Line:
    line: int
    inn: str
    trade_name: str
    dosage_form: str
    dosage: str
    package_quantity: int
    gtin: str
    atc_code: str | None
    vital: bool
    drug_lists: tuple[str, ...] | None  # None: the column is empty — keep what the drug has
    marked: bool
    valid_from: date | None
    valid_to: date | None


@dataclass(frozen=True)
class Problem:
    line: int
    field: str | None
    message: str


def _date(text: str) -> date | None:
    if not text:
        return None
    for shape in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(text, shape).date()
        except ValueError:
            continue
    raise ValueError(f"дата «{text}» не в виде ДД.ММ.ГГГГ")


def _flag(text: str, default: bool) -> bool:
    value = text.strip().lower()
    if not value:
        return default
    if value in _YES:
        return True
    if value in _NO:
        return False
    raise ValueError(f"«{text}»: ожидалось 1/0 или да/нет")


def read_catalogue(data: bytes) -> tuple[list[Line], list[Problem]]:
    text = data.decode(detect_encoding(data[:65536]), errors="replace").lstrip("\ufeff")
    rows = csv.reader(io.StringIO(text), delimiter=";")
    header = [h.strip() for h in next(rows, [])]
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise CatalogueFileError("Нет столбцов: " + ", ".join(missing) + " (разделитель «;»)")
    index = {name: header.index(name) for name in COLUMNS if name in header}
    lines: list[Line] = []
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for number, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue

        def cell(name: str, row: list[str] = row) -> str:
            i = index.get(name)
            return row[i].strip() if i is not None and i < len(row) else ""

        empty = [c for c in REQUIRED if not cell(c)]
        if empty:
            problems.append(Problem(number, empty[0], f"не заполнен столбец {empty[0]}"))
            continue
        gtin = cell("GTIN")
        if (problem := gtin_problem(gtin)) is not None:
            problems.append(Problem(number, "GTIN", problem))
            continue
        if gtin in seen:
            problems.append(Problem(number, "GTIN", f"GTIN {gtin} уже был в строке {seen[gtin]}"))
            continue
        quantity_text = cell("КоличествоВУпаковке")
        if not (quantity_text.isascii() and quantity_text.isdigit()) or int(quantity_text) <= 0:
            problems.append(
                Problem(number, "КоличествоВУпаковке", f"«{quantity_text}»: нужно целое больше нуля")
            )
            continue
        quantity = int(quantity_text)
        field = "ЖНВЛП"
        try:
            vital = _flag(cell(field), False)
            field = "Маркировка"
            marked = _flag(cell(field), True)
            field = "ДействуетС"
            valid_from = _date(cell(field))
            field = "ДействуетПо"
            valid_to = _date(cell(field))
        except ValueError as exc:
            problems.append(Problem(number, field, str(exc)))
            continue
        if valid_from is not None and valid_to is not None and valid_to < valid_from:
            problems.append(Problem(number, "ДействуетПо", "дата окончания раньше даты начала"))
            continue
        lists_text = cell("Перечни")
        atc = cell("АТХ") or None
        if atc is not None and len(atc) > 7:
            problems.append(Problem(number, "АТХ", f"код АТХ «{atc}» длиннее 7 знаков"))
            continue
        seen[gtin] = number
        lines.append(
            Line(
                line=number,
                inn=cell("МНН")[:300],
                trade_name=cell("ТорговоеНаименование")[:300],
                dosage_form=cell("ЛекарственнаяФорма")[:200],
                dosage=cell("Дозировка")[:100],
                package_quantity=quantity,
                gtin=gtin,
                atc_code=atc,
                vital=vital,
                drug_lists=tuple(sorted({c.strip() for c in lists_text.split(",") if c.strip()}))
                if lists_text
                else None,
                marked=marked,
                valid_from=valid_from,
                valid_to=valid_to,
            )
        )
    return lines, problems
