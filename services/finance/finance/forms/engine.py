"""Filling a form from the collected data and checking its control ratios (no SQL here).

The data comes in as the sums of one ``GROUP BY flow, kvfo, kosgu`` over ``budget_entry``
(``Aggregates``: the plan and actual over the period, and the actual of its last month), so
the consolidated form of a whole region costs one aggregate query and then a few hundred
dictionary look-ups; the cells are computed here in the order data/manual → row formulas →
column formulas (each in dependency order)."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import Literal

from finance.forms.templates import FormVersion, Row, Rule, Source

ZERO = Decimal("0.00")
Cell = tuple[str, str]  # (row, column)
Values = dict[Cell, Decimal | None]
CellKind = Literal["data", "manual", "row_formula", "column_formula"]


@dataclass(frozen=True)
class Sums:
    planned: Decimal = ZERO
    actual: Decimal = ZERO
    planned_end: Decimal = ZERO  # of the period's last month
    actual_end: Decimal = ZERO


class Aggregates:
    """``(flow, kvfo, kosgu) → Sums`` with the look-ups a cell needs."""

    def __init__(self, rows: Iterable[tuple[str, int, str, Sums]]) -> None:
        self._by: dict[tuple[str, int], dict[str, Sums]] = {}
        for flow, kvfo, kosgu, sums in rows:
            self._by.setdefault((flow, int(kvfo)), {})[kosgu] = sums

    def value(self, source: Source) -> Decimal:
        flow = source.flow or "expense"
        measure = source.measure or "actual"
        at_end = source.at == "end"
        field = ("planned" if measure == "planned" else "actual") + ("_end" if at_end else "")
        total = ZERO
        for (f, kvfo), codes in self._by.items():
            if f != flow or (source.kvfo is not None and kvfo not in source.kvfo):
                continue
            if source.kosgu is None:
                total += sum((getattr(s, field) for s in codes.values()), ZERO)
            else:
                for code in source.kosgu:
                    sums = codes.get(code)
                    if sums is not None:
                        total += getattr(sums, field)
        return total


def _terms(formula: str) -> list[tuple[int, str]]:
    """``"03 + 04 - 05"`` → ``[(1, "03"), (1, "04"), (-1, "05")]``."""
    out, sign = [], 1
    for part in formula.split():
        if part == "+":
            sign = 1
        elif part == "-":
            sign = -1
        else:
            out.append((sign, part))
            sign = 1
    return out


def _order(items: dict[str, list[tuple[int, str]]]) -> list[str]:
    """Codes whose formula uses other formula codes after those (depth first)."""
    done: list[str] = []
    seen: set[str] = set()

    def visit(code: str, path: tuple[str, ...]) -> None:
        if code in seen:
            return
        if code in path:
            raise ValueError(f"circular formula through {code}")
        for _, dep in items[code]:
            if dep in items:
                visit(dep, (*path, code))
        seen.add(code)
        done.append(code)

    for code in items:
        visit(code, ())
    return done


@dataclass(frozen=True)
class Plan:
    """A version's cells sorted by how they are computed (built once per version)."""

    kinds: dict[Cell, CellKind]
    data: tuple[tuple[Cell, Source], ...]
    row_formulas: tuple[tuple[Cell, tuple[tuple[int, str], ...]], ...]
    column_formulas: tuple[tuple[Cell, tuple[tuple[int, str], ...]], ...]
    manual: frozenset[Cell]


