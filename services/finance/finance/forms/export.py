"""A filled form as a document: the same content for the XLSX and PDF layouts and the JSON of the
exchange with FOMS and the ministry (``FormExchange``, documented in docs/formats.md)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, Field

from finance.forms.engine import Values
from finance.forms.schemas import PeriodRead, ViolationRead
from finance.forms.templates import FormVersion

EXCHANGE_FORMAT = "oms-region.finance.form/1"


@dataclass(frozen=True)
class Document:
    version: FormVersion
    values: Values
    period: PeriodRead
    organization: str  # the MO's name, or «Свод по региону»
    status: str | None  # the report's status title; None for a consolidated form
    violations: list[ViolationRead]


def document_values(cells: list[tuple[str, str, Decimal | None]]) -> Values:
    return {(r, c): v for r, c, v in cells}


class ExchangeRow(BaseModel):
    code: str
    title: str
    cells: dict[str, Decimal | None] = Field(description="Графа → значение, руб. (null — пусто)")


class ExchangeScope(BaseModel):
    kind: Literal["mo", "region"]
    mo_id: uuid.UUID | None
    mo_name: str | None
    mos: int | None = Field(description="Сколько МО в своде (null — все МО региона)")


class ExchangeReport(BaseModel):
    id: uuid.UUID
    status: Literal["draft", "submitted", "accepted", "returned"]
    submitted_at: datetime | None
    decided_at: datetime | None


class FormExchange(BaseModel):
    """The machine-readable form for FOMS and the ministry."""

    format: Literal["oms-region.finance.form/1"] = "oms-region.finance.form/1"
    form: str
    form_title: str
    version: str
    period: PeriodRead
    scope: ExchangeScope
    report: ExchangeReport | None = Field(description="null — сводная форма")
    unit: Literal["RUB"] = "RUB"
    columns: dict[str, str] = Field(description="Код графы → наименование")
    rows: list[ExchangeRow]
    violations: list[ViolationRead]
    generated_at: datetime


def exchange(
    doc: Document,
    scope: ExchangeScope,
    report: ExchangeReport | None,
    generated_at: datetime,
) -> FormExchange:
    v = doc.version
    return FormExchange(
        form=v.form,
        form_title=v.title,
        version=v.version,
        period=doc.period,
        scope=scope,
        report=report,
        columns={c.code: c.title for c in v.columns},
        rows=[
            ExchangeRow(
                code=r.code,
                title=r.title,
                cells={c.code: doc.values.get((r.code, c.code)) for c in v.columns if v.has_cell(r, c.code)},
            )
            for r in v.rows
        ],
        violations=doc.violations,
        generated_at=generated_at,
    )


def file_name(doc: Document, ext: str) -> str:
    period = doc.period
    suffix = f"{period.year}" + (f"-q{period.quarter}" if period.quarter else "")
    return f"form-{doc.version.form}-{suffix}.{ext}"


def header_lines(doc: Document) -> list[str]:
    lines = [
        f"Организация: {doc.organization}",
        f"Период: {doc.period.label} ({doc.period.start:%d.%m.%Y} — {doc.period.end:%d.%m.%Y})",
        f"Единица измерения: {doc.version.unit}",
        f"Версия формы: {doc.version.version}",
    ]
    if doc.status:
        lines.append(f"Статус: {doc.status}")
    return lines


def today_label(day: date) -> str:
    return f"{day:%d.%m.%Y}"
