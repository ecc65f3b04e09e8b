"""Reading a register file row by row from disk, never whole: CSV (UTF-8 with or without BOM,
or windows-1251; «;» or «,») line by line, XLSX through openpyxl's read-only streaming.

Synchronous on purpose: the job runs it in a worker thread, batch by batch, so parsing does
not hold the service's event loop."""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from registry.person_import.columns import KNOWN, REQUIRED

XLSX_MAGIC = b"PK\x03\x04"
BOM = b"\xef\xbb\xbf"
# Signatures of files that are certainly not a register: PDF, old Excel/Word, images, archives.
BINARY_MAGIC = (b"%PDF", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"Rar!")


class NotATable(Exception):
    """The file is not a CSV or XLSX register (Russian message for the job's error)."""


Cells = dict[str, Any]


class RowShape(Exception):
    """A row whose shape is wrong (too many or too few cells): reported, the file goes on."""


class Table:
    """The rows of a register file: ``format``, ``columns`` and an iterator of
    ``(row number, cells or RowShape)``; the header is row 1, as a spreadsheet numbers it."""

    format: str
    columns: list[str]
    estimated_rows: int | None

    def rows(self) -> Iterator[tuple[int, Cells | RowShape]]:  # pragma: no cover - interface
        raise NotImplementedError

    def close(self) -> None:
        return None


def _header(raw: list[Any]) -> list[str]:
    names = [str(c).strip().lower() if c is not None else "" for c in raw]
    while names and not names[-1]:
        names.pop()
    unknown = [n for n in names if n not in KNOWN]
    if not names or len(unknown) == len(names):
        raise NotATable(
            "Первая строка не похожа на заголовок файла регистра: ожидаются имена колонок "
            "(surname, first_name, birth_date, sex, …), см. docs/formats.md"
        )
    if unknown:
        raise NotATable(f"Неизвестные колонки: {', '.join(unknown[:10])} (проверьте написание)")
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise NotATable(f"Нет обязательных колонок: {', '.join(missing)}")
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise NotATable(f"Колонки повторяются: {', '.join(duplicated)}")
    return names


class CsvTable(Table):
    format = "csv"

    def __init__(self, path: Path) -> None:
        self._file = path.open("rb")
        self.size = path.stat().st_size
        head = self._file.read(64 * 1024)
        self._file.seek(0)
        if head.startswith(BOM):
            self._file.seek(len(BOM))
            self.encoding = "utf-8"
        else:
            try:
                head.decode("utf-8")
                self.encoding = "utf-8"
            except UnicodeDecodeError as exc:
                # A cut multi-byte character at the end of the sample is still UTF-8.
                self.encoding = "utf-8" if exc.start >= len(head) - 3 else "cp1251"
        first = head.split(b"\n", 1)[0].decode(self.encoding, errors="replace")
        self.delimiter = ";" if first.count(";") >= first.count(",") else ","
        self.bytes_read = 0
        self._lines = self._decoded_lines()
        self._reader = csv.reader(self._lines, delimiter=self.delimiter)
        try:
            self.columns = _header(next(self._reader))
        except StopIteration as exc:
            raise NotATable("Файл пуст") from exc
        except (csv.Error, UnicodeDecodeError) as exc:
            raise NotATable("Файл не читается как CSV") from exc
        self.estimated_rows = None

    def _decoded_lines(self) -> Iterator[str]:
        for raw in self._file:
            self.bytes_read += len(raw)
            try:
                yield raw.decode(self.encoding)
            except UnicodeDecodeError:
                yield raw.decode(self.encoding, errors="replace")

    def rows(self) -> Iterator[tuple[int, Cells | RowShape]]:
        width = len(self.columns)
        row_no = 1
        while True:
            try:
                cells = next(self._reader)
            except StopIteration:
                return
            except csv.Error as exc:
                row_no += 1
                yield row_no, RowShape(f"Строка не разбирается как CSV: {exc}")
                continue
            row_no += 1
            if not cells or all(not c.strip() for c in cells):
                continue  # blank lines are not rows
            if len(cells) > width and any(c.strip() for c in cells[width:]):
                yield row_no, RowShape(f"В строке {len(cells)} значений, а колонок в заголовке {width}")
                continue
            if "\ufffd" in "".join(cells):
                yield row_no, RowShape("В строке символы не в кодировке файла")
                continue
            yield row_no, dict(zip(self.columns, cells, strict=False))

    def estimate(self, rows_done: int) -> int | None:
        if not self.bytes_read:
            return None
        return max(rows_done, round(rows_done * self.size / self.bytes_read))

    def close(self) -> None:
        self._file.close()


class XlsxTable(Table):
    format = "xlsx"

    def __init__(self, path: Path) -> None:
        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException

        self._file = path.open("rb")  # a file object: openpyxl does not judge it by its name
        try:
            self._book = load_workbook(self._file, read_only=True, data_only=True)
        except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
            self._file.close()
            raise NotATable("Файл не читается как книга XLSX") from exc
        sheet = self._book.worksheets[0]
        self._rows = sheet.iter_rows(values_only=True)
        try:
            self.columns = _header(list(next(self._rows)))
        except StopIteration as exc:
            raise NotATable("Первый лист книги пуст") from exc
        self.estimated_rows = (sheet.max_row - 1) if sheet.max_row else None

    def rows(self) -> Iterator[tuple[int, Cells | RowShape]]:
        width = len(self.columns)
        for row_no, values in enumerate(self._rows, start=2):
            if not values or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            if len(values) > width and any(v is not None for v in values[width:]):
                yield row_no, RowShape(f"В строке заполнены ячейки правее последней колонки ({width})")
                continue
            yield row_no, dict(zip(self.columns, values, strict=False))

    def estimate(self, rows_done: int) -> int | None:
        return max(rows_done, self.estimated_rows) if self.estimated_rows else None

    def close(self) -> None:
        self._book.close()
        self._file.close()


def open_table(path: Path) -> CsvTable | XlsxTable:
    with path.open("rb") as f:
        head = f.read(8192)
    if head.startswith(XLSX_MAGIC):
        return XlsxTable(path)
    if head.startswith(BINARY_MAGIC) or b"\x00" in head:
        raise NotATable("Это не CSV и не XLSX: принимаются файлы регистра в формате CSV или XLSX")
    return CsvTable(path)
