"""Files of the medico-economic control: the registry of dispensed prescriptions (CSV for the
fund, XLSX), the expertise act (XLSX, PDF) and the acts of a period for the fund (CSV).

CSV: UTF-8 with BOM, «;», CRLF (as Excel opens it in a Russian locale); persons as surname and
initials, SNILS masked — these files leave the system. Columns: docs/formats.md «Аптека: реестр
отпущенных рецептов», «Аптека: акты МЭК»."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

from fpdf import FPDF
from fpdf.fonts import FontFace
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

from oms_kit.pdf_fonts import BOLD, FONT, font_dir
from pharmacy.control.checks import title_of
from pharmacy.control.schemas import ActCard, ActRead, RegistryRowRead

MONEY = "#,##0.00"
FUNDING = {"federal": "федеральный", "regional": "региональный"}

REGISTRY_HEADER = [
    "N п/п",
    "Серия рецепта",
    "Номер рецепта",
    "Форма бланка",
    "Дата выписки",
    "Действителен до",
    "Код МО",
    "Код категории льготы",
    "Источник финансирования",
    "Код МКБ-10",
    "Пациент",
    "СНИЛС",
    "МНН",
    "Торговое наименование",
    "Лекарственная форма",
    "Дозировка",
    "Количество упаковок",
    "Дата отпуска",
    "Сумма, руб.",
    "Проверен МЭК",
    "К удержанию, руб.",
    "Коды нарушений",
]

ACTS_HEADER = [
    "Номер акта",
    "Дата акта",
    "Аптека",
    "Период с",
    "Период по",
    "N строки",
    "Серия рецепта",
    "Номер рецепта",
    "Дата отпуска",
    "Пациент",
    "СНИЛС",
    "МНН",
    "Сумма, руб.",
    "К удержанию, руб.",
    "Коды нарушений",
]


def short_name(full_name: str | None) -> str:
    if not full_name:
        return ""
    parts = full_name.split()
    return " ".join([parts[0], *[f"{p[0]}." for p in parts[1:]]])


def _money(value: Decimal | None) -> str:
    return "" if value is None else f"{value:.2f}".replace(".", ",")


def csv_bytes(header: Sequence[Any], rows: Iterable[Sequence[Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def _registry_line(n: int, r: RegistryRowRead, *, for_csv: bool) -> list[Any]:
    money = _money if for_csv else (lambda v: v)
    return [
        n,
        r.series,
        r.number,
        r.form,
        r.issued_on.strftime("%d.%m.%Y"),
        r.valid_until.strftime("%d.%m.%Y"),
        r.mo_code,
        r.category_code,
        FUNDING.get(r.funding_source, r.funding_source),
        r.diagnosis_code,
        short_name(r.patient),
        r.snils_masked or "",
        r.inn,
        r.trade_name,
        r.dosage_form,
        r.dosage,
        r.quantity,
        r.dispensed_at.astimezone().strftime("%d.%m.%Y"),
        money(r.amount),
        "да" if r.checked else "нет",
        money(r.withheld) if r.withheld is not None else "",
        " ".join(r.violation_codes),
    ]


def registry_csv(rows: list[RegistryRowRead]) -> bytes:
    return csv_bytes(REGISTRY_HEADER, (_registry_line(i, r, for_csv=True) for i, r in enumerate(rows, 1)))


def registry_xlsx(rows: list[RegistryRowRead], title: str) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Реестр"
    sheet.append([title])
    sheet["A1"].font = Font(bold=True)
    sheet.append(REGISTRY_HEADER)
    for cell in sheet[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for i, r in enumerate(rows, 1):
        sheet.append(_registry_line(i, r, for_csv=False))
        for col in (19, 21):
            sheet.cell(row=sheet.max_row, column=col).number_format = MONEY
    total_row = sheet.max_row + 1
    sheet.cell(row=total_row, column=18, value="Итого").font = Font(bold=True)
    sheet.cell(
        row=total_row, column=19, value=sum((r.amount for r in rows), Decimal("0.00"))
    ).number_format = MONEY
    sheet.cell(
        row=total_row, column=21, value=sum((r.withheld or Decimal("0.00") for r in rows), Decimal("0.00"))
    ).number_format = MONEY
    for letter, width in {"K": 22, "M": 24, "N": 24, "O": 18, "V": 30}.items():
        sheet.column_dimensions[letter].width = width
    return _book_bytes(book)


def _book_bytes(book: Workbook) -> bytes:
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def act_heading(act: ActRead) -> list[str]:
    return [
        f"Акт медико-экономического контроля № {act.number} от {act.drawn_up_on:%d.%m.%Y}",
        f"Аптечная организация: {act.pharmacy_name or act.pharmacy_id}",
        f"Период отпуска: {act.period_from:%d.%m.%Y} — {act.period_to:%d.%m.%Y}",
        f"Проверено рецептов (отпусков): {act.dispenses}; с нарушениями: {act.with_violations}",
        f"Предъявлено к оплате: {_money(act.amount)} руб.; к удержанию: {_money(act.withheld)} руб.; "
        f"принято к оплате: {_money(act.accepted)} руб.",
    ]


ACT_COLUMNS = ["N", "Рецепт", "Дата отпуска", "Пациент", "МНН", "Кол-во", "Сумма", "К удержанию", "Нарушения"]


def act_xlsx(act: ActCard) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Акт МЭК"
    for text in act_heading(act):
        sheet.append([text])
    sheet["A1"].font = Font(bold=True)
    sheet.append([])
    sheet.append(ACT_COLUMNS)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for line in act.lines:
        sheet.append(
            [
                line.n,
                f"{line.series} № {line.number} от {line.issued_on:%d.%m.%Y}",
                line.dispensed_on.strftime("%d.%m.%Y"),
                line.patient or "",
                line.inn,
                line.quantity,
                line.amount,
                line.withheld,
                line.reasons,
            ]
        )
        sheet.cell(row=sheet.max_row, column=7).number_format = MONEY
        sheet.cell(row=sheet.max_row, column=8).number_format = MONEY
        sheet.cell(row=sheet.max_row, column=9).alignment = Alignment(wrap_text=True, vertical="top")
    sheet.append(
        ["", "Итого", "", "", "", "", sum((x.amount for x in act.lines), Decimal("0.00")), act.withheld]
    )
    sheet.cell(row=sheet.max_row, column=2).font = Font(bold=True)
    sheet.cell(row=sheet.max_row, column=8).number_format = MONEY
    sheet.cell(row=sheet.max_row, column=7).number_format = MONEY
    for letter, width in {"B": 28, "D": 22, "E": 24, "I": 80}.items():
        sheet.column_dimensions[letter].width = width
    return _book_bytes(book)


def act_pdf(act: ActCard) -> bytes:
    folder = font_dir("Акт доступен в XLSX.")
    pdf = FPDF(orientation="L", unit="mm", format="A4")
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_font("DejaVu", "", str(folder / FONT))
    pdf.add_font("DejaVu", "B", str(folder / BOLD))
    pdf.set_title(f"Акт МЭК {act.number}")
    pdf.set_creator("OMS Region · Pharmacy")
    pdf.add_page()
    heading = act_heading(act)
    pdf.set_font("DejaVu", "B", 12)
    pdf.multi_cell(0, 6, heading[0], new_x="LMARGIN", new_y="NEXT", align="C")
    pdf.ln(1)
    pdf.set_font("DejaVu", "", 9)
    for text in heading[1:]:
        pdf.multi_cell(0, 4.5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    pdf.set_font("DejaVu", "", 7)
    if not act.lines:
        pdf.multi_cell(0, 5, "Нарушений не выявлено.", new_x="LMARGIN", new_y="NEXT")
    else:
        with pdf.table(
            col_widths=(1, 5, 2.4, 4, 4, 1.4, 2.4, 2.4, 12),
            headings_style=FontFace(emphasis="BOLD"),
            text_align=("RIGHT", "LEFT", "CENTER", "LEFT", "LEFT", "RIGHT", "RIGHT", "RIGHT", "LEFT"),
            line_height=3.6,
        ) as grid:
            head = grid.row()
            for title in ACT_COLUMNS:
                head.cell(title)
            for line in act.lines:
                row = grid.row()
                for value in (
                    str(line.n),
                    f"{line.series} № {line.number} от {line.issued_on:%d.%m.%Y}",
                    f"{line.dispensed_on:%d.%m.%Y}",
                    line.patient or "",
                    line.inn,
                    str(line.quantity),
                    _money(line.amount),
                    _money(line.withheld),
                    "; ".join(title_of(c) for c in line.violations),
                ):
                    row.cell(value)
            total = grid.row()
            total.cell("Итого", colspan=6)
            total.cell(_money(sum((x.amount for x in act.lines), Decimal("0.00"))))
            total.cell(_money(act.withheld))
            total.cell("")
    pdf.ln(4)
    pdf.set_font("DejaVu", "", 9)
    for text in (
        "Акт составил: ____________________ / ____________________",
        "Представитель аптечной организации: ____________________ / ____________________",
    ):
        pdf.multi_cell(0, 7, text, new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())


def acts_csv(acts: list[ActCard]) -> bytes:
    def rows() -> Iterable[list[Any]]:
        for act in acts:
            for line in act.lines:
                yield [
                    act.number,
                    act.drawn_up_on.strftime("%d.%m.%Y"),
                    act.pharmacy_name or str(act.pharmacy_id),
                    act.period_from.strftime("%d.%m.%Y"),
                    act.period_to.strftime("%d.%m.%Y"),
                    line.n,
                    line.series,
                    line.number,
                    line.dispensed_on.strftime("%d.%m.%Y"),
                    line.patient or "",
                    line.snils_masked or "",
                    line.inn,
                    _money(line.amount),
                    _money(line.withheld),
                    " ".join(line.violations),
                ]

    return csv_bytes(ACTS_HEADER, rows())
