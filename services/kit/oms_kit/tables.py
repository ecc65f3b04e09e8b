"""Reading a table file row by row from disk, never whole: CSV (UTF-8 with or without BOM, or
windows-1251; «;» or «,») line by line, XLSX through openpyxl's read-only streaming.

What the columns are is the caller's: ``open_table(path, header)`` hands the first row to
``header``, which returns the column names (or raises ``NotATable`` with a Russian message).
Rows come as ``(row number, cells or RowShape)``, the header being row 1 as a spreadsheet
numbers it. XLSX needs ``openpyxl`` among the calling service's dependencies.

Synchronous on purpose: jobs run it in a worker thread, batch by batch, so parsing does not
hold the service's event loop."""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, BinaryIO

XLSX_MAGIC = b"PK\x03\x04"
BOM = b"\xef\xbb\xbf"
# Signatures of files that are certainly not a table: PDF, old Excel/Word, images, archives.
BINARY_MAGIC = (b"%PDF", b"\xd0\xcf\x11\xe0", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"Rar!")
SAMPLE = 64 * 1024


class NotATable(Exception):
    """The file is not a table the caller can read (Russian message for the job's error)."""


Cells = dict[str, Any]
Header = Callable[[list[Any]], list[str]]


class RowShape(Exception):
    """A row whose shape is wrong (too many cells, not CSV, broken encoding): reported, the
    file goes on."""


def detect_encoding(head: bytes) -> str:
    """``utf-8`` or ``cp1251`` for a sample of a text file. A UTF-8 file with a few broken
    bytes stays UTF-8 (its broken rows are reported one by one), a windows-1251 file does not
    decode as UTF-8 at all."""
    if head.startswith(BOM):
        return "utf-8"
    try:
        head.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        # A cut multi-byte character at the end of the sample is still UTF-8.
        if exc.start >= len(head) - 3:
            return "utf-8"
    text = head.decode("utf-8", errors="replace")
    broken = text.count("\ufffd")
    decoded = sum(1 for ch in text if ch > "\x7f" and ch != "\ufffd")
    return "utf-8" if decoded > 4 * broken else "cp1251"


class Table:
    """The rows of a table file: ``format``, ``columns`` and an iterator of
    ``(row number, cells or RowShape)``."""

    format: str
    columns: list[str]
    estimated_rows: int | None

    def rows(self) -> Iterator[tuple[int, Cells | RowShape]]:  # pragma: no cover - interface
        raise NotImplementedError

    def estimate(self, rows_done: int) -> int | None:  # pragma: no cover - interface
        raise NotImplementedError

    def close(self) -> None:
        return None


class CsvTable(Table):
    format = "csv"

    def __init__(self, path: Path, header: Header) -> None:
        self._file: BinaryIO = path.open("rb")
        self.size = path.stat().st_size
        head = self._file.read(SAMPLE)
        self._file.seek(0)
        self.encoding = detect_encoding(head)
        if head.startswith(BOM):
            self._file.seek(len(BOM))
        first = head.removeprefix(BOM).split(b"\n", 1)[0].decode(self.encoding, errors="replace")
        self.delimiter = ";" if first.count(";") >= first.count(",") else ","
        self.bytes_read = 0
        self._broken = False  # a line of the record being read did not decode
        self._lines = self._decoded_lines()
        self._reader = csv.reader(self._lines, delimiter=self.delimiter)
        try:
            self.columns = header(next(self._reader))
        except StopIteration as exc:
            self.close()
            raise NotATable("Файл пуст") from exc
        except csv.Error as exc:
            self.close()
            raise NotATable("Файл не читается как CSV") from exc
        except NotATable:
            self.close()
            raise
        self.estimated_rows = None

    def _decoded_lines(self) -> Iterator[str]:
        encoding = self.encoding
        for raw in self._file:
            self.bytes_read += len(raw)
            try:
                yield raw.decode(encoding)
            except UnicodeDecodeError:
                self._broken = True
                yield raw.decode(encoding, errors="replace")

    def rows(self) -> Iterator[tuple[int, Cells | RowShape]]:
        columns = self.columns
        width = len(columns)
        reader = self._reader
        row_no = 1
        while True:
            try:
                cells = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                row_no += 1
                yield row_no, RowShape(f"Строка не разбирается как CSV: {exc}")
                continue
            row_no += 1
            broken, self._broken = self._broken, False
            if not cells or (not cells[0].strip() and all(not c.strip() for c in cells)):
                continue  # blank lines are not rows
            if len(cells) > width and any(c.strip() for c in cells[width:]):
                yield row_no, RowShape(f"В строке {len(cells)} значений, а колонок в заголовке {width}")
                continue
            if broken:
                yield row_no, RowShape("В строке символы не в кодировке файла")
                continue
            yield row_no, dict(zip(columns, cells, strict=False))

    def estimate(self, rows_done: int) -> int | None:
        if not self.bytes_read:
            return None
        return max(rows_done, round(rows_done * self.size / self.bytes_read))

    def close(self) -> None:
        self._file.close()


class XlsxTable(Table):
    format = "xlsx"

    def __init__(self, path: Path, header: Header) -> None:
        from openpyxl import load_workbook
        from openpyxl.utils.exceptions import InvalidFileException

        self._file: BinaryIO = path.open("rb")  # a file object: openpyxl does not judge it by its name
        try:
            self._book = load_workbook(self._file, read_only=True, data_only=True)
        except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
            self._file.close()
            raise NotATable("Файл не читается как книга XLSX") from exc
        sheet = self._book.worksheets[0]
        self._rows = sheet.iter_rows(values_only=True)
        try:
            self.columns = header(list(next(self._rows)))
        except StopIteration as exc:
            self.close()
            raise NotATable("Первый лист книги пуст") from exc
        except NotATable:
            self.close()
            raise
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


def sniff(path: Path) -> bytes:
    """The first 8 KiB of a file (to tell its format)."""
    with path.open("rb") as f:
        return f.read(8192)


def is_binary(head: bytes) -> bool:
    """Certainly not a text table: a known binary signature or a NUL byte."""
    return head.startswith(BINARY_MAGIC) or b"\x00" in head


def open_table(path: Path, header: Header, *, what: str = "файлы") -> CsvTable | XlsxTable:
    """A CSV or XLSX table; anything else raises ``NotATable`` («Это не CSV и не XLSX:
    принимаются {what} в формате CSV или XLSX»)."""
    head = sniff(path)
    if head.startswith(XLSX_MAGIC):
        return XlsxTable(path, header)
    if is_binary(head):
        raise NotATable(f"Это не CSV и не XLSX: принимаются {what} в формате CSV или XLSX")
    return CsvTable(path, header)
