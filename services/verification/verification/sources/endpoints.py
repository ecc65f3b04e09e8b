"""The sources: list with counts, received answers (batches) and their rejected rows, and the
upload of an answer file as a job."""

import uuid
from typing import Annotated

from fastapi import Depends, Path, Request, status

from oms_kit.app import secure_router
from oms_kit.auth import Principal, require_permission
from oms_kit.db import DbSession
from oms_kit.errors import problem_responses
from oms_kit.jobs import JobRead, upload_request_body
from oms_kit.pagination import Page, Paging
from verification.sources import views
from verification.sources.schemas import BatchRead, RejectionRead, SourceRead
from verification.sources.views import ANSWER_MEDIA_TYPES

router = secure_router(prefix="/sources", tags=["sources"], responses=problem_responses(401, 403))
CanRead = Annotated[Principal, Depends(require_permission("verification.source:read"))]
CanWrite = Annotated[Principal, Depends(require_permission("verification.source:write"))]
Code = Annotated[str, Path(description="Код источника: fns, sfr, zags, mvd, military")]


@router.get("", operation_id="sources-list", summary="Источники сведений с числом загруженных записей")
async def list_sources(session: DbSession, principal: CanRead) -> list[SourceRead]:
    return await views.list_sources(session)


@router.get(
    "/{code}/batches",
    operation_id="sources-batches",
    summary="Полученные ответы источника (файлы и сообщения СМЭВ)",
    responses=problem_responses(404),
)
async def list_batches(session: DbSession, principal: CanRead, code: Code, paging: Paging) -> Page[BatchRead]:
    return await views.list_batches(session, principal, code, paging)


@router.get(
    "/{code}/batches/{batch_id}/rejections",
    operation_id="sources-batch-rejections",
    summary="Отклонённые строки ответа с причинами",
    responses=problem_responses(404),
)
async def list_rejections(
    session: DbSession,
    principal: CanRead,
    code: Code,
    batch_id: Annotated[uuid.UUID, Path(description="Ответ источника")],
    paging: Paging,
) -> Page[RejectionRead]:
    return await views.list_rejections(session, principal, code, batch_id, paging)


@router.post(
    "/{code}/answers",
    operation_id="sources-upload-answer",
    summary="Загрузить файл ответа источника (CSV или XML) — фоновое задание",
    status_code=status.HTTP_202_ACCEPTED,
    openapi_extra=upload_request_body(ANSWER_MEDIA_TYPES),
    responses=problem_responses(404, 413, 415, 422),
)
async def upload_answer(session: DbSession, request: Request, principal: CanWrite, code: Code) -> JobRead:
    return await views.start_upload(session, principal, request, code)
