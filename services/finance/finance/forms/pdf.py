"""The form as a PDF (fpdf2): A4 landscape, DejaVu Sans for the Cyrillic text (``make fonts``;
without the font the PDF is refused with a problem saying so, the XLSX stays available)."""

from __future__ import annotations

from decimal import Decimal

from fpdf import FPDF
from fpdf.fonts import FontFace

from finance.forms.export import Document, header_lines
from oms_kit.pdf_fonts import BOLD, FONT, font_dir


def _money(value: Decimal | None) -> str:
    if value is None:
        return ""
    return f"{value:,.2f}".replace(",", " ").replace(".", ",")


def render_pdf(doc: Document) -> bytes:
    folder = font_dir("Форма доступна в XLSX.")
    v = doc.version
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_font("DejaVu", "", str(folder / FONT))
    pdf.add_font("DejaVu", "B", str(folder / BOLD))
    pdf.set_title(f"Форма {v.short}")
    pdf.set_creator("OMS Region · Finance")
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 12)
    pdf.multi_cell(0, 6, f"Форма {v.short}. {v.title}", new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.ln(1)
    pdf.set_font("DejaVu", "", 9)
    for text in header_lines(doc):
        pdf.multi_cell(0, 4.5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("DejaVu", "", 7)
    widths = (8, 1.2, *([2.2] * len(v.columns)))
    with pdf.table(
        col_widths=widths,
        headings_style=FontFace(emphasis="BOLD"),
        text_align=("LEFT", "CENTER", *(["RIGHT"] * len(v.columns))),
        line_height=3.6,
    ) as grid:
        head = grid.row()
        for title in ["Наименование показателя", "Код строки", *[c.title for c in v.columns]]:
            head.cell(title)
        codes = grid.row()
        for code in ["1", "2", *[c.code for c in v.columns]]:
            codes.cell(code)
        for r in v.rows:
            if r.section:
                grid.row().cell(r.section, colspan=2 + len(v.columns))
            line = grid.row()
            line.cell(("   " * r.level) + r.title)
            line.cell(r.code)
            for c in v.columns:
                line.cell("X" if not v.has_cell(r, c.code) else _money(doc.values.get((r.code, c.code))))
    pdf.ln(3)
    pdf.set_font("DejaVu", "B", 9)
    pdf.cell(0, 5, "Контрольные соотношения", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 8)
    if not doc.violations:
        pdf.multi_cell(0, 4.5, "Выполнены.", new_x="LMARGIN", new_y="NEXT")
    for viol in doc.violations:
        kind = "Ошибка" if viol.severity == "error" else "Предупреждение"
        pdf.multi_cell(
            0,
            4.5,
            f"{kind} {viol.code}: {viol.message}. {viol.rule}: {_money(viol.left)} и {_money(viol.right)}",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    return bytes(pdf.output())
