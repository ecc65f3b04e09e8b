"""What a form is, as data: rows × columns with codes, where each cell's value comes from, the
control ratios, the period it is owed for and its deadline. A form has versions, each valid for
the report periods ending within ``valid_from``..``valid_to``: the engine takes the version of
the report's period (``version_for``).

A cell (row, column) exists when the column is among the row's ``columns`` (all by default).
Its value is, in this order of precedence:

- **manual** — typed by the MO (``Row.manual``), editable in a draft or returned report;
- **column formula** — ``Column.formula`` over other columns of the same row (``"3 - 4"``);
- **row formula** — ``Row.formula`` over other rows in the same column (``"03 + 04 + 05"``);
- **data** — a sum over ``budget_entry``: the form's ``source`` refined by the row's and then
  the column's (flow, КВФО set, КОСГУ set, plan or actual, over the period or at its end).

Control ratios (``Rule``) are expressions over cells ``[row:column]``; ``[62!02:4]`` is a cell
of another form's report for the same MO and period (an inter-form ratio). ``{c}``/``{r}`` in a
rule expand over ``columns``/``rows``, each expansion checked (and reported) on its own."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from typing import Literal

from finance.forms.periods import Deadline, Periodicity

Measure = Literal["planned", "actual"]
At = Literal["period", "end"]  # summed over the period's months, or the value of its last month
Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Source:
    """A filter over ``budget_entry``; ``None`` fields are left to the other levels (or: any)."""

    flow: str | None = None
    kvfo: frozenset[int] | None = None
    kosgu: frozenset[str] | None = None
    measure: Measure | None = None
    at: At | None = None

    def refine(self, other: Source | None) -> Source:
        if other is None:
            return self
        return replace(
            self,
            flow=other.flow or self.flow,
            kvfo=other.kvfo if other.kvfo is not None else self.kvfo,
            kosgu=other.kosgu if other.kosgu is not None else self.kosgu,
            measure=other.measure or self.measure,
            at=other.at or self.at,
        )


def src(
    flow: str | None = None,
    *,
    kvfo: tuple[int, ...] | None = None,
    kosgu: tuple[str, ...] | str | None = None,
    measure: Measure | None = None,
    at: At | None = None,
) -> Source:
    codes = (kosgu,) if isinstance(kosgu, str) else kosgu
    return Source(
        flow=flow,
        kvfo=frozenset(kvfo) if kvfo is not None else None,
        kosgu=frozenset(codes) if codes is not None else None,
        measure=measure,
        at=at,
    )


@dataclass(frozen=True)
class Column:
    code: str
    title: str
    source: Source | None = None
    formula: str | None = None  # over column codes of the same row: "3 - 4", "4 + 5 + 9"


@dataclass(frozen=True)
class Row:
    code: str
    title: str
    source: Source | None = None
    formula: str | None = None  # over row codes of the same column: "03 + 04 + 05"
    columns: tuple[str, ...] | None = None  # the cells the row has; None — every column
    manual: tuple[str, ...] = ()  # columns typed by the MO
    level: int = 0  # indentation: 1 — «в том числе», 2 — «из них»
    section: str | None = None  # a section heading printed above the row


@dataclass(frozen=True)
class Rule:
    code: str
    expr: str  # "[02:{c}] = [03:{c}] + [04:{c}]", "[23:4] = 0", "[10:4] = [62!02:4]"
    message: str
    severity: Severity = "error"
    columns: tuple[str, ...] = ()  # values of {c}
    rows: tuple[str, ...] = ()  # values of {r}


@dataclass(frozen=True)
class FormVersion:
    form: str  # "14F", "62"
    version: str  # "2014", "2024"
    valid_from: date  # report periods ending on or after
    valid_to: date | None  # … and on or before (None: still in force)
    title: str
    short: str  # «14-Ф (ОМС)»
    periodicity: Periodicity
    deadline: Deadline
    accepted_by: str  # the role that accepts and returns the reports
    acceptor_title: str
    unit: str
    source: Source
    columns: tuple[Column, ...]
    rows: tuple[Row, ...]
    rules: tuple[Rule, ...]
    basis: str = ""  # what the layout follows
    notes: tuple[str, ...] = field(default_factory=tuple)

    def row(self, code: str) -> Row:
        return next(r for r in self.rows if r.code == code)

    def column(self, code: str) -> Column:
        return next(c for c in self.columns if c.code == code)

    def has_cell(self, row: Row, column: str) -> bool:
        return row.columns is None or column in row.columns

    def cells(self) -> list[tuple[str, str]]:
        return [(r.code, c.code) for r in self.rows for c in self.columns if self.has_cell(r, c.code)]

    def manual_cells(self) -> set[tuple[str, str]]:
        return {(r.code, c) for r in self.rows for c in r.manual}

    def applies(self, period_end: date) -> bool:
        return self.valid_from <= period_end and (self.valid_to is None or period_end <= self.valid_to)


class UnknownForm(LookupError):
    pass


def _registry() -> dict[str, tuple[FormVersion, ...]]:
    from finance.forms.f14 import VERSIONS as F14
    from finance.forms.f62 import VERSIONS as F62

    return {"14F": F14, "62": F62}


FORMS: dict[str, tuple[FormVersion, ...]] = {}


def forms() -> dict[str, tuple[FormVersion, ...]]:
    if not FORMS:
        FORMS.update(_registry())
    return FORMS


def latest(form: str) -> FormVersion:
    versions = forms().get(form)
    if not versions:
        raise UnknownForm(form)
    return max(versions, key=lambda v: v.valid_from)


def version_for(form: str, period_end: date) -> FormVersion | None:
    """The version of ``form`` in force for a report period ending on ``period_end``."""
    versions = forms().get(form)
    if not versions:
        raise UnknownForm(form)
    for v in versions:
        if v.applies(period_end):
            return v
    return None
