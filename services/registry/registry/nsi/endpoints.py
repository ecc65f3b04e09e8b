from datetime import date
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Query, Request, Response, status

from oms_kit.app import secure_router
from oms_kit.auth import Principal, require_permission
from oms_kit.db import DbSession
from oms_kit.errors import problem_responses
from oms_kit.jobs import JobRead, job_read, receive_upload, submit_job, upload_request_body
from oms_kit.pagination import Page, Paging
from registry.nsi import service
from registry.nsi.caching import not_modified, set_cache_headers
from registry.nsi.jobs import NSI_IMPORT, import_params
from registry.nsi.schemas import (
    DictionaryDetail,
    DictionaryRead,
    DiffPage,
    DiffStatus,
    EntryDetail,
    EntryPage,
    VersionRead,
)

T = TypeVar("T")
router = secure_router(prefix="/nsi", tags=["nsi"], responses=problem_responses(401, 403))

CanRead = Annotated[Principal, Depends(require_permission("registry.nsi:read"))]
CanWrite = Annotated[Principal, Depends(require_permission("registry.nsi:write"))]
On = Annotated[
    date | None, Query(description="Дата, на которую записи должны действовать (по умолчанию — сегодня)")
]
VersionName = Annotated[
    str | None, Query(max_length=40, description="Номер версии; без него — версия, действующая на дату on")
]
NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Не изменилось с версии, указанной в If-None-Match"}
}
IMPORT_TYPES = ["text/csv", "application/json"]
# NSI dictionaries are megabytes (ICD-10: ~1.5 MB of CSV); the general upload limit is for registers.
MAX_IMPORT_BYTES = 100 * 1024 * 1024


def _not_modified(request: Request, tag: service.CacheTag) -> Response | None:
    """304 without a body when the client holds this tag already."""
    return not_modified(request, tag.etag, tag.max_age)


def _tagged(response: Response, tag: service.CacheTag, body: T) -> T:
    set_cache_headers(response, tag.etag, tag.max_age)
    return body


def _answer(request: Request, response: Response, read: service.Tagged[T]) -> Response | T:
    cached = _not_modified(request, read.tag)
    return cached if cached is not None else _tagged(response, read.tag, read.body)


@router.get(
    "/dictionaries",
    operation_id="nsi-list_dictionaries",
    summary="Справочники НСИ с действующими версиями",
    response_model=list[DictionaryRead],
    responses=NOT_MODIFIED,
)
async def list_dictionaries(
    request: Request, response: Response, session: DbSession, principal: CanRead
) -> Response | list[DictionaryRead]:
    return _answer(request, response, await service.list_dictionaries(session, date.today()))


@router.get(
    "/dictionaries/{code}",
    operation_id="nsi-get_dictionary",
    summary="Справочник: паспорт, колонки файла импорта и все версии",
    response_model=DictionaryDetail,
    responses={**NOT_MODIFIED, **problem_responses(404)},
)
async def get_dictionary(
    request: Request, response: Response, session: DbSession, principal: CanRead, code: str
) -> Response | DictionaryDetail:
    return _answer(request, response, await service.dictionary_detail(session, code, date.today()))


@router.get(
    "/dictionaries/{code}/versions",
    operation_id="nsi-list_versions",
    summary="Версии справочника постранично, действующие позже — первыми",
    response_model=Page[VersionRead],
    responses={**NOT_MODIFIED, **problem_responses(404)},
)
async def list_versions(
    request: Request, response: Response, session: DbSession, principal: CanRead, code: str, paging: Paging
) -> Response | Page[VersionRead]:
    return _answer(request, response, await service.versions_page(session, code, paging))


