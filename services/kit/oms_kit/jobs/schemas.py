"""What the jobs API answers."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from oms_kit.jobs.models import FileRole, Job, JobStatus
from oms_kit.jobs.storage import JobFileInfo


class JobFileRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    role: FileRole = Field(description="input — загруженный файл, output — результат задачи")
    name: str
    media_type: str
    size: int = Field(description="Размер в байтах")
    sha256: str | None
    created_at: datetime


class JobError(BaseModel):
    title: str
    detail: str


class JobRead(BaseModel):
    id: uuid.UUID
    kind: str
    title: str
    status: JobStatus
    stage: str | None = Field(description="Текущий этап (по-русски)")
    progress_done: int
    progress_total: int | None
    percent: int | None = Field(description="Готовность 0–100, если известен общий объём")
    created_by: str
    created_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    result: dict[str, Any] | None = Field(description="Итог задачи, когда она выполнена")
    error: JobError | None = Field(description="Причина, если задача не выполнена")
    files: list[JobFileRead]

    @classmethod
    def of(cls, job: Job, files: Sequence[JobFileInfo]) -> JobRead:
        return cls(
            id=job.id,
            kind=job.kind,
            title=job.title,
            status=job.status,
            stage=job.stage,
            progress_done=job.progress_done,
            progress_total=job.progress_total,
            percent=percent(job.status, job.progress_done, job.progress_total),
            created_by=job.created_by,
            created_at=job.created_at,
            started_at=job.started_at,
            finished_at=job.finished_at,
            result=job.result,
            error=JobError.model_validate(job.error) if job.error else None,
            files=[JobFileRead.model_validate(f) for f in files],
        )


def percent(status: str, done: int, total: int | None) -> int | None:
    if status == "succeeded":
        return 100
    if not total or total <= 0:
        return None
    return max(0, min(100, done * 100 // total))
