"""What the run API answers: a run with the state of its job, its outcomes with the register
person and the evidence, its rejected register rows."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class RunRead(BaseModel):
    id: uuid.UUID
    organization_id: uuid.UUID
    job_id: uuid.UUID | None
    status: str = Field(description="Состояние задачи: queued, running, succeeded, failed, cancelled")
    stage: str | None = Field(
        description="Этап, который выполняется (loading, blocking, scoring, rules, decisions), иначе null"
    )
    stage_title: str | None = Field(description="Этап или итог задачи по-русски")
    finished_stage: str | None = Field(description="Последний завершённый этап (с него продолжит перезапуск)")
    progress_done: int
    progress_total: int | None
    error: dict[str, Any] | None
    period_from: date
    period_to: date
    as_of: date
    register_source: str
    previous_run_id: uuid.UUID | None
    counts: dict[str, Any]
    created_by: str
    created_at: datetime


class RegistryRunStart(BaseModel):
    """A run on the registry's non-working persons: the same dates as a run on a file."""

    model_config = ConfigDict(extra="forbid")

    as_of: date | None = Field(
        default=None, description="Дата, на которую из регистра берутся неработающие (сегодня)"
    )
    period_from: date | None = Field(
        default=None, description="Начало проверяемого периода (1 января года as_of)"
    )
    period_to: date | None = Field(default=None, description="Конец проверяемого периода (31 декабря)")
    previous_run_id: uuid.UUID | None = Field(
        default=None, description="Предыдущая проверка: повторная проверка только изменившегося"
    )


class RegisterPersonRead(BaseModel):
    row_no: int
    surname: str
    first_name: str
    patronymic: str | None
    birth_date: date
    sex: str
    snils: str | None
    enp: str | None
    doc_type: str | None
    doc_series: str | None
    doc_number: str | None
    address: str | None
    district: str | None


class OutcomeRead(BaseModel):
    subject_id: uuid.UUID
    outcome: str = Field(description="keep, exclude, update, review")
    reason: str | None
    reasons: list[str]
    periods: list[dict[str, Any]] = Field(description="Исключённые месяцы: [{reason, from, to, months}]")
    months_excluded: int
    evidence: dict[str, Any] = Field(description="Пары и факты источников, на которых основан итог")
    duplicate_of: uuid.UUID | None
    decided_by: str
    person: RegisterPersonRead


class RejectionRead(BaseModel):
    row_no: int
    field: str
    message: str
