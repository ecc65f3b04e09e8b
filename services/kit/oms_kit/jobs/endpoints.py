"""``jobs_router``: ``/jobs`` of a service — its jobs, their live status, cancel, result files."""

# No ``from __future__ import annotations`` here: the endpoints are built in a closure, and
# FastAPI can only read their annotations when they are evaluated eagerly.
import uuid
from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse

from oms_kit.auth.dependencies import CurrentPrincipal, authenticated
from oms_kit.db import DbSession, database_of
from oms_kit.errors import problem_responses
from oms_kit.jobs import service
from oms_kit.jobs.disposition import attachment
from oms_kit.jobs.events import SSE_HEADERS, job_event_stream
from oms_kit.jobs.kinds import JobKind
from oms_kit.jobs.models import JobStatus
from oms_kit.jobs.schemas import JobRead
from oms_kit.jobs.storage import read_chunks
from oms_kit.pagination import Page, Paging

_BINARY = {"schema": {"type": "string", "format": "binary"}}


def jobs_router(
    kinds: Sequence[JobKind], *, poll_seconds: float = 0.5, keepalive_seconds: float = 15.0
) -> APIRouter:
    """The jobs of ``kinds``, each visible to whoever has its kind's ``read_permission`` in
    the job's organization (region-wide roles: in any), never to patients."""
    by_name = {kind.name: kind for kind in kinds}
    # Authenticated like ``oms_kit.app.secure_router`` (which this module cannot import:
    # ``oms_kit.app`` mounts this router).
    router = APIRouter(
        prefix="/jobs",
        tags=["jobs"],
        dependencies=[Depends(authenticated)],
        responses=problem_responses(401, 403),
    )

    @router.get("", operation_id="jobs-list", summary="Фоновые задачи, новые первыми")
    async def list_jobs(
        session: DbSession,
        principal: CurrentPrincipal,
        paging: Paging,
        kind: Annotated[str | None, Query(description="Вид задачи")] = None,
        status: Annotated[JobStatus | None, Query(description="Состояние задачи")] = None,
        mine: Annotated[bool, Query(description="Только задачи, запущенные мной")] = False,
    ) -> Page[JobRead]:
        return await service.list_jobs(
            session, principal, by_name, paging, kind=kind, status=status, mine=mine
        )

    @router.get(
        "/{job_id}", operation_id="jobs-get", summary="Задача и её файлы", responses=problem_responses(404)
    )
    async def get_job(session: DbSession, principal: CurrentPrincipal, job_id: uuid.UUID) -> JobRead:
        return await service.get_job(session, principal, by_name, job_id)

    @router.get(
        "/{job_id}/events",
        operation_id="jobs-events",
        summary="Ход задачи: поток server-sent events до её завершения",
        response_class=StreamingResponse,
        responses={
            200: {
                "description": "`event: job` с JobRead при каждом изменении; `: keep-alive` каждые 15 с",
                "content": {"text/event-stream": {"schema": {"type": "string"}}},
            },
            **problem_responses(404),
        },
    )
    async def job_events(
        session: DbSession, request: Request, principal: CurrentPrincipal, job_id: uuid.UUID
    ) -> StreamingResponse:
        first = await service.get_job(session, principal, by_name, job_id)
        stream = job_event_stream(
            database_of(request),
            principal,
            by_name,
            first,
            poll_seconds=poll_seconds,
            keepalive_seconds=keepalive_seconds,
        )
        return StreamingResponse(stream, media_type="text/event-stream", headers=SSE_HEADERS)

    @router.post(
        "/{job_id}/cancel",
        operation_id="jobs-cancel",
        summary="Отменить задачу",
        responses=problem_responses(404, 409),
    )
    async def cancel_job(session: DbSession, principal: CurrentPrincipal, job_id: uuid.UUID) -> JobRead:
        return await service.cancel_job(session, principal, by_name, job_id)

    @router.get(
        "/{job_id}/files/{file_id}",
        operation_id="jobs-file-download",
        summary="Скачать файл задачи",
        response_class=StreamingResponse,
        responses={
            200: {"description": "Содержимое файла", "content": {"application/octet-stream": _BINARY}},
            **problem_responses(404),
        },
    )
    async def download_file(
        session: DbSession,
        request: Request,
        principal: CurrentPrincipal,
        job_id: uuid.UUID,
        file_id: uuid.UUID,
    ) -> StreamingResponse:
        found = await service.file_to_download(session, principal, by_name, job_id, file_id)
        headers = {
            # Exactly the stored type: Starlette would add "; charset=utf-8" to a text/* type.
            "Content-Type": found.media_type,
            "Content-Disposition": attachment(found.name),
            "Content-Length": str(found.size),
        }
        return StreamingResponse(read_chunks(database_of(request), found.id), headers=headers)

    return router