@router.get(
    "/dictionaries/{code}/entries",
    operation_id="nsi-list_entries",
    summary="Записи справочника, действующие на дату (поиск по началу кода или по наименованию)",
    response_model=EntryPage,
    responses={**NOT_MODIFIED, **problem_responses(404)},
)
async def list_entries(
    request: Request,
    response: Response,
    session: DbSession,
    principal: CanRead,
    code: str,
    paging: Paging,
    on: On = None,
    version: VersionName = None,
    q: Annotated[
        str | None, Query(max_length=200, description="Начало кода или часть наименования (ё = е)")
    ] = None,
    parent: Annotated[str | None, Query(max_length=100, description="Код родительской записи")] = None,
    top_level: Annotated[
        bool,
        Query(description="Только записи верхнего уровня, без родителя (например, классы МКБ-10)"),
    ] = False,
) -> Response | EntryPage:
    read = await service.resolve_read(
        session,
        code,
        kind="entries",
        version=version,
        on=on,
        today=date.today(),
        # top_level only when asked: the tags of the other reads stay what they were
        query=(q, parent, paging.limit, paging.offset, *(("top_level",) if top_level else ())),
    )
    cached = _not_modified(request, read.tag)
    if cached is not None:
        return cached
    page = await service.entries_page(
        session, read.version, paging, on=read.on, q=q, parent=parent, top_level=top_level
    )
    return _tagged(response, read.tag, page)


@router.get(
    "/dictionaries/{code}/entries/{entry_code}",
    operation_id="nsi-get_entry",
    summary="Запись справочника, действующая на дату",
    response_model=EntryDetail,
    responses={**NOT_MODIFIED, **problem_responses(404)},
)
async def get_entry(
    request: Request,
    response: Response,
    session: DbSession,
    principal: CanRead,
    code: str,
    entry_code: str,
    on: On = None,
    version: VersionName = None,
) -> Response | EntryDetail:
    read = await service.resolve_read(
        session, code, kind="entry", version=version, on=on, today=date.today(), query=(entry_code,)
    )
    cached = _not_modified(request, read.tag)
    if cached is not None:
        return cached
    entry = await service.get_entry(session, read.dictionary, read.version, entry_code, on=read.on)
    return _tagged(response, read.tag, entry)


@router.get(
    "/dictionaries/{code}/diff",
    operation_id="nsi-diff_versions",
    summary="Различия двух версий справочника: добавленные, удалённые, изменённые записи",
    response_model=DiffPage,
    responses={**NOT_MODIFIED, **problem_responses(404)},
)
async def diff_versions(
    request: Request,
    response: Response,
    session: DbSession,
    principal: CanRead,
    code: str,
    paging: Paging,
    from_version: Annotated[
        str | None,
        Query(alias="from", max_length=40, description="Прежняя версия; по умолчанию — предыдущая перед to"),
    ] = None,
    to_version: Annotated[
        str | None, Query(alias="to", max_length=40, description="Новая версия; по умолчанию — действующая")
    ] = None,
    change: Annotated[
        list[DiffStatus] | None, Query(description="Какие изменения показать (по умолчанию все)")
    ] = None,
) -> Response | DiffPage:
    diff = await service.resolve_diff(
        session,
        code,
        from_version=from_version,
        to_version=to_version,
        change=change,
        today=date.today(),
        query=(paging.limit, paging.offset),
    )
    cached = _not_modified(request, diff.tag)
    if cached is not None:
        return cached
    page = await service.diff_page(session, diff.old, diff.new, paging, statuses=diff.statuses)
    return _tagged(response, diff.tag, page)


@router.post(
    "/dictionaries/{code}/imports",
    operation_id="nsi-import_version",
    summary="Загрузить новую версию справочника (CSV или JSON в формате портала НСИ)",
    status_code=status.HTTP_202_ACCEPTED,
    openapi_extra=upload_request_body(IMPORT_TYPES),
    responses=problem_responses(404, 409, 413, 415, 422),
)
async def import_version(
    request: Request,
    session: DbSession,
    principal: CanWrite,
    code: str,
    version: Annotated[
        str, Query(min_length=1, max_length=40, pattern=r"^[0-9A-Za-z._\-]+$", description="Номер версии")
    ],
    valid_from: Annotated[date, Query(description="Дата, с которой версия действует")],
) -> JobRead:
    dictionary = await service.get_dictionary(session, code, create=True)
    await service.ensure_new_version(session, dictionary, version)
    job = await submit_job(
        session,
        NSI_IMPORT,
        principal,
        params=import_params(code, version, valid_from),
        title=f"Импорт справочника «{dictionary.name}», версия {version}",
    )
    await receive_upload(session, job, request, max_bytes=MAX_IMPORT_BYTES, allowed_media_types=IMPORT_TYPES)
    return await job_read(session, job)
