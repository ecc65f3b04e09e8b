"""Matching, the duplicate review queue, merge and unmerge (mounted before ``/persons/{id}``)."""

import uuid
from typing import Annotated

from fastapi import Depends, Path, Query, status

from oms_kit.app import secure_router
from oms_kit.auth import Principal, require_permission
from oms_kit.db import DbSession
from oms_kit.errors import problem_responses
from oms_kit.jobs import JobRead
from oms_kit.pagination import Page, Paging
from registry.matching import merge, queue, service
from registry.matching.schemas import (
    DuplicateRead,
    DuplicateReject,
    DuplicateSource,
    DuplicateStatus,
    MatchRequest,
    MatchResult,
    MergeRead,
    MergeRequest,
    ScanRequest,
    UnmergeRequest,
)

router = secure_router(tags=["matching"], responses=problem_responses(401, 403))

CanRead = Annotated[Principal, Depends(require_permission("registry.person:read"))]
CanWrite = Annotated[Principal, Depends(require_permission("registry.person:write"))]
PersonId = Annotated[uuid.UUID, Path(description="Идентификатор персоны")]


@router.post(
    "/persons/$match",
    operation_id="matching-match",
    summary="Найти совпадения с регистром (перед регистрацией): кандидаты с оценкой и причинами",
    responses=problem_responses(422),
)
async def match_persons(session: DbSession, principal: CanRead, data: MatchRequest) -> MatchResult:
    return await service.match(session, principal, data)


@router.get(
    "/duplicates",
    operation_id="matching-list-duplicates",
    summary="Очередь возможных дубликатов",
)
async def list_duplicates(
    session: DbSession,
    principal: CanRead,
    paging: Paging,
    status: Annotated[DuplicateStatus | None, Query(description="open, merged, rejected")] = None,
    source: Annotated[DuplicateSource | None, Query(description="registration, scan")] = None,
) -> Page[DuplicateRead]:
    return await queue.list_duplicates(session, principal, status=status, source=source, paging=paging)


@router.post(
    "/duplicates/{duplicate_id}/reject",
    operation_id="matching-reject-duplicate",
    summary="Это разные люди: отклонить пару",
    responses=problem_responses(404, 409, 422),
)
async def reject_duplicate(
    session: DbSession,
    principal: CanWrite,
    duplicate_id: Annotated[uuid.UUID, Path(description="Пара из очереди")],
    data: DuplicateReject,
) -> DuplicateRead:
    return await queue.reject(session, principal, duplicate_id, data)


@router.post(
    "/duplicates/scans",
    operation_id="matching-start-scan",
    summary="Запустить поиск дубликатов по всему регистру (фоновое задание)",
    status_code=status.HTTP_202_ACCEPTED,
    responses=problem_responses(422),
)
async def start_scan(session: DbSession, principal: CanWrite, data: ScanRequest) -> JobRead:
    return await queue.start_scan(session, principal, data)


@router.post(
    "/persons/{person_id}/merge",
    operation_id="matching-merge",
    summary="Объединить дубликат с персоной-продолжателем",
    responses=problem_responses(404, 409, 422),
)
async def merge_persons(
    session: DbSession, principal: CanWrite, person_id: PersonId, data: MergeRequest
) -> MergeRead:
    return await merge.merge(session, principal, person_id, data)


@router.post(
    "/persons/{person_id}/unmerge",
    operation_id="matching-unmerge",
    summary="Разъединить: восстановить объединённую персону",
    responses=problem_responses(404, 409, 422),
)
async def unmerge_person(
    session: DbSession, principal: CanWrite, person_id: PersonId, data: UnmergeRequest
) -> MergeRead:
    return await merge.unmerge(session, principal, person_id, data)


@router.get(
    "/persons/{person_id}/merges",
    operation_id="matching-list-merges",
    summary="Объединения, в которых участвовала персона",
    responses=problem_responses(404),
)
async def list_merges(session: DbSession, principal: CanRead, person_id: PersonId) -> list[MergeRead]:
    return await merge.merges_of(session, principal, person_id)
