"""Writing the finance's tables: CSV as Excel in a Russian locale opens it (UTF-8 with BOM,
«;», CRLF), a plain one-sheet XLSX, any openpyxl book as bytes, the ruble number format, and
the normalised column title the template readers match headers by (``oms_kit.tables`` reads)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook

MONEY = "#,##0.00"


def norm_title(title: Any) -> str:
    """A header cell as matched: lower case, «ё» as «е», single spaces."""
    return " ".join(str(title or "").lower().replace("ё", "е").split())


def csv_bytes(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def xlsx_bytes(sheet_title: str, header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> bytes:
    """One sheet: the header, then the rows (numbers stay numbers, summable in Excel)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_title)
    sheet.append(list(header))
    for row in rows:
        sheet.append(list(row))
    return book_bytes(book)


def book_bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
