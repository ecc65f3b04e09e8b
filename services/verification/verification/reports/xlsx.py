"""The report as an XLSX book: a summary sheet (title, lines, notes) and a sheet per table."""

from __future__ import annotations

import io

from openpyxl import Workbook
from openpyxl.styles import Font

from verification.reports.document import Report


def render_xlsx(report: Report) -> bytes:
    book = Workbook()
    summary = book.active
    assert summary is not None
    summary.title = "Отчёт"
    summary.append([report.title])
    summary["A1"].font = Font(bold=True, size=14)
    for line in report.lines:
        summary.append([line])
    summary.append([])
    for note in report.notes:
        summary.append([note])
    summary.column_dimensions["A"].width = 100
    for table in report.tables:
        sheet = book.create_sheet(table.sheet)
        sheet.append([table.title])
        sheet["A1"].font = Font(bold=True)
        sheet.append(table.header)
        for cell in sheet[2]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append(row)
        sheet.column_dimensions["A"].width = 45
        for letter in "BCDE":
            sheet.column_dimensions[letter].width = 16
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
