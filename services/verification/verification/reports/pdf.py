"""The report as a PDF (fpdf2, no browser): A4, DejaVu Sans for the Cyrillic text.

The font comes from Debian's ``fonts-dejavu-core`` (``make fonts`` installs it; nothing is
downloaded at run time); without it the report is refused with a problem saying so."""

from __future__ import annotations

from decimal import Decimal

from fpdf import FPDF
from fpdf.fonts import FontFace

from oms_kit.pdf_fonts import BOLD, FONT, font_dir
from verification.reports.document import Cell, Report, rubles


def _text(value: Cell) -> str:
    if value is None:
        return "—"
    if isinstance(value, Decimal):
        return rubles(value)
    return str(value)


def render_pdf(report: Report) -> bytes:
    folder = font_dir("Отчёт доступен в XLSX.")
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font("DejaVu", "", str(folder / FONT))
    pdf.add_font("DejaVu", "B", str(folder / BOLD))
    pdf.set_title(report.title)
    pdf.set_creator("OMS Region · Verification")
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 14)
    pdf.multi_cell(0, 7, report.title, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("DejaVu", "", 10)
    for line in report.lines:
        pdf.multi_cell(0, 5.5, line, new_x="LMARGIN", new_y="NEXT")
    for table in report.tables:
        pdf.ln(4)
        pdf.set_font("DejaVu", "B", 11)
        pdf.multi_cell(0, 6, table.title, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("DejaVu", "", 9)
        widths = (3, *([1] * (len(table.header) - 1)))
        with pdf.table(
            col_widths=widths,
            headings_style=FontFace(emphasis="BOLD"),
            text_align=("LEFT", *(["RIGHT"] * (len(table.header) - 1))),
            line_height=5,
        ) as grid:
            cells: list[list[Cell]] = [list(table.header), *table.rows]
            for values in cells:
                row = grid.row()
                for value in values:
                    row.cell(value if isinstance(value, str) else _text(value))
    if report.notes:
        pdf.ln(4)
        pdf.set_font("DejaVu", "", 8)
        for note in report.notes:
            pdf.multi_cell(0, 4.5, note, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
