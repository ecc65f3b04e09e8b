"""Answer files as CSV: UTF-8 (a BOM is fine) or the charset the media type names
(``text/csv; charset=windows-1251``;
without one, windows-1251 is recognised), «;» between cells (« , » or a tab are recognised from the
header), one fact per line, Russian headers (``COMMON_COLUMNS`` plus the source's attribute
columns; case, «ё» and extra spaces in headers do not matter)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from datetime import date
from typing import IO

from oms_kit.tables import SAMPLE, detect_encoding
from verification.sources.formats import Attribute, KindFormat
from verification.sources.records import RowRejection, SourceRecord
from verification.sources.values import build_record

COMMON_COLUMNS: tuple[tuple[str, str], ...] = (
    ("Вид сведений", "kind"),
    ("Идентификатор записи", "external_id"),
    ("Фамилия", "surname"),
    ("Имя", "first_name"),
    ("Отчество", "patronymic"),
    ("Дата рождения", "birth_date"),
    ("Пол", "sex"),
    ("СНИЛС", "snils"),
    ("ЕНП", "enp"),
    ("ИНН", "inn"),
    ("Тип документа", "doc_type"),
    ("Серия документа", "doc_series"),
    ("Номер документа", "doc_number"),
    ("Район", "district"),
    ("Дата начала", "date_from"),
    ("Дата окончания", "date_to"),
)
REQUIRED = ("surname", "first_name", "date_from")
_BROKEN = "Строка не в заявленной кодировке (битые символы): проверьте, что файл сохранён в UTF-8"


def header_key(text: str) -> str:
    return " ".join(text.replace("\ufeff", "").lower().replace("ё", "е").split())


def columns_of(kinds: Iterable[KindFormat]) -> tuple[tuple[str, str], ...]:
    extra: dict[str, str] = {}
    for fmt in kinds:
        for spec in fmt.attributes:
            extra.setdefault(spec.column, f"attr:{spec.key}")
    return COMMON_COLUMNS + tuple(extra.items())


def _charset(media_type: str, stream: IO[bytes]) -> str:
    """The charset the media type names, else the one the head of the file shows (UTF-8 with
    or without BOM, or windows-1251: ``oms_kit.tables.detect_encoding``)."""
    for part in media_type.split(";")[1:]:
        name, _, value = part.strip().partition("=")
        if name.lower() == "charset" and value:
            charset = value.strip().strip('"').lower()
            return "utf-8-sig" if charset in ("utf-8", "utf8") else charset
    head = stream.read(SAMPLE)
    stream.seek(0)
    return "utf-8-sig" if detect_encoding(head) == "utf-8" else "cp1251"


_SURROGATE = re.compile("[\udc80-\udcff]")  # bytes the charset could not decode


def _broken(cells: list[str]) -> bool:
    return _SURROGATE.search("".join(cells)) is not None


def read_csv(
    stream: IO[bytes], media_type: str, source: str, kinds: tuple[KindFormat, ...], today: date | None = None
) -> Iterator[SourceRecord | RowRejection]:
    today = today or date.today()
    if not stream.seekable():
        stream = io.BytesIO(stream.read())
    try:
        text = io.TextIOWrapper(
            stream, encoding=_charset(media_type, stream), errors="surrogateescape", newline=""
        )
    except LookupError:
        yield RowRejection(0, ((None, f"Неизвестная кодировка в типе файла: {media_type}"),))
        return
    first = text.readline()
    delimiter = (
        ";" if ";" in first or not any(d in first for d in ",\t") else ("\t" if "\t" in first else ",")
    )
    header = next(csv.reader([first], delimiter=delimiter), [])
    known = {header_key(title): key for title, key in columns_of(kinds)}
    positions = {known[header_key(h)]: i for i, h in enumerate(header) if header_key(h) in known}
    missing = [k for k in REQUIRED if k not in positions]
    if "kind" not in positions and len(kinds) > 1:
        missing.insert(0, "kind")
    if "birth_date" not in positions and "snils" not in positions:
        missing.append("birth_date")
    if missing:
        titles = {key: title for title, key in COMMON_COLUMNS}
        titles["birth_date"] = "Дата рождения» или «СНИЛС"
        yield RowRejection(0, tuple((k, f"В файле нет обязательного столбца «{titles[k]}»") for k in missing))
        return
    by_label = {label.lower(): fmt for fmt in kinds for label in (*fmt.labels, fmt.kind)}
    reader = csv.reader(text, delimiter=delimiter)
    for cells in reader:
        row_no = reader.line_num + 1  # the header is line 1
        if not any(c.strip() for c in cells):
            continue
        if _broken(cells):
            yield RowRejection(row_no, ((None, _BROKEN),))
            continue
        raw = {key: (cells[i] if i < len(cells) else None) for key, i in positions.items()}
        label = (raw.get("kind") or "").strip()
        fmt = by_label.get(label.lower()) if label else (kinds[0] if len(kinds) == 1 else None)
        if fmt is None:
            allowed = ", ".join(f.labels[0] for f in kinds)
            reason = f"Вид сведений «{label}» не известен ({allowed})" if label else "Не указан вид сведений"
            yield RowRejection(row_no, (("kind", reason),))
            continue
        yield build_record(source, fmt, row_no, raw, today)


def _cell(record: SourceRecord, key: str, fmt: KindFormat, specs: dict[str, Attribute]) -> str:
    if key == "kind":
        return fmt.labels[0]
    if key.startswith("attr:"):
        value = record.attributes.get(key[5:])
        spec = specs.get(key[5:])
        if value is not None and spec is not None and spec.values:
            value = next((s for s, code in spec.values if code == value and not s.isascii()), value)
        return value or ""
    value = getattr(record, key)
    if key == "sex":
        return {"male": "М", "female": "Ж"}.get(value or "", "")
    if isinstance(value, date):
        return value.strftime("%m.%Y" if key == "date_from" and fmt.monthly else "%d.%m.%Y")
    return "" if value is None else str(value)


def write_csv(records: Iterable[SourceRecord], kinds: tuple[KindFormat, ...]) -> bytes:
    columns = columns_of(kinds)
    by_kind = {fmt.kind: fmt for fmt in kinds}
    specs = {spec.key: spec for fmt in kinds for spec in fmt.attributes}
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([title for title, _ in columns])
    for record in records:
        fmt = by_kind[record.kind]
        writer.writerow([_cell(record, key, fmt, specs) for _, key in columns])
    return ("\ufeff" + out.getvalue()).encode("utf-8")
