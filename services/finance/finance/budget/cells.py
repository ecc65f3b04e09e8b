"""Checking cells as they come (from the grid, an accounting system or a template file): every
problem of every cell found in one pass, in Russian, naming the cell and the field, so one
answer lists them all and nothing is written while any is left."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from finance.amounts import AmountError, parse_amount
from finance.budget.codes import FLOW_NAMES, check_code
from oms_kit.errors import InvalidInput

_FLOW_WORDS = {
    "income": "income",
    "поступления": "income",
    "поступление": "income",
    "доходы": "income",
    "доход": "income",
    "expense": "expense",
    "выплаты": "expense",
    "выплаты (расходы)": "expense",
    "расходы": "expense",
    "расход": "expense",
    "payable": "payable",
    "кредиторская задолженность": "payable",
    "кредиторская": "payable",
    "кредиторка": "payable",
}
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")
_MONTH_RU = re.compile(r"(\d{1,2})[./](\d{4})")


@dataclass(frozen=True)
class Cell:
    flow: str
    kvfo: int
    kosgu: str
    planned: Decimal | None
    actual: Decimal

    @property
    def key(self) -> tuple[str, int, str]:
        return (self.flow, self.kvfo, self.kosgu)


@dataclass(frozen=True)
class CellProblem:
    field: str  # flow, kvfo, kosgu, planned, actual, month
    message: str


def cell_label(flow: Any, kvfo: Any, kosgu: Any) -> str:
    name = FLOW_NAMES.get(parse_flow(flow) or "", str(flow))
    return f"{name} · КВФО {kvfo} · КОСГУ {kosgu}"


def parse_flow(raw: Any) -> str | None:
    return _FLOW_WORDS.get(" ".join(str(raw or "").lower().split()))


def parse_month(raw: Any) -> date | None:
    """``2026-03``, ``03.2026``, ``2026-03-01`` or a date cell of a spreadsheet → the first day."""
    if isinstance(raw, datetime):
        raw = raw.date()
    if isinstance(raw, date):
        return raw.replace(day=1)
    text = str(raw or "").strip()
    match = _MONTH.match(text)
    if match and (len(text) == 7 or (len(text) == 10 and text[7] == "-")):
        year, month = int(match.group(1)), int(match.group(2))
    else:
        match = _MONTH_RU.fullmatch(text)
        if not match:
            return None
        month, year = int(match.group(1)), int(match.group(2))
    if not (1 <= month <= 12 and 2000 <= year <= 2100):
        return None
    return date(year, month, 1)


def _amount(raw: Any, *, required: bool) -> Decimal | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        if required:
            raise AmountError("сумма не указана")
        return None
    if isinstance(raw, bool):
        raise AmountError(f"«{raw}» — не сумма")
    return parse_amount(raw)


def check_cell(
    flow: Any, kvfo: Any, kosgu: Any, planned: Any, actual: Any
) -> tuple[Cell | None, list[CellProblem]]:
    """The cell, or what is wrong with it (all of it). ``flow`` may be a Russian word. A cell
    without an actual but with a plan has the actual 0; one with neither is returned as
    ``None`` without problems (an empty cell: nothing to keep)."""
    problems: list[CellProblem] = []
    flow_code = parse_flow(flow)
    if flow_code is None:
        problems.append(
            CellProblem("flow", f"вид показателя «{flow}» — ожидается Поступления, Выплаты или Кредиторская")
        )
    kvfo_code: int | None = None
    try:
        kvfo_code = int(str(kvfo).strip()) if not isinstance(kvfo, bool) else None
    except ValueError:
        kvfo_code = None
    if kvfo_code is None:
        problems.append(CellProblem("kvfo", f"КВФО «{kvfo}» — не число"))
    kosgu_code = str(kosgu if kosgu is not None else "").strip()
    if kosgu_code.endswith(".0") and kosgu_code[:-2].isdigit():  # 211.0 from a spreadsheet
        kosgu_code = kosgu_code[:-2]
    if flow_code is not None and kvfo_code is not None:
        why = check_code(flow_code, kvfo_code, kosgu_code)
        if why is not None:
            field = "kvfo" if why.startswith("неизвестный КВФО") else "kosgu"
            problems.append(CellProblem(field, why))
    values: dict[str, Decimal | None] = {}
    for field, raw, required in (("planned", planned, False), ("actual", actual, False)):
        try:
            values[field] = _amount(raw, required=required)
        except AmountError as exc:
            label = "план" if field == "planned" else "факт"
            problems.append(CellProblem(field, f"{label}: {exc}"))
    if flow_code == "payable":
        for field in ("planned", "actual"):
            value = values.get(field)
            if value is not None and value < 0:
                problems.append(CellProblem(field, "кредиторская задолженность не бывает отрицательной"))
    if problems:
        return None, problems
    if values["planned"] is None and values["actual"] is None:
        return None, []
    assert flow_code is not None and kvfo_code is not None
    return Cell(flow_code, kvfo_code, kosgu_code, values["planned"], values["actual"] or Decimal("0.00")), []


class CellErrors(InvalidInput):
    """Cells of a write that are wrong — all of them, each naming its cell and field; nothing
    is written. Rendered as one 422 problem with ``errors``."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        first = errors[0]
        more = f" и ещё {len(errors) - 1}" if len(errors) > 1 else ""
        super().__init__(f"Ячейки с ошибками: {first['cell']} — {first['message']}{more}")
        self.errors = errors