@lru_cache(maxsize=32)
def plan(version: FormVersion) -> Plan:
    columns = {c.code: c for c in version.columns}
    column_terms = {c.code: _terms(c.formula) for c in version.columns if c.formula}
    row_terms = {r.code: _terms(r.formula) for r in version.rows if r.formula}
    kinds: dict[Cell, CellKind] = {}
    data: list[tuple[Cell, Source]] = []
    for row in version.rows:
        for col in version.columns:
            if not version.has_cell(row, col.code):
                continue
            cell = (row.code, col.code)
            if col.code in row.manual:
                kinds[cell] = "manual"
            elif col.formula:
                kinds[cell] = "column_formula"
            elif row.formula:
                kinds[cell] = "row_formula"
            else:
                kinds[cell] = "data"
                data.append((cell, version.source.refine(row.source).refine(columns[col.code].source)))
    rows_by_code: dict[str, Row] = {r.code: r for r in version.rows}
    row_formulas = [
        ((code, col.code), tuple(row_terms[code]))
        for code in _order(row_terms)
        for col in version.columns
        if kinds.get((code, col.code)) == "row_formula"
    ]
    column_formulas = [
        ((row.code, code), tuple(column_terms[code]))
        for code in _order(column_terms)
        for row in rows_by_code.values()
        if kinds.get((row.code, code)) == "column_formula"
    ]
    return Plan(
        kinds=kinds,
        data=tuple(data),
        row_formulas=tuple(row_formulas),
        column_formulas=tuple(column_formulas),
        manual=frozenset(c for c, k in kinds.items() if k == "manual"),
    )


def compute(version: FormVersion, aggregates: Aggregates, manual: Mapping[Cell, Decimal | None]) -> Values:
    """Every cell of the form: the data cells from ``aggregates``, the manual ones from
    ``manual`` (absent: empty), then the formulas."""
    p = plan(version)
    values: Values = {cell: aggregates.value(source) for cell, source in p.data}
    for cell in p.manual:
        values[cell] = manual.get(cell)
    for (row, col), terms in p.row_formulas:
        values[(row, col)] = sum((sign * (values.get((dep, col)) or ZERO) for sign, dep in terms), ZERO)
    for (row, col), terms in p.column_formulas:
        values[(row, col)] = sum((sign * (values.get((row, dep)) or ZERO) for sign, dep in terms), ZERO)
    return values


def add(values: Iterable[Values]) -> Values:
    """Cell-wise sum (a consolidated form of the manual cells of many reports)."""
    out: Values = {}
    for v in values:
        for cell, value in v.items():
            if value is None:
                out.setdefault(cell, None)
            else:
                out[cell] = (out.get(cell) or ZERO) + value
    return out


# --- control ratios ----------------------------------------------------------------------------

_TOKEN = re.compile(
    r"\s*(?:\[(?:(?P<form>\w+)!)?(?P<row>[\w.]+):(?P<col>\w+)\]|(?P<num>\d+(?:\.\d+)?)|(?P<op><=|>=|=|<|>|[-+*()]))"
)
Ref = tuple[str | None, str, str]  # (other form or None, row, column)
COMPARISONS = ("<=", ">=", "=", "<", ">")
OP_TITLES = {"=": "=", "<=": "≤", ">=": "≥", "<": "<", ">": ">"}


def _tokens(expr: str) -> list[tuple[str, object]]:
    out: list[tuple[str, object]] = []
    pos = 0
    expr = expr.rstrip()
    while pos < len(expr):
        m = _TOKEN.match(expr, pos)
        if m is None:
            raise ValueError(f"bad control ratio near {expr[pos:]!r}")
        if m.group("row"):
            out.append(("ref", (m.group("form"), m.group("row"), m.group("col"))))
        elif m.group("num"):
            out.append(("num", Decimal(m.group("num"))))
        else:
            out.append(("op", m.group("op")))
        pos = m.end()
    return out


class _Expr:
    """A side of a ratio: + - * and parentheses over cells and numbers."""

    def __init__(self, tokens: list[tuple[str, object]]) -> None:
        self.tokens = tokens
        self.refs: list[Ref] = [t[1] for t in tokens if t[0] == "ref"]  # type: ignore[misc]

    def eval(self, get: dict[Ref, Decimal]) -> Decimal:
        pos = 0
        tokens = self.tokens

        def atom() -> Decimal:
            nonlocal pos
            kind, value = tokens[pos]
            pos += 1
            if kind == "ref":
                return get[value]  # type: ignore[index]
            if kind == "num":
                return value  # type: ignore[return-value]
            if value == "(":
                result = total()
                pos += 1  # ")"
                return result
            if value == "-":
                return -atom()
            raise ValueError(f"unexpected {value!r}")

        def product() -> Decimal:
            nonlocal pos
            result = atom()
            while pos < len(tokens) and tokens[pos] == ("op", "*"):
                pos += 1
                result = result * atom()
            return result

        def total() -> Decimal:
            nonlocal pos
            result = product()
            while pos < len(tokens) and tokens[pos][0] == "op" and tokens[pos][1] in ("+", "-"):
                op = tokens[pos][1]
                pos += 1
                result = result + product() if op == "+" else result - product()
            return result

        return total()


