"""The budget template (docs/formats.md, «Финансы: шаблон доходов и расходов»): one line a cell
— month, flow, КВФО, КОСГУ, plan, actual — in CSV (UTF-8 or windows-1251, «;» or «,») or XLSX
(first sheet), read through ``oms_kit.tables``; every line checked by the same rules as the
grid (``finance.budget.cells``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

from finance.budget.cells import Cell, cell_label, check_cell, parse_month
from finance.budget.codes import FLOW_NAMES, KOSGU
from finance.months import month_text
from finance.sheets import csv_bytes, norm_title
from oms_kit.tables import NotATable, RowShape, open_table

# column title → key; «Наименование» (the КОСГУ's name) may be there and is not read
COLUMNS: tuple[tuple[str, str], ...] = (
    ("Месяц", "month"),
    ("Показатель", "flow"),
    ("КВФО", "kvfo"),
    ("КОСГУ", "kosgu"),
    ("План", "planned"),
    ("Факт", "actual"),
)
OPTIONAL = {"наименование": "name", "наименование косгу": "name"}
TITLES = tuple(title for title, _ in COLUMNS)
TITLE_OF = dict((key, title) for title, key in COLUMNS)
FIELD_TITLE = {**TITLE_OF, "flow": "Показатель"}
REQUIRED = ("month", "flow", "kvfo", "kosgu")
MAX_LINES = 20_000


KEY_OF = {norm_title(title): key for title, key in COLUMNS} | OPTIONAL


def _header(raw: list[Any]) -> list[str]:
    names = [norm_title(c) for c in raw]
    while names and not names[-1]:
        names.pop()
    if not any(n in KEY_OF for n in names):
        raise NotATable(
            "Первая строка не похожа на заголовок шаблона доходов и расходов: ожидаются колонки "
            f"{', '.join(TITLES)} (см. docs/formats.md)"
        )
    unknown = [str(raw[i]) for i, n in enumerate(names) if n and n not in KEY_OF]
    if unknown:
        raise NotATable(f"Неизвестные колонки: {', '.join(unknown[:10])} (ожидаются {', '.join(TITLES)})")
    keys = [KEY_OF.get(n, f"_{i}") for i, n in enumerate(names)]
    missing = [TITLE_OF[k] for k in REQUIRED if k not in keys]
    if missing:
        raise NotATable(f"Нет обязательных колонок: {', '.join(missing)}")
    if "planned" not in keys and "actual" not in keys:
        raise NotATable("Нужна хотя бы одна из колонок «План», «Факт»")
    repeated = sorted({TITLE_OF.get(k, k) for k in keys if not k.startswith("_") and keys.count(k) > 1})
    if repeated:
        raise NotATable(f"Колонки повторяются: {', '.join(repeated)}")
    return keys


@dataclass
class Line:
    line: int
    month: date
    cell: Cell


@dataclass
class ParsedFile:
    format: str
    lines: int = 0
    valid: list[Line] = field(default_factory=list)
    problems: list[dict[str, Any]] = field(default_factory=list)
    invalid_lines: set[int] = field(default_factory=set)

    def problem(self, line: int, field_key: str, message: str, cell: str = "") -> None:
        self.invalid_lines.add(line)
        self.problems.append(
            {"line": line, "field": FIELD_TITLE.get(field_key, field_key), "message": message, "cell": cell}
        )


def read_template(path: Path) -> ParsedFile:
    """Every line of the file checked. ``NotATable`` when it is not the template at all."""
    table = open_table(path, _header, what="шаблоны доходов и расходов")
    parsed = ParsedFile(table.format)
    seen: dict[tuple[date, str, int, str], int] = {}
    try:
        for line_no, cells in table.rows():
            parsed.lines += 1
            if parsed.lines > MAX_LINES:
                raise NotATable(f"В файле больше {MAX_LINES} строк: разделите его")
            if isinstance(cells, RowShape):
                parsed.problem(line_no, "line", str(cells))
                continue
            month = parse_month(cells.get("month"))
            shown = month_text(month) if month else str(cells.get("month") or "?")
            label = f"{shown} · {cell_label(cells.get('flow'), cells.get('kvfo'), cells.get('kosgu'))}"
            if month is None:
                parsed.problem(
                    line_no,
                    "month",
                    f"месяц «{cells.get('month') or ''}» — ожидается ГГГГ-ММ или ММ.ГГГГ",
                    label,
                )
            cell, problems = check_cell(
                cells.get("flow"),
                cells.get("kvfo"),
                cells.get("kosgu"),
                cells.get("planned"),
                cells.get("actual"),
            )
            for p in problems:
                parsed.problem(line_no, p.field, p.message, label)
            if problems or month is None:
                continue
            if cell is None:
                parsed.problem(line_no, "actual", "не указаны ни план, ни факт", label)
                continue
            key = (month, *cell.key)
            if key in seen:
                parsed.problem(
                    line_no, "kosgu", f"ячейка уже есть в строке {seen[key]} (одна строка на ячейку)", label
                )
                continue
            seen[key] = line_no
            parsed.valid.append(Line(line_no, month, cell))
    finally:
        table.close()
    return parsed


def template_csv(rows: list[tuple[date, Cell]] | None = None) -> bytes:
    """The template as CSV (UTF-8 with BOM, «;»): the header and the given cells (an example
    when none)."""
    return csv_bytes(
        [*TITLES, "Наименование"],
        (
            [
                month_text(month),
                FLOW_NAMES[cell.flow],
                cell.kvfo,
                cell.kosgu,
                "" if cell.planned is None else f"{cell.planned}".replace(".", ","),
                f"{cell.actual}".replace(".", ","),
                KOSGU[cell.kosgu].name,
            ]
            for month, cell in rows or EXAMPLE
        ),
    )


def _example() -> list[tuple[date, Cell]]:
    month = date(2026, 1, 1)
    return [
        (month, Cell("income", 7, "132", Decimal("12500000.00"), Decimal("12480310.55"))),
        (month, Cell("expense", 7, "211", Decimal("7100000.00"), Decimal("7056120.40"))),
        (month, Cell("expense", 7, "213", Decimal("2144200.00"), Decimal("2130948.36"))),
        (month, Cell("payable", 7, "223", None, Decimal("310450.00"))),
    ]


EXAMPLE = _example()
