"""Reading the federal register of beneficiaries (CSV or XML, windows-1251 or UTF-8) into
lines: one line per (beneficiary, benefit code). The shapes are in docs/formats.md, «Аптека:
федеральный регистр льготников». Pure: no database; a line that cannot be read becomes a
problem naming the line and the field, the others go on."""

from __future__ import annotations

import csv
import io
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from datetime import date, datetime

from oms_kit.identifiers.snils import snils_is_valid
from oms_kit.masking import mask_snils
from oms_kit.tables import detect_encoding

CSV_COLUMNS = (
    "СНИЛС",
    "Фамилия",
    "Имя",
    "Отчество",
    "ДатаРождения",
    "Пол",
    "КодЛьготы",
    "ДатаНачала",
    "ДатаОкончания",
    "ВидДокумента",
    "СерияДокумента",
    "НомерДокумента",
    "ДатаДокумента",
    "КемВыдан",
    "ОтказНСУ",
    "КодРегиона",
)
REQUIRED = ("СНИЛС", "Фамилия", "Имя", "КодЛьготы", "ДатаНачала")
_SEX = {"М": "male", "M": "male", "1": "male", "Ж": "female", "F": "female", "2": "female"}


class RegisterFileError(Exception):
    """The file as a whole cannot be read (not CSV/XML of the shape, no header…)."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.title = "Файл федерального регистра не прочитан"
        self.detail = detail


@dataclass(frozen=True)
class Line:
    line: int
    snils: str
    surname: str
    first_name: str
    patronymic: str | None
    birth_date: date | None
    sex: str | None
    category: str
    valid_from: date
    valid_to: date | None
    document_kind: str | None
    document_series: str | None
    document_number: str | None
    document_date: date | None
    document_issuer: str | None
    refused_in_kind: bool
    home_region: str | None


@dataclass(frozen=True)
class Problem:
    line: int
    field: str | None
    message: str

    def as_dict(self) -> dict[str, object]:
        return {"line": self.line, "field": self.field, "message": self.message}


@dataclass
class Parsed:
    format: str
    encoding: str
    as_of: date | None = None
    lines: list[Line] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    total: int = 0


def _date(value: str | None) -> date | None:
    value = (value or "").strip()
    if not value:
        return None
    for fmt in ("%d.%m.%Y", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise ValueError(f"дата «{value}» не в формате ДД.ММ.ГГГГ или ГГГГ-ММ-ДД")


def _text(value: str | None) -> str | None:
    value = (value or "").strip()
    return value or None


def _line(no: int, cells: dict[str, str | None], problems: list[Problem]) -> Line | None:
    for name in REQUIRED:
        if not _text(cells.get(name)):
            problems.append(Problem(no, name, f"Не заполнено поле «{name}»"))
            return None
    snils = re.sub(r"\D", "", cells["СНИЛС"] or "")
    if len(snils) != 11 or not snils_is_valid(snils):
        problems.append(Problem(no, "СНИЛС", f"СНИЛС {mask_snils(snils)} неверен (контрольное число)"))
        return None
    parsed: dict[str, date | None] = {}
    for name in ("ДатаРождения", "ДатаНачала", "ДатаОкончания", "ДатаДокумента"):
        try:
            parsed[name] = _date(cells.get(name))
        except ValueError as exc:
            problems.append(Problem(no, name, f"Поле «{name}»: {exc}"))
            return None
    valid_from = parsed["ДатаНачала"]
    assert valid_from is not None
    valid_to = parsed["ДатаОкончания"]
    if valid_to is not None and valid_to < valid_from:
        problems.append(Problem(no, "ДатаОкончания", "Дата окончания льготы раньше даты начала"))
        return None
    sex_raw = (_text(cells.get("Пол")) or "").upper()
    if sex_raw and sex_raw not in _SEX:
        problems.append(Problem(no, "Пол", f"Пол «{sex_raw}»: ожидается М или Ж"))
        return None
    refusal = (_text(cells.get("ОтказНСУ")) or "0").strip()
    if refusal not in ("0", "1"):
        problems.append(Problem(no, "ОтказНСУ", f"ОтказНСУ «{refusal}»: ожидается 0 или 1"))
        return None
    region = _text(cells.get("КодРегиона"))
    if region is not None and not re.fullmatch(r"\d{2}", region):
        problems.append(Problem(no, "КодРегиона", f"Код региона «{region}»: две цифры"))
        return None
    return Line(
        line=no,
        snils=snils,
        surname=(_text(cells.get("Фамилия")) or "")[:100],
        first_name=(_text(cells.get("Имя")) or "")[:100],
        patronymic=(_text(cells.get("Отчество")) or None),
        birth_date=parsed["ДатаРождения"],
        sex=_SEX.get(sex_raw) if sex_raw else None,
        category=(_text(cells.get("КодЛьготы")) or "").strip(),
        valid_from=valid_from,
        valid_to=valid_to,
        document_kind=_text(cells.get("ВидДокумента")),
        document_series=_text(cells.get("СерияДокумента")),
        document_number=_text(cells.get("НомерДокумента")),
        document_date=parsed["ДатаДокумента"],
        document_issuer=_text(cells.get("КемВыдан")),
        refused_in_kind=refusal == "1",
        home_region=region,
    )


def _decode(data: bytes) -> tuple[str, str]:
    head = data[:65536]
    declared = re.search(rb'encoding=["\']([A-Za-z0-9_-]+)["\']', head[:200])
    if declared:
        name = declared.group(1).decode().lower()
        encoding = "cp1251" if name in ("windows-1251", "cp1251") else "utf-8"
    else:
        encoding = detect_encoding(head)
    try:
        return data.decode(encoding).lstrip("\ufeff"), encoding
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise RegisterFileError(f"Строка {line}: байты не в кодировке {encoding}") from exc


def read_register(data: bytes) -> Parsed:
    """The file's lines and problems (CSV or XML by its first character)."""
    if not data.strip():
        raise RegisterFileError("Файл пуст")
    text_, encoding = _decode(data)
    if text_.lstrip().startswith("<"):
        return _read_xml(text_, encoding)
    return _read_csv(text_, encoding)