@dataclass(frozen=True)
class Check:
    rule: Rule
    text: str  # the expanded expression
    left: _Expr
    op: str
    right: _Expr

    @property
    def refs(self) -> list[Ref]:
        return [*self.left.refs, *self.right.refs]

    @property
    def other_forms(self) -> set[str]:
        return {f for f, _, _ in self.refs if f}


@dataclass(frozen=True)
class CellValue:
    form: str | None
    row: str
    column: str
    value: Decimal | None


@dataclass(frozen=True)
class Violation:
    code: str
    severity: str
    message: str
    rule: str  # «стр. 02 гр. 3 = стр. 03 гр. 3 + …»
    left: Decimal
    right: Decimal
    cells: tuple[CellValue, ...]


def describe(text: str, form: str | None = None) -> str:
    def ref(m: re.Match[str]) -> str:
        other = m.group("form")
        prefix = f"ф. {other} " if other and other != form else ""
        return f"{prefix}стр. {m.group('row')} гр. {m.group('col')}"

    out = re.sub(r"\[(?:(?P<form>\w+)!)?(?P<row>[\w.]+):(?P<col>\w+)\]", ref, text)
    for op, title in (("<=", "≤"), (">=", "≥")):
        out = out.replace(op, title)
    return out.replace("*", "×")


@lru_cache(maxsize=32)
def checks(version: FormVersion) -> tuple[Check, ...]:
    out = []
    for rule in version.rules:
        expansions = [rule.expr]
        if rule.columns:
            expansions = [e.replace("{c}", c) for e in expansions for c in rule.columns]
        if rule.rows:
            expansions = [e.replace("{r}", r) for e in expansions for r in rule.rows]
        for text in expansions:
            tokens = _tokens(text)
            at = next(i for i, t in enumerate(tokens) if t[0] == "op" and t[1] in COMPARISONS)
            out.append(Check(rule, text, _Expr(tokens[:at]), str(tokens[at][1]), _Expr(tokens[at + 1 :])))
    return tuple(out)


def _holds(left: Decimal, op: str, right: Decimal) -> bool:
    if op == "=":
        return left == right
    if op == "<=":
        return left <= right
    if op == ">=":
        return left >= right
    if op == "<":
        return left < right
    return left > right


def violations(
    version: FormVersion, values: Values, others: Mapping[str, Values | None] | None = None
) -> list[Violation]:
    """Every failed ratio instance. An inter-form ratio whose other form has no values for
    the period (``others[form]`` absent or None) is not checked."""
    others = others or {}
    out = []
    for check in checks(version):
        get: dict[Ref, Decimal] = {}
        cells = []
        skip = False
        for ref in check.refs:
            form, row, col = ref
            if form and form != version.form:
                source = others.get(form)
                if source is None:
                    skip = True
                    break
                value = source.get((row, col))
            else:
                value = values.get((row, col))
            get[ref] = (value or ZERO).quantize(ZERO)
            cells.append(CellValue(form if form != version.form else None, row, col, value))
        if skip:
            continue
        left, right = check.left.eval(get), check.right.eval(get)
        if not _holds(left, check.op, right):
            unique = tuple(dict.fromkeys(cells))
            out.append(
                Violation(
                    code=check.rule.code,
                    severity=check.rule.severity,
                    message=check.rule.message,
                    rule=describe(check.text, version.form),
                    left=left.quantize(ZERO),
                    right=right.quantize(ZERO),
                    cells=unique,
                )
            )
    return out
