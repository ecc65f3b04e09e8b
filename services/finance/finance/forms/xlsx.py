"""The form as an XLSX book in its layout: the merged title, the header lines, the column
heads with their codes (1 — name, 2 — row code, 3… — the columns), the rows with their codes,
indented by level, numbers in the ruble format, «X» where a row has no such cell; a second
sheet lists the control-ratio violations."""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from finance.forms.export import Document, header_lines
from finance.sheets import MONEY, book_bytes

THIN = Side(style="thin", color="999999")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="E8EEF7")
SECTION_FILL = PatternFill("solid", fgColor="F4F4F4")


def render_xlsx(doc: Document) -> bytes:
    v = doc.version
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = f"Форма {v.form}"
    width = 2 + len(v.columns)
    last = get_column_letter(width)
    sheet.append([f"Форма {v.short}. {v.title}"])
    sheet.merge_cells(f"A1:{last}1")
    sheet["A1"].font = Font(bold=True, size=13)
    sheet["A1"].alignment = Alignment(wrap_text=True, vertical="center")
    sheet.row_dimensions[1].height = 36
    for text in header_lines(doc):
        sheet.append([text])
        sheet.merge_cells(f"A{sheet.max_row}:{last}{sheet.max_row}")
    sheet.append([])
    head = ["Наименование показателя", "Код строки", *[c.title for c in v.columns]]
    codes = ["1", "2", *[c.code for c in v.columns]]
    sheet.append(head)
    head_row = sheet.max_row
    sheet.append(codes)
    for row_index in (head_row, head_row + 1):
        for cell in sheet[row_index]:
            cell.font = Font(bold=True)
            cell.fill = HEAD_FILL
            cell.border = BOX
            cell.alignment = Alignment(wrap_text=True, horizontal="center", vertical="center")
    sheet.row_dimensions[head_row].height = 60
    for r in v.rows:
        if r.section:
            sheet.append([r.section])
            sheet.merge_cells(f"A{sheet.max_row}:{last}{sheet.max_row}")
            sheet.cell(sheet.max_row, 1).font = Font(bold=True)
            sheet.cell(sheet.max_row, 1).fill = SECTION_FILL
        line: list[object] = [r.title, r.code]
        for c in v.columns:
            if not v.has_cell(r, c.code):
                line.append("X")
            else:
                value = doc.values.get((r.code, c.code))
                line.append(float(value) if value is not None else None)
        sheet.append(line)
        at = sheet.max_row
        sheet.cell(at, 1).alignment = Alignment(wrap_text=True, indent=r.level * 2)
        if r.level == 0:
            sheet.cell(at, 1).font = Font(bold=True)
        sheet.cell(at, 2).alignment = Alignment(horizontal="center")
        for i in range(1, width + 1):
            cell = sheet.cell(at, i)
            cell.border = BOX
            if i > 2:
                cell.number_format = MONEY
                if cell.value == "X":
                    cell.alignment = Alignment(horizontal="center")
    sheet.column_dimensions["A"].width = 60
    sheet.column_dimensions["B"].width = 8
    for i in range(3, width + 1):
        sheet.column_dimensions[get_column_letter(i)].width = 18
    sheet.freeze_panes = f"C{head_row + 2}"
    checks = book.create_sheet("Контроль")
    checks.append(["Код", "Важность", "Соотношение", "Левая часть", "Правая часть", "Сообщение"])
    for cell in checks[1]:
        cell.font = Font(bold=True)
    for viol in doc.violations:
        checks.append(
            [
                viol.code,
                "ошибка" if viol.severity == "error" else "предупреждение",
                viol.rule,
                float(viol.left),
                float(viol.right),
                viol.message,
            ]
        )
        for i in (4, 5):
            checks.cell(checks.max_row, i).number_format = MONEY
    if not doc.violations:
        checks.append(["", "", "Контрольные соотношения выполнены"])
    checks.column_dimensions["C"].width = 60
    checks.column_dimensions["F"].width = 80
    return book_bytes(book)
