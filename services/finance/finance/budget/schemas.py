"""The API's shapes of the collected data: classifiers, MOs, a month's cells, a year's grid,
the consolidated figures and budget template uploads."""

from __future__ import annotations

import uuid
from datetime import datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

Flow = Literal["income", "expense", "payable"]
Amount = Decimal | int | float | str | None


class FlowRead(BaseModel):
    code: str
    name: str


class KvfoRead(BaseModel):
    code: int
    name: str


class KosguRead(BaseModel):
    code: str
    name: str
    flow: Literal["income", "expense"] = Field(description="Раздел: income — доходы, expense — расходы")
    group: str
    cmi_allowed: Literal["yes", "no", "conditional"] = Field(
        description="Можно ли расходовать средства ОМС (КВФО 7): yes, no, conditional (310 — до 100 тыс. ₽)"
    )


class ClassifiersRead(BaseModel):
    flows: list[FlowRead]
    kvfo: list[KvfoRead]
    kosgu: list[KosguRead]


class MoRead(BaseModel):
    id: uuid.UUID
    code: str | None
    name: str
    legal_form: str | None = Field(description="budget, autonomous, state, private")
    founder_id: uuid.UUID | None
    founder_name: str | None
    beds: int | None
    attached_persons: int | None
    last_month: str | None = Field(description="Последний месяц с данными, ГГГГ-ММ")


class BudgetCellIn(BaseModel):
    """One cell: amounts as numbers or as people write them («1 234,56»)."""

    flow: str = Field(description="income, expense, payable")
    kvfo: int | str
    kosgu: str | int
    planned: Amount = Field(None, description="План (ПФХД), руб.; пусто — без плана")
    actual: Amount = Field(None, description="Факт, руб.")


class BudgetCellRead(BaseModel):
    flow: Flow
    kvfo: int
    kosgu: str
    planned: Decimal | None
    actual: Decimal
    entered: bool = Field(description="false — ячейки нет в данных, есть только платёжные поручения")
    payments: Decimal | None = Field(
        description="Сумма классифицированных платёжных поручений месяца (списания) по этой ячейке; "
        "null для поступлений и кредиторской задолженности"
    )
    difference: Decimal | None = Field(description="Факт минус платёжные поручения")
    source: str | None
    updated_by: str | None
    updated_at: datetime | None


class BudgetLastChange(BaseModel):
    by: str
    at: datetime
    source: str


class BudgetMonthRead(BaseModel):
    mo_id: uuid.UUID
    month: str = Field(description="ГГГГ-ММ")
    locked: bool
    lock_reason: str | None
    cells: list[BudgetCellRead]
    last_change: BudgetLastChange | None


class BudgetGridRow(BaseModel):
    flow: Flow
    kvfo: int
    kosgu: str
    planned: list[Decimal | None] = Field(description="По месяцам года (12 значений)")
    actual: list[Decimal | None] = Field(description="По месяцам года (12 значений); null — нет данных")


class BudgetYearRead(BaseModel):
    mo_id: uuid.UUID
    year: int
    months: list[str] = Field(description="ГГГГ-ММ, январь … декабрь")
    locked_months: list[str]
    rows: list[BudgetGridRow]


class BudgetConsolidatedRead(BaseModel):
    year: int
    scope: Literal["region", "founded", "own"] = Field(
        description="region — все МО региона, founded — подведомственные, own — своя МО"
    )
    mos: int = Field(description="Сколько МО дали данные за год")
    months: list[str]
    rows: list[BudgetGridRow]


class BudgetUploadProblem(BaseModel):
    line: int = Field(description="Строка файла (заголовок — строка 1)")
    field: str = Field(description="Колонка")
    message: str
    cell: str = Field("", description="Ячейка: «2026-03 · Выплаты · КВФО 7 · КОСГУ 211»")


class BudgetUploadRead(BaseModel):
    id: uuid.UUID
    mo_id: uuid.UUID
    file_name: str
    file_format: Literal["csv", "xlsx"]
    status: Literal["awaiting_decision", "imported", "discarded"] = Field(
        description="imported — записано; awaiting_decision — в файле ошибки, ничего не записано, "
        "можно загрузить только верные строки; discarded — отменено"
    )
    lines: int
    valid: int
    invalid: int
    imported: int
    months: list[str]
    problems: list[BudgetUploadProblem]
    created_by: str
    created_at: datetime
    decided_by: str | None
    decided_at: datetime | None
