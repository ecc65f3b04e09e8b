"""What a service declares for each kind of job, and how a job ends other than in success."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from oms_kit.errors import Conflict, DomainError, InvalidInput

if TYPE_CHECKING:
    from oms_kit.jobs.context import JobContext


@dataclass(frozen=True)
class JobKind:
    """A kind of job (``"registry.nsi_import"``): its default title, who may see its jobs
    (``read_permission``) and cancel them (``write_permission``, else the read one), and the
    handler. ``run`` returns the result summary stored on the job (JSON-able)."""

    name: str
    title: str
    read_permission: str
    run: Callable[[JobContext], Awaitable[dict[str, Any]]]
    write_permission: str | None = None

    @property
    def cancel_permission(self) -> str:
        return self.write_permission or self.read_permission


class JobFailed(Exception):
    """An expected failure the handler reports to the user (in Russian): the job is failed
    with this ``title`` and ``detail``."""

    def __init__(self, title: str, detail: str) -> None:
        super().__init__(f"{title}: {detail}")
        self.title = title
        self.detail = detail


class JobCancelled(Exception):
    """Raised by ``JobContext.progress`` once cancellation is requested (or the job was taken
    away from this runner); the handler lets it propagate and the job ends cancelled."""


class UploadTooLarge(DomainError):
    status = 413
    code = "upload-too-large"
    title = "Файл слишком большой"


class UnsupportedUploadType(DomainError):
    status = 415
    code = "unsupported-media-type"
    title = "Неподдерживаемый тип файла"


class UploadInterrupted(DomainError):
    """The client went away in the middle of its upload (nginx's 499)."""

    status = 499
    code = "client-closed-request"
    title = "Клиент прервал загрузку"


class EmptyUpload(InvalidInput):
    code = "empty-upload"
    title = "Пустой файл"


class JobAlreadyFinished(Conflict):
    code = "job-finished"
    title = "Задача уже завершена"
