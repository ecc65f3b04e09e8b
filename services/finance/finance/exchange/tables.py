"""The CSV and XLSX template of payment orders (docs/formats.md, «Финансы: обмен с
бухгалтерией»): Russian column titles, each standing for a 1C key, so a table row is checked
by the same rules as a 1C document. Read through ``oms_kit.tables`` (UTF-8 with or without
BOM or windows-1251, «;» or «,»; XLSX's first sheet), written as UTF-8 with BOM and «;» (as
Excel in a Russian locale opens it) or as XLSX."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from finance.sheets import csv_bytes, norm_title, xlsx_bytes
from oms_kit.tables import NotATable, RowShape, open_table

# (column title, 1C key, required)
COLUMNS: tuple[tuple[str, str, bool], ...] = (
    ("Вид документа", "СекцияДокумент", False),
    ("Номер", "Номер", True),
    ("Дата", "Дата", True),
    ("Сумма", "Сумма", True),
    ("Направление", "Направление", False),
    ("Плательщик", "Плательщик1", True),
    ("ИНН плательщика", "ПлательщикИНН", False),
    ("КПП плательщика", "ПлательщикКПП", False),
    ("Счёт плательщика", "ПлательщикСчет", False),
    ("БИК банка плательщика", "ПлательщикБИК", False),
    ("Получатель", "Получатель1", True),
    ("ИНН получателя", "ПолучательИНН", False),
    ("КПП получателя", "ПолучательКПП", False),
    ("Счёт получателя", "ПолучательСчет", False),
    ("БИК банка получателя", "ПолучательБИК", False),
    ("Назначение платежа", "НазначениеПлатежа", False),
    ("КБК", "ПоказательКБК", False),
    ("КВФО", "КВФО", False),
    ("КОСГУ", "КОСГУ", False),
    ("Дата списания", "ДатаСписано", False),
    ("Дата поступления", "ДатаПоступило", False),
)
TITLES = tuple(title for title, _, _ in COLUMNS)
REQUIRED = tuple(title for title, _, required in COLUMNS if required)
# The title a report names a field by (a 1C key → the column it came from).
LABELS = {key: title for title, key, _ in COLUMNS} | {
    "Плательщик": "Плательщик",
    "Получатель": "Получатель",
    "ПлательщикРасчСчет": "Счёт плательщика",
    "ПолучательРасчСчет": "Счёт получателя",
}
CSV_MEDIA_TYPE = "text/csv"
XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


KEY_OF = {norm_title(title): key for title, key, _ in COLUMNS}


def _header(raw: list[Any]) -> list[str]:
    names = [norm_title(c) for c in raw]
    while names and not names[-1]:
        names.pop()
    unknown = [str(raw[i]) for i, n in enumerate(names) if n and n not in KEY_OF]
    known = [n for n in names if n in KEY_OF]
    if not known:
        raise NotATable(
            "Первая строка не похожа на заголовок шаблона платёжных поручений: ожидаются колонки "
            f"{', '.join(TITLES[:6])}, … (см. docs/formats.md)"
        )
    if unknown:
        raise NotATable(f"Неизвестные колонки: {', '.join(unknown[:10])} (проверьте написание)")
    missing = [t for t in REQUIRED if norm_title(t) not in names]
    if missing:
        raise NotATable(f"Нет обязательных колонок: {', '.join(missing)}")
    if not ({norm_title("Счёт плательщика"), norm_title("Счёт получателя")} & set(names)):
        raise NotATable("Нужна хотя бы одна из колонок «Счёт плательщика», «Счёт получателя»")
    duplicated = sorted({n for n in names if n and names.count(n) > 1})
    if duplicated:
        raise NotATable(f"Колонки повторяются: {', '.join(duplicated)}")
    return [KEY_OF.get(n, "") for n in names]


def read_rows(path: Path) -> tuple[str, Iterator[tuple[int, dict[str, Any] | RowShape]]]:
    """(``csv`` or ``xlsx``, rows by 1C key with their row numbers); ``NotATable`` when the
    file is neither or its header is not the template's."""
    table = open_table(path, _header, what="платёжные поручения")

    def rows() -> Iterator[tuple[int, dict[str, Any] | RowShape]]:
        try:
            for number, cells in table.rows():
                if isinstance(cells, RowShape):
                    yield number, cells
                else:
                    cells.pop("", None)
                    yield number, cells
        finally:
            table.close()

    return table.format, rows()


def row_cells(row: dict[str, Any]) -> list[Any]:
    """A payment order (``PaymentOrderRead``-like dict) as the template's cells."""
    direction = "списание" if row["direction"] == "out" else "поступление"
    return [
        row["doc_kind"],
        row["doc_number"],
        row["doc_date"].strftime("%d.%m.%Y"),
        f"{row['amount']:.2f}".replace(".", ","),
        direction,
        row["payer_name"],
        row.get("payer_inn") or "",
        row.get("payer_kpp") or "",
        row.get("payer_account") or "",
        row.get("payer_bik") or "",
        row["payee_name"],
        row.get("payee_inn") or "",
        row.get("payee_kpp") or "",
        row.get("payee_account") or "",
        row.get("payee_bik") or "",
        row["purpose"],
        row.get("kbk") or "",
        "" if row.get("kvfo") is None else str(row["kvfo"]),
        row.get("kosgu") or "",
        row["written_off"].strftime("%d.%m.%Y") if row.get("written_off") else "",
        row["received"].strftime("%d.%m.%Y") if row.get("received") else "",
    ]


def write_csv(rows: Iterable[dict[str, Any]]) -> bytes:
    return csv_bytes(TITLES, (row_cells(row) for row in rows))


def write_xlsx(rows: Iterable[dict[str, Any]]) -> bytes:
    return xlsx_bytes("Платёжные поручения", TITLES, (_xlsx_cells(row) for row in rows))


def _xlsx_cells(row: dict[str, Any]) -> list[Any]:
    cells = row_cells(row)
    cells[3] = float(row["amount"])  # a number cell, summable in Excel
    return cells
