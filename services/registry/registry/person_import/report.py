"""The per-row error report of an import: CSV (UTF-8 with BOM, «;», as Excel in a Russian
locale opens it), written to a temporary file as the rows are read, so a file with millions
of bad rows does not fill memory."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import AsyncIterator
from typing import IO

from registry.person_import.columns import TITLES

HEADER = ("Строка", "Поле", "Наименование поля", "Ошибка")
MEDIA_TYPE = "text/csv"


class ErrorReport:
    def __init__(self) -> None:
        self._file: IO[str] = tempfile.TemporaryFile("w+", encoding="utf-8", newline="")  # noqa: SIM115  (closed by close())
        self._writer = csv.writer(self._file, delimiter=";", lineterminator="\r\n")
        self._writer.writerow(HEADER)
        self.rows: set[int] = set()
        self.count = 0

    def add(self, row_no: int, field: str, message: str) -> None:
        self.rows.add(row_no)
        self.count += 1
        self._writer.writerow((row_no, field, TITLES.get(field, ""), message))

    async def content(self) -> AsyncIterator[bytes]:
        self._file.flush()
        self._file.seek(0)
        yield "\ufeff".encode()
        while chunk := self._file.read(256 * 1024):
            yield chunk.encode("utf-8")

    def close(self) -> None:
        self._file.close()
