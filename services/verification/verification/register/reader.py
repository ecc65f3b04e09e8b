"""Reading the TFOMS register file from disk row by row, never whole: CSV and XLSX through
``oms_kit.tables`` with the register's header (``columns.register_header``), XML through
``iterparse`` with every finished ``PERS`` record dropped from the tree.

Rows come as ``(row number, cells or RowShape)`` with cells keyed by column code: the header
is row 1 of a CSV/XLSX file, and an XML record's number is its position among the ``PERS``
records (1, 2, …). Synchronous on purpose: the run job reads it in a worker thread."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from oms_kit.tables import BOM, XLSX_MAGIC, Cells, NotATable, RowShape, Table, is_binary, sniff
from oms_kit.tables import open_table as open_csv_or_xlsx
from verification.register.columns import XML_ELEMENTS, ignored_columns, register_header

__all__ = ["NotATable", "RegisterFile", "RowShape", "open_register"]

XML_ROOT = "PERS_LIST"
XML_HEADER = "ZGLV"
XML_RECORD = "PERS"


class RegisterFile:
    """An open register file: ``format`` (csv/xlsx/xml), ``ignored`` (header names the
    register does not know), ``rows()``, ``estimate(rows_done)`` and ``close()``."""

    def __init__(self, table: Table | XmlRegister) -> None:
        self._table = table
        self.format = table.format
        self.ignored: list[str] = ignored_columns(table.columns) if isinstance(table, Table) else []

    def rows(self) -> Iterator[tuple[int, Cells | RowShape]]:
        return self._table.rows()

    def estimate(self, rows_done: int) -> int | None:
        return self._table.estimate(rows_done)

    def close(self) -> None:
        self._table.close()

    def __enter__(self) -> RegisterFile:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


class XmlRegister:
    """``<PERS_LIST><ZGLV>…</ZGLV><PERS><FAM>…</FAM>…</PERS>…</PERS_LIST>`` (docs/formats.md).
    The encoding is the XML declaration's (UTF-8 by default, windows-1251 when declared)."""

    format = "xml"

    def __init__(self, path: Path) -> None:
        self._file: BinaryIO = path.open("rb")
        self.size = path.stat().st_size
        # No DTD is accepted (``open_register`` refuses one), ElementTree resolves no external
        # entity, and expat ≥ 2.4 bounds entity amplification.
        self._events = ET.iterparse(self._file, events=("start", "end"))  # noqa: S314
        try:
            _, root = next(self._events)
        except ET.ParseError as exc:
            self._file.close()
            raise NotATable(f"Файл не читается как XML: {exc}") from exc
        if _local(root.tag) != XML_ROOT:
            self._file.close()
            raise NotATable(f"Корневой элемент XML — «{_local(root.tag)}», ожидается «{XML_ROOT}»")
        self._root = root

    def rows(self) -> Iterator[tuple[int, Cells | RowShape]]:
        record_no = 0
        depth = 0
        try:
            for event, element in self._events:
                if event == "start":
                    depth += 1
                    continue
                depth -= 1
                if depth != 0:  # an element inside a record or the header: read with its record
                    continue
                tag = _local(element.tag)
                if tag == XML_RECORD:
                    record_no += 1
                    yield record_no, self._cells(element)
                elif tag != XML_HEADER and tag != XML_ROOT:
                    record_no += 1
                    yield record_no, RowShape(f"Элемент «{tag}» вместо записи «{XML_RECORD}»")
                self._root.clear()  # the finished record leaves the tree: memory stays flat
        except ET.ParseError as exc:
            yield (
                record_no + 1,
                RowShape(f"XML повреждён ({exc}): эта и дальнейшие записи файла не прочитаны"),
            )

    @staticmethod
    def _cells(record: ET.Element) -> Cells | RowShape:
        cells: dict[str, Any] = {}
        for child in record:
            code = XML_ELEMENTS.get(_local(child.tag))
            if code is None:
                continue  # elements the register does not know are ignored, as columns are
            if code in cells:
                return RowShape(f"Элемент «{_local(child.tag)}» в записи повторяется")
            cells[code] = child.text
        return cells

    def estimate(self, rows_done: int) -> int | None:
        done = self._file.tell()
        return max(rows_done, round(rows_done * self.size / done)) if done else None

    def close(self) -> None:
        self._file.close()


def _is_xml(head: bytes) -> bool:
    text = head.removeprefix(BOM).lstrip()
    return text.startswith(b"<")


def open_register(path: Path) -> RegisterFile:
    """The register file at ``path`` by its content: XLSX (zip), XML (starts with ``<``) or CSV;
    ``NotATable`` with a Russian message for anything else or a header without the required
    columns."""
    head = sniff(path)
    if _is_xml(head):
        if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
            raise NotATable("XML с объявлением DOCTYPE или ENTITY не принимается: реестру они не нужны")
        return RegisterFile(XmlRegister(path))
    if not head.startswith(XLSX_MAGIC) and is_binary(head):
        raise NotATable(
            "Это не CSV, XLSX или XML: принимаются файлы реестра неработающих в формате CSV, XLSX или XML"
        )
    return RegisterFile(open_csv_or_xlsx(path, register_header, what="файлы реестра неработающих"))
