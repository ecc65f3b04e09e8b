"""What the report-form API reads and answers (money as decimal strings, rubles and kopecks)."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from oms_kit.errors import Problem

Status = Literal["draft", "submitted", "accepted", "returned"]
FormCode = Literal["14F", "62"]
CellKindName = Literal["data", "manual", "row_formula", "column_formula"]
Action = Literal["edit", "recalculate", "submit", "accept", "return", "comment"]


class ColumnRead(BaseModel):
    code: str
    title: str
    formula: str | None = Field(description="Формула графы по другим графам той же строки")


class RowRead(BaseModel):
    code: str
    title: str
    level: int = Field(description="Отступ: 0 — итог, 1 — «в том числе», 2 — «из них»")
    section: str | None
    formula: str | None = Field(description="Формула строки по другим строкам той же графы")
    columns: list[str] = Field(description="Графы, которые у строки есть (остальные — «X»)")
    manual: list[str] = Field(description="Графы, заполняемые вручную")
    kosgu: list[str] = Field(description="Коды КОСГУ строки (пусто — итог или все коды)")
    flow: str | None = Field(description="income, expense, payable — чем строка заполняется")


class RuleRead(BaseModel):
    code: str
    text: str = Field(description="Соотношение человеческим языком: «стр. 02 гр. {c} = …»")
    expr: str = Field(description="Соотношение в нотации шаблона: [строка:графа], [форма!строка:графа]")
    message: str
    severity: Literal["error", "warning"]
    columns: list[str]
    rows: list[str]
    inter_form: bool


class TemplateRead(BaseModel):
    form: FormCode
    version: str
    valid_from: date
    valid_to: date | None
    title: str
    short: str
    periodicity: Literal["quarter", "year"]
    deadline: str
    acceptor: str = Field(description="Кто принимает отчёт")
    unit: str
    basis: str
    notes: list[str]
    columns: list[ColumnRead]
    rows: list[RowRead]
    rules: list[RuleRead]


class FormSummary(BaseModel):
    form: FormCode
    short: str
    title: str
    periodicity: Literal["quarter", "year"]
    versions: list[str]


class PeriodRead(BaseModel):
    kind: Literal["quarter", "year"]
    year: int
    quarter: int | None
    start: date
    end: date
    label: str


class CellRead(BaseModel):
    row: str
    column: str
    value: Decimal | None
    kind: CellKindName


class ViolationCell(BaseModel):
    form: str | None = Field(description="Другая форма (межформенное соотношение); null — эта")
    row: str
    column: str
    value: Decimal | None


class ViolationRead(BaseModel):
    code: str
    severity: Literal["error", "warning"]
    message: str
    rule: str = Field(description="Соотношение с подставленными строками и графами")
    left: Decimal
    right: Decimal
    cells: list[ViolationCell]


class ConsolidatedRead(BaseModel):
    form: FormCode
    version: str
    title: str
    period: PeriodRead
    mos: int | None = Field(description="Сколько МО в своде (null — все МО региона)")
    reports: dict[str, int] = Field(description="Отчёты МО за период по статусам")
    cells: list[CellRead]
    violations: list[ViolationRead]


class ReportSummary(BaseModel):
    id: uuid.UUID
    form: FormCode
    short: str
    version: str
    mo_id: uuid.UUID
    mo_name: str | None
    period: PeriodRead
    status: Status
    due_date: date
    days_overdue: int = Field(description="Дней просрочки (0 — не просрочен или сдан вовремя)")
    submitted_late: bool
    revision: int
    updated_at: datetime
    submitted_at: datetime | None
    decided_at: datetime | None
    comment: str | None


class ReportRead(ReportSummary):
    title: str
    created_by: str
    submitted_by: str | None
    decided_by: str | None
    cells: list[CellRead]
    violations: list[ViolationRead]
    errors: int = Field(description="Нарушений, которые не дают сдать отчёт")
    actions: list[Action] = Field(description="Что вызывающему сейчас можно сделать с отчётом")
    live: bool = Field(description="true — вычисляемые ячейки пересчитаны из данных при открытии (черновик)")


class ReportCreate(BaseModel):
    form: FormCode
    mo_id: uuid.UUID
    year: int = Field(ge=2014, le=2100)
    quarter: int | None = Field(default=None, ge=1, le=4, description="Для квартальных форм (14-Ф)")


class CellIn(BaseModel):
    row: str = Field(max_length=10)
    column: str = Field(max_length=10)
    value: Decimal | None = Field(max_digits=18, decimal_places=2)


class ValuesIn(BaseModel):
    values: list[CellIn] = Field(max_length=500)
    expected_revision: int | None = Field(
        default=None, description="Ревизия, которую видел пользователь: иначе 409, если отчёт изменили"
    )


class ValidationRead(BaseModel):
    cells: list[CellRead]
    violations: list[ViolationRead]
    errors: int


class CommentIn(BaseModel):
    comment: str = Field(min_length=1, max_length=2000)


class SubmitIn(BaseModel):
    expected_revision: int | None = None


class HistoryRead(BaseModel):
    at: datetime
    actor: str
    action: Literal["create", "edit", "recalculate", "submit", "accept", "return", "comment"]
    action_title: str
    status_from: Status | None
    status_to: Status | None
    comment: str | None
    changes: list[dict[str, str | None]] | None


class OverdueRead(BaseModel):
    form: FormCode
    short: str
    mo_id: uuid.UUID
    mo_name: str | None
    period: PeriodRead
    due_date: date
    days_overdue: int
    report_id: uuid.UUID | None = Field(description="null — отчёт ещё не начат")
    status: Literal["missing", "draft", "returned"]


class ViolationsProblem(Problem):
    """422 of a submit refused by the control ratios: every violation with its rule, cells and values."""

    violations: list[ViolationRead] | None = None
