"""The monthly attachment list as a file: CSV (UTF-8 with BOM, «;», as Excel in Russian
locale opens it) or XLSX. Columns: ``EXPORT_COLUMNS``."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook

from registry.attachment.schemas import EXPORT_COLUMNS, AttachedPerson

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _cells(row: AttachedPerson) -> list[str]:
    values = row.model_dump(mode="json")
    return ["" if values[c] is None else str(values[c]) for c in EXPORT_COLUMNS]


def to_csv(rows: Sequence[AttachedPerson]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    writer.writerows(_cells(r) for r in rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(rows: Sequence[AttachedPerson]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("Прикреплённые")
    sheet.append(list(EXPORT_COLUMNS))
    for row in rows:
        sheet.append(_cells(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
