"""Rows into a temporary file — CSV (UTF-8 with BOM, «;», CRLF), XLSX (openpyxl, write-only)
or XML (``PERS_LIST``) — then streamed out in chunks. The XLSX book is kept in memory by
openpyxl until saved (write-only mode: the rows as compact XML, about 100 bytes a row)."""

from __future__ import annotations

import asyncio
import csv
import tempfile
from collections.abc import AsyncIterator, Sequence
from datetime import date
from typing import IO, Any
from xml.sax.saxutils import escape

CSV_MEDIA_TYPE = "text/csv"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XML_MEDIA_TYPE = "application/xml"
MEDIA_TYPES = {"csv": CSV_MEDIA_TYPE, "xlsx": XLSX_MEDIA_TYPE, "xml": XML_MEDIA_TYPE}
CHUNK = 1024 * 1024


class _Lines:
    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> None:
        self.parts.append(text)

    def take(self) -> str:
        text, self.parts = "".join(self.parts), []
        return text


class TableWriter:
    """A header and rows of cells (text, numbers or None) as CSV or XLSX."""

    def __init__(self, file_format: str, header: Sequence[str], sheet: str) -> None:
        self.format = file_format
        self._file: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115  (closed by close())
        if file_format == "xlsx":
            from openpyxl import Workbook

            self._book = Workbook(write_only=True)
            self._sheet = self._book.create_sheet(sheet)
            self._sheet.append(list(header))
        else:
            self._file.write("\ufeff".encode())
            self._lines = _Lines()
            self._csv = csv.writer(self._lines, delimiter=";", lineterminator="\r\n")
            self._csv.writerow(header)

    def add(self, rows: Sequence[Sequence[Any]]) -> None:
        if self.format == "xlsx":
            for row in rows:
                self._sheet.append(list(row))
        else:
            self._csv.writerows([["" if v is None else v for v in row] for row in rows])
            self._file.write(self._lines.take().encode("utf-8"))

    async def content(self) -> AsyncIterator[bytes]:
        if self.format == "xlsx":
            await asyncio.to_thread(self._book.save, self._file)
        self._file.seek(0)
        while chunk := self._file.read(CHUNK):
            yield chunk

    def close(self) -> None:
        self._file.close()


class PersListWriter:
    """``<PERS_LIST><ZGLV>…</ZGLV><PERS>…</PERS>…</PERS_LIST>`` in UTF-8: the register's XML
    layout (docs/formats.md), element names from ``register.columns.XML_ELEMENTS``; empty
    values are left out, as the reader expects."""

    format = "xml"

    def __init__(self, elements: dict[str, str], *, as_of: date, file_name: str) -> None:
        self._elements = elements  # column code → element name, in the layout's order
        self._file: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115
        self._file.write(
            (
                '<?xml version="1.0" encoding="UTF-8"?>\n<PERS_LIST>\n'
                f"  <ZGLV><VERSION>1.0</VERSION><DATA>{as_of.isoformat()}</DATA>"
                f"<FILENAME>{escape(file_name)}</FILENAME></ZGLV>\n"
            ).encode()
        )

    def add(self, rows: Sequence[dict[str, Any]]) -> None:
        parts = []
        for row in rows:
            inner = "".join(
                f"<{name}>{escape(str(row[code]))}</{name}>"
                for code, name in self._elements.items()
                if row.get(code) not in (None, "")
            )
            parts.append(f"  <PERS>{inner}</PERS>\n")
        self._file.write("".join(parts).encode())

    async def content(self) -> AsyncIterator[bytes]:
        self._file.write(b"</PERS_LIST>\n")
        self._file.seek(0)
        while chunk := self._file.read(CHUNK):
            yield chunk

    def close(self) -> None:
        self._file.close()
