"""The rules of jobs: who submits and sees what, how an upload is taken in. No SQL here."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Mapping
from typing import Any

from fastapi import Request
from sqlalchemy import event
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.requests import ClientDisconnect

from oms_kit.audit import audit_access
from oms_kit.auth import Principal
from oms_kit.errors import Forbidden, InvalidInput, NotFound
from oms_kit.jobs.disposition import filename_from
from oms_kit.jobs.kinds import (
    EmptyUpload,
    JobAlreadyFinished,
    JobKind,
    UnsupportedUploadType,
    UploadInterrupted,
    UploadTooLarge,
)
from oms_kit.jobs.models import Job, JobFile
from oms_kit.jobs.repository import JobRepository
from oms_kit.jobs.runner import wake_runners
from oms_kit.jobs.schemas import JobRead
from oms_kit.jobs.storage import JobFileInfo, human_size, store_file
from oms_kit.pagination import Page, PageParams
from oms_kit.settings import ServiceSettings

Kinds = Mapping[str, JobKind]
DEFAULT_UPLOAD_NAME = "upload"


def upload_request_body(media_types: list[str]) -> dict[str, Any]:
    """``openapi_extra`` of an endpoint that takes a raw file body (not multipart)."""
    return {
        "requestBody": {
            "required": True,
            "content": {mt: {"schema": {"type": "string", "format": "binary"}} for mt in media_types},
        }
    }


async def submit_job(
    session: AsyncSession,
    kind: JobKind,
    principal: Principal,
    *,
    params: dict[str, Any] | None = None,
    title: str | None = None,
    organization_id: uuid.UUID | None = None,
) -> Job:
    """A queued job, inserted in the caller's (the request's) transaction: it runs only if
    that commits. Runners in this process are woken right after the commit."""
    job = await JobRepository(session).add(
        Job(
            id=uuid.uuid4(),
            kind=kind.name,
            title=title or kind.title,
            status="queued",
            stage="В очереди",
            params=params or {},
            organization_id=organization_id or principal.org_id,
            created_by=principal.subject,
            created_by_org_id=principal.org_id,
        )
    )
    event.listen(session.sync_session, "after_commit", lambda _session: wake_runners(), once=True)
    return job


def _max_upload(request: Request) -> int:
    settings = getattr(request.app.state, "settings", None)
    if isinstance(settings, ServiceSettings):
        return settings.jobs_max_upload_bytes
    return ServiceSettings.model_fields["jobs_max_upload_bytes"].default  # type: ignore[no-any-return]


def _media_type(request: Request, allowed: Collection[str] | None) -> str:
    media_type = request.headers.get("content-type", "application/octet-stream").split(";")[0].strip().lower()
    media_type = media_type or "application/octet-stream"
    if allowed is not None and media_type not in {m.lower() for m in allowed}:
        raise UnsupportedUploadType(f"Тип «{media_type}» не принимается; можно: {', '.join(sorted(allowed))}")
    return media_type


async def receive_upload(
    session: AsyncSession,
    job: Job,
    request: Request,
    *,
    name: str | None = None,
    max_bytes: int | None = None,
    allowed_media_types: Collection[str] | None = None,
) -> JobFile:
    """Stream the raw request body into an input file of ``job``, in the request's
    transaction (a refused upload leaves neither file nor job). Too big → 413, empty → 422,
    a media type not in ``allowed_media_types`` → 415."""
    limit = max_bytes if max_bytes is not None else _max_upload(request)
    media_type = _media_type(request, allowed_media_types)
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit():
        if int(declared) > limit:
            raise UploadTooLarge(f"Файл больше допустимых {human_size(limit)}")
        if int(declared) == 0:
            raise EmptyUpload("Файл пуст: тело запроса не содержит данных")
    file_name = filename_from(request.headers.get("content-disposition")) or name or DEFAULT_UPLOAD_NAME
    try:
        stored = await store_file(
            session,
            job.id,
            role="input",
            name=file_name,
            media_type=media_type,
            content=request.stream(),
            max_bytes=limit,
        )
    except ClientDisconnect as exc:  # nothing to answer; the transaction is rolled back
        raise UploadInterrupted("Загрузка прервана клиентом") from exc
    if stored.size == 0:
        raise EmptyUpload("Файл пуст: тело запроса не содержит данных")
    return stored


async def job_read(session: AsyncSession, job: Job) -> JobRead:
    """The API's view of ``job`` with its files (e.g. the answer of a submitting endpoint)."""
    files = await JobRepository(session).files_of([job.id])
    return JobRead.of(job, files[job.id])


