"""The entry grid as an XLSX book (Russian headers): a month — a line per cell with plan, actual
and the payment orders behind it; a year — КОСГУ × КВФО lines, months as columns (actual and
plan sheets)."""

from __future__ import annotations

from decimal import Decimal

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from finance.budget.codes import FLOW_NAMES, KOSGU, KVFO
from finance.budget.schemas import BudgetGridRow, BudgetMonthRead
from finance.budget.template import EXAMPLE, TITLES
from finance.months import MONTHS_RU, month_text
from finance.sheets import MONEY, book_bytes, xlsx_bytes

BOLD = Font(bold=True)


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def _widths(sheet: object, widths: list[int]) -> None:
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width  # type: ignore[attr-defined]


def month_book(mo_name: str, data: BudgetMonthRead) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = data.month
    sheet.append(["Медицинская организация", mo_name])
    sheet.append(["Месяц", data.month])
    sheet.append(["Период закрыт" if data.locked else "Период открыт", data.lock_reason or ""])
    sheet.append([])
    header = [
        "Показатель",
        "КОСГУ",
        "Наименование КОСГУ",
        "КВФО",
        "План, руб.",
        "Факт, руб.",
        "По платёжным поручениям, руб.",
        "Разница, руб.",
    ]
    sheet.append(header)
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True)
    for c in data.cells:
        sheet.append(
            [
                FLOW_NAMES[c.flow],
                c.kosgu,
                KOSGU[c.kosgu].name if c.kosgu in KOSGU else "",
                c.kvfo,
                _number(c.planned),
                _number(c.actual) if c.entered else None,
                _number(c.payments),
                _number(c.difference),
            ]
        )
        for col in range(5, 9):
            sheet.cell(sheet.max_row, col).number_format = MONEY
    _widths(sheet, [26, 8, 60, 6, 18, 18, 20, 16])
    return book_bytes(book)


def year_book(title: str, year: int, rows: list[BudgetGridRow], locked: list[str]) -> bytes:
    book = Workbook()
    first = book.active
    assert first is not None
    for sheet, attr, name in ((first, "actual", "Факт"), (book.create_sheet(), "planned", "План")):
        sheet.title = name
        sheet.append([title])
        sheet.append([f"{year} год, {name.lower()}, руб."])
        if locked:
            sheet.append(["Закрытые месяцы:", ", ".join(locked)])
        sheet.append([])
        sheet.append(
            [
                "Показатель",
                "КОСГУ",
                "Наименование КОСГУ",
                "КВФО",
                *(m.capitalize() for m in MONTHS_RU),
                "Итого за год",
            ]
        )
        for cell in sheet[sheet.max_row]:
            cell.font = BOLD
        for row in rows:
            values = getattr(row, attr)
            total = sum((v for v in values if v is not None), Decimal(0))
            sheet.append(
                [
                    FLOW_NAMES[row.flow],
                    row.kosgu,
                    KOSGU[row.kosgu].name if row.kosgu in KOSGU else "",
                    f"{row.kvfo} — {KVFO[row.kvfo]}" if row.kvfo in KVFO else row.kvfo,
                    *(_number(v) for v in values),
                    _number(total) if row.flow != "payable" else None,
                ]
            )
            for col in range(5, 18):
                sheet.cell(sheet.max_row, col).number_format = MONEY
        _widths(sheet, [26, 8, 50, 24, *([15] * 13)])
    return book_bytes(book)


def template_book() -> bytes:
    """The empty template with its example lines (docs/formats.md)."""
    rows = [
        [
            month_text(month),
            FLOW_NAMES[cell.flow],
            cell.kvfo,
            cell.kosgu,
            None if cell.planned is None else float(cell.planned),
            float(cell.actual),
            KOSGU[cell.kosgu].name,
        ]
        for month, cell in EXAMPLE
    ]
    return xlsx_bytes("Доходы и расходы", [*TITLES, "Наименование"], rows)