def _read_csv(text_: str, encoding: str) -> Parsed:
    out = Parsed("csv", encoding)
    reader = csv.reader(io.StringIO(text_), delimiter=";")
    header = next(reader, None)
    if header is None:
        raise RegisterFileError("Нет строки заголовка")
    names = [h.strip() for h in header]
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise RegisterFileError("В заголовке нет колонок: " + ", ".join(missing))
    for no, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        out.total += 1
        if len(row) > len(names):
            out.problems.append(Problem(no, None, f"Ячеек {len(row)}, а колонок {len(names)}"))
            continue
        line = _line(no, dict(zip(names, row, strict=False)), out.problems)
        if line is not None:
            out.lines.append(line)
    return out


def _read_xml(text_: str, encoding: str) -> Parsed:
    if "<!DOCTYPE" in text_ or "<!ENTITY" in text_:
        raise RegisterFileError("DTD и сущности в файле не допускаются")
    out = Parsed("xml", encoding)
    try:
        # ElementTree wants str without the declaration's encoding when given str.
        root = ET.fromstring(re.sub(r"^<\?xml[^>]*\?>", "", text_.lstrip(), count=1))  # noqa: S314 (no DTD)
    except ET.ParseError as exc:
        raise RegisterFileError(f"XML не разобран: {exc}") from exc
    if root.tag != "РегистрЛьготников":
        raise RegisterFileError(f"Корневой элемент «{root.tag}», ожидается «РегистрЛьготников»")
    try:
        out.as_of = _date(root.get("ДатаФормирования"))
    except ValueError as exc:
        raise RegisterFileError(f"ДатаФормирования: {exc}") from exc
    no = 0
    for person in root.iter("Льготник"):
        benefits: list[ET.Element | None] = list(person.findall("Льгота")) or [None]
        for benefit in benefits:
            no += 1
            out.total += 1
            cells: dict[str, str | None] = {k: person.get(k) for k in CSV_COLUMNS}
            if benefit is not None:
                cells["КодЛьготы"] = benefit.get("Код")
                cells["ДатаНачала"] = benefit.get("ДатаНачала")
                cells["ДатаОкончания"] = benefit.get("ДатаОкончания")
                doc = benefit.find("Документ")
                if doc is not None:
                    cells["ВидДокумента"] = doc.get("Вид")
                    cells["СерияДокумента"] = doc.get("Серия")
                    cells["НомерДокумента"] = doc.get("Номер")
                    cells["ДатаДокумента"] = doc.get("Дата")
                    cells["КемВыдан"] = doc.get("КемВыдан")
            line = _line(no, cells, out.problems)
            if line is not None:
                out.lines.append(line)
    return out
