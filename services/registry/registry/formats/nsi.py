"""Export files of the federal NSI portal (nsi.rosminzdrav.ru) and files in the same shapes.

Three shapes are read, all into one ``RawTable`` of string values keyed by the file's own
column names (``ID``, ``MKB_CODE``, ``MKB_NAME``, ``ID_PARENT``, ``ACTUAL``, …):

- the portal's REST answer ``/port/rest/data``:
  ``{"result": "OK", "list": [[{"column": "ID", "value": "1"}, …], …], "total": N}``;
- a JSON array of record objects ``[{"ID": "1", "MKB_CODE": "A00", …}, …]`` (also wrapped in
  an object under ``list``/``records``/``data``/``rows``/``items``);
- the portal's CSV: a header row, ``;`` separators (``,`` and tab are recognised too),
  double-quoted values, UTF-8 with or without BOM (Windows-1251 is accepted as a fallback).

Values become strings (numbers and booleans as the JSON spells them), so the same content
read from CSV or from JSON is equal. Problems of single rows are collected, not raised;
only a file that is no table at all raises ``NotATable``."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass, field
from typing import Any, Literal

TableFormat = Literal["csv", "json-portal", "json-records"]
_WRAPPER_KEYS = ("list", "records", "data", "rows", "items")
_DELIMITERS = (";", ",", "\t")


class NotATable(Exception):
    """The file cannot be read as CSV or JSON at all (the message is for the user, in Russian)."""


@dataclass(frozen=True)
class RawRow:
    number: int  # the line in a CSV file, the 1-based position in a JSON list
    values: dict[str, str | None]


@dataclass(frozen=True)
class RowProblem:
    number: int
    message: str


@dataclass
class RawTable:
    format: TableFormat
    columns: list[str]
    rows: list[RawRow] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)


def decode(data: bytes) -> str:
    if b"\x00" in data[:4096]:
        raise NotATable("Файл двоичный: ожидается текстовый CSV или JSON")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1251")
        except UnicodeDecodeError as exc:  # pragma: no cover - cp1251 maps nearly every byte
            raise NotATable("Кодировка файла не распознана: ожидается UTF-8") from exc


def read_table(data: bytes) -> RawTable:
    text = decode(data)
    head = text.lstrip()
    if not head:
        raise NotATable("Файл пуст")
    if head[0] in "[{":
        return _read_json(head)
    return _read_csv(text)


def _scalar(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return json.dumps(value)
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _read_json(text: str) -> RawTable:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise NotATable(f"JSON повреждён: {exc.msg} (строка {exc.lineno}, позиция {exc.colno})") from exc
    if isinstance(document, dict):
        result = document.get("result")
        if result is not None and str(result).upper() != "OK":
            detail = document.get("resultText") or document.get("resultCode") or result
            raise NotATable(f"Файл — ответ портала НСИ с ошибкой: {detail}")
        items = next((document[k] for k in _WRAPPER_KEYS if isinstance(document.get(k), list)), None)
        if items is None:
            raise NotATable("В JSON нет списка записей (ожидается массив или поле «list»)")
    elif isinstance(document, list):
        items = document
    else:
        raise NotATable("JSON должен быть массивом записей или ответом портала НСИ")
    portal = any(isinstance(item, list) for item in items)
    table = RawTable(format="json-portal" if portal else "json-records", columns=[])
    seen: dict[str, None] = {}
    for number, item in enumerate(items, start=1):
        values = _portal_record(item) if portal else item
        if not isinstance(values, dict):
            expected = "список пар column/value" if portal else "объект"
            table.problems.append(RowProblem(number, f"Запись не распознана: ожидается {expected}"))
            continue
        row = {str(k).strip(): _scalar(v) for k, v in values.items()}
        for key in row:
            seen.setdefault(key, None)
        table.rows.append(RawRow(number, row))
    table.columns = list(seen)
    return table


def _portal_record(item: Any) -> dict[str, Any] | None:
    if not isinstance(item, list):
        return None
    record: dict[str, Any] = {}
    for cell in item:
        if not isinstance(cell, dict) or "column" not in cell:
            return None
        record[str(cell["column"])] = cell.get("value")
    return record


def _read_csv(text: str) -> RawTable:
    first_line = text.split("\n", 1)[0]
    delimiter = max(_DELIMITERS, key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar='"')
    try:
        header = next(reader)
    except csv.Error as exc:
        raise NotATable(f"CSV не читается: {exc}") from exc
    columns = [c.strip() for c in header]
    if len(columns) < 2 or not all(columns):
        raise NotATable(
            "Файл не похож ни на CSV, ни на JSON: в первой строке нужны названия колонок "
            "через «;» (например ID;MKB_CODE;MKB_NAME)"
        )
    table = RawTable(format="csv", columns=columns)
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            table.problems.append(RowProblem(reader.line_num, f"Строка не читается как CSV: {exc}"))
            continue
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(columns):
            table.problems.append(
                RowProblem(reader.line_num, f"В строке {len(cells)} полей, а колонок {len(columns)}")
            )
            continue
        table.rows.append(
            RawRow(reader.line_num, {c: _scalar(v) for c, v in zip(columns, cells, strict=True)})
        )
    return table
