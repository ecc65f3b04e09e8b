"""The stock list as an XLSX workbook (openpyxl): one row per batch, Russian headers, expired
and expiring batches and drugs below their threshold marked in the last column."""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from pharmacy.stock.schemas import StockRow

FUNDING = {"federal": "федеральный", "regional": "региональный"}
HEADERS = (
    "Аптека",
    "МНН",
    "Торговое наименование",
    "Форма",
    "Дозировка",
    "Серия",
    "Срок годности",
    "Финансирование",
    "Цена, ₽",
    "Остаток, уп.",
    "В резерве",
    "Свободно",
    "Свободно по препарату",
    "Порог",
    "Отметки",
)
EXPIRING_DAYS = 90
RED = PatternFill("solid", fgColor="F8D7DA")
AMBER = PatternFill("solid", fgColor="FFF3CD")


def marks(row: StockRow) -> list[str]:
    out = []
    if row.days_to_expiry < 0:
        out.append("просрочено")
    elif row.days_to_expiry <= EXPIRING_DAYS:
        out.append(f"истекает через {row.days_to_expiry} дн.")
    if row.low:
        out.append("ниже порога")
    return out


def stock_xlsx(rows: Sequence[StockRow], today: date) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Остатки"
    sheet.append([f"Остатки на {today:%d.%m.%Y}"])
    sheet.append(list(HEADERS))
    for cell in sheet[2]:
        cell.font = Font(bold=True)
    for r in rows:
        sheet.append(
            [
                r.pharmacy_name or str(r.pharmacy_id),
                r.inn,
                r.trade_name,
                r.dosage_form,
                r.dosage,
                r.series,
                r.expiry_date,
                FUNDING.get(r.funding_source, r.funding_source),
                float(r.unit_price),
                r.quantity,
                r.reserved,
                r.free,
                r.drug_free,
                r.threshold,
                ", ".join(marks(r)),
            ]
        )
        fill = RED if r.days_to_expiry < 0 else AMBER if r.days_to_expiry <= EXPIRING_DAYS or r.low else None
        if fill is not None:
            for cell in sheet[sheet.max_row]:
                cell.fill = fill
        sheet.cell(sheet.max_row, 7).number_format = "DD.MM.YYYY"
    sheet.freeze_panes = "A3"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
