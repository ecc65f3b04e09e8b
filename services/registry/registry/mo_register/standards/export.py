"""The need report as a file: one row per MO and kind of equipment (columns
``EXPORT_COLUMNS``); CSV in UTF-8 with BOM and «;» (as Excel in Russian locale opens it) or
XLSX with the same columns and a Russian header row. Format: docs/formats.md."""

from __future__ import annotations

import csv
import io

from openpyxl import Workbook
from openpyxl.styles import Font

from registry.mo_register.standards.schemas import EXPORT_COLUMNS, EquipmentNeedReport

CSV_MEDIA_TYPE = "text/csv; charset=utf-8"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HEADERS_RU = (
    "Код МО",
    "Медицинская организация",
    "Код вида",
    "Вид оборудования",
    "Требуется",
    "Исправно",
    "Потребность",
)


def rows(report: EquipmentNeedReport) -> list[list[str | int]]:
    return [
        [
            mo.mo_code or "",
            mo.mo_name,
            line.type_code,
            line.type_name or "",
            line.required,
            line.available,
            line.need,
        ]
        for mo in report.mos
        for line in mo.lines
    ]


def to_csv(report: EquipmentNeedReport) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(EXPORT_COLUMNS)
    writer.writerows(rows(report))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(report: EquipmentNeedReport) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Потребность"
    sheet.append(list(HEADERS_RU))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows(report):
        sheet.append(row)
    sheet.append([])
    sheet.append(["", "Итого по региону" if report.scope == "region" else "Итого", "", "", *_totals(report)])
    for column, width in zip("ABCDEFG", (10, 50, 12, 45, 11, 11, 13), strict=True):
        sheet.column_dimensions[column].width = width
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _totals(report: EquipmentNeedReport) -> list[int]:
    return [
        sum(line.required for line in report.lines),
        sum(line.available for line in report.lines),
        report.need,
    ]
