"""Reading a register file row by row from disk, never whole: the CSV/XLSX streaming of
``oms_kit.tables`` with the register's header rule (known columns, required ones present, none
repeated).

Synchronous on purpose: the job runs it in a worker thread, batch by batch, so parsing does
not hold the service's event loop."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from oms_kit.tables import Cells, CsvTable, NotATable, RowShape, Table, XlsxTable
from oms_kit.tables import open_table as open_any_table
from registry.person_import.columns import KNOWN, REQUIRED

__all__ = ["Cells", "CsvTable", "NotATable", "RowShape", "Table", "XlsxTable", "open_table"]


def _header(raw: list[Any]) -> list[str]:
    names = [str(c).strip().lower() if c is not None else "" for c in raw]
    while names and not names[-1]:
        names.pop()
    unknown = [n for n in names if n not in KNOWN]
    if not names or len(unknown) == len(names):
        raise NotATable(
            "Первая строка не похожа на заголовок файла регистра: ожидаются имена колонок "
            "(surname, first_name, birth_date, sex, …), см. docs/formats.md"
        )
    if unknown:
        raise NotATable(f"Неизвестные колонки: {', '.join(unknown[:10])} (проверьте написание)")
    missing = [c for c in REQUIRED if c not in names]
    if missing:
        raise NotATable(f"Нет обязательных колонок: {', '.join(missing)}")
    duplicated = sorted({n for n in names if names.count(n) > 1})
    if duplicated:
        raise NotATable(f"Колонки повторяются: {', '.join(duplicated)}")
    return names


def open_table(path: Path) -> CsvTable | XlsxTable:
    return open_any_table(path, _header, what="файлы регистра")