def _readable(principal: Principal, kinds: Kinds) -> list[str]:
    return [name for name, kind in kinds.items() if principal.has(kind.read_permission)]


async def list_jobs(
    session: AsyncSession,
    principal: Principal,
    kinds: Kinds,
    paging: PageParams,
    *,
    kind: str | None = None,
    status: str | None = None,
    mine: bool = False,
) -> Page[JobRead]:
    readable = _readable(principal, kinds)
    if kind is not None:
        if kind not in kinds:
            known = ", ".join(sorted(kinds))
            raise InvalidInput(f"Параметр kind: вид задачи «{kind}» неизвестен; есть: {known}")
        if kind not in readable:
            raise Forbidden(f"Нужно право «{kinds[kind].read_permission}»")
        readable = [kind]
    if not readable:
        wanted = ", ".join(sorted({k.read_permission for k in kinds.values()}))
        raise Forbidden(f"Нужно право «{wanted}»")
    repo = JobRepository(session)
    rows, total = await repo.page(
        principal,
        readable,
        status=status,
        created_by=principal.subject if mine else None,
        limit=paging.limit,
        offset=paging.offset,
    )
    files = await repo.files_of([job.id for job in rows])
    items = [JobRead.of(job, files[job.id]) for job in rows]
    return Page(items=items, total=total, limit=paging.limit, offset=paging.offset)


async def _visible_job(
    session: AsyncSession, principal: Principal, kinds: Kinds, job_id: uuid.UUID, permission: str = "read"
) -> Job:
    """The job if the principal may see it: another organization's is a 404 (existence does
    not leak), a visible one without the kind's permission a 403."""
    job = await JobRepository(session).get_visible(principal, list(kinds), job_id)
    if job is None:
        raise NotFound("Задача не найдена")
    kind = kinds[job.kind]
    needed = kind.cancel_permission if permission == "cancel" else kind.read_permission
    if not principal.has(needed):
        raise Forbidden(f"Нужно право «{needed}»")
    return job


async def get_job(session: AsyncSession, principal: Principal, kinds: Kinds, job_id: uuid.UUID) -> JobRead:
    return await job_read(session, await _visible_job(session, principal, kinds, job_id))


async def find_job(
    session: AsyncSession, principal: Principal, kinds: Kinds, job_id: uuid.UUID
) -> JobRead | None:
    """``get_job`` for a stream that is already open: None once the job is gone."""
    try:
        return await get_job(session, principal, kinds, job_id)
    except (NotFound, Forbidden):
        return None


async def cancel_job(session: AsyncSession, principal: Principal, kinds: Kinds, job_id: uuid.UUID) -> JobRead:
    await _visible_job(session, principal, kinds, job_id, permission="cancel")
    job = await JobRepository(session).request_cancel(job_id)
    if job is None:
        raise JobAlreadyFinished("Задача уже завершена, отменять нечего")
    return await job_read(session, job)


async def file_to_download(
    session: AsyncSession, principal: Principal, kinds: Kinds, job_id: uuid.UUID, file_id: uuid.UUID
) -> JobFileInfo:
    await _visible_job(session, principal, kinds, job_id)
    found = await JobRepository(session).file(job_id, file_id)
    if found is None:
        raise NotFound("Файл задачи не найден")
    # Results may carry personal data (registers, reports): who took which file is recorded.
    await audit_access(session, principal, action="download", resource=f"job_file:{file_id}")
    return found
