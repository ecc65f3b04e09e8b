from datetime import date
from typing import Annotated, Any

from fastapi import Depends, Query, Request, Response, status

from oms_kit.app import secure_router
from oms_kit.auth import Principal, require_permission
from oms_kit.db import DbSession
from oms_kit.errors import problem_responses
from oms_kit.jobs import JobRead, job_read, receive_upload, submit_job, upload_request_body
from oms_kit.pagination import Paging
from registry.nsi import service
from registry.nsi.caching import MAX_AGE_CURRENT, MAX_AGE_PINNED, etag_of, not_modified, set_cache_headers
from registry.nsi.jobs import NSI_IMPORT, import_params
from registry.nsi.schemas import (
    DictionaryDetail,
    DictionaryRead,
    DiffPage,
    DiffStatus,
    EntryDetail,
    EntryPage,
)

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
    items = await service.list_dictionaries(session, date.today())
    etag = etag_of("dictionaries", date.today(), *(d.model_dump_json() for d in items))
    cached = not_modified(request, etag, MAX_AGE_CURRENT)
    if cached is not None:
        return cached
    set_cache_headers(response, etag, MAX_AGE_CURRENT)
    return items


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
    detail = await service.dictionary_detail(session, code, date.today())
    etag = etag_of("dictionary", detail.model_dump_json())
    cached = not_modified(request, etag, MAX_AGE_CURRENT)
    if cached is not None:
        return cached
    set_cache_headers(response, etag, MAX_AGE_CURRENT)
    return detail


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
) -> Response | EntryPage:
    dictionary = await service.get_dictionary(session, code)
    # A pinned version without a date shows all its rows; otherwise rows valid on the date.
    when = on if on is not None or version is not None else date.today()
    resolved = await service.resolve_version(session, dictionary, version=version, on=when or date.today())
    max_age = MAX_AGE_PINNED if version is not None and on is not None else MAX_AGE_CURRENT
    etag = etag_of("entries", code, resolved.id, when, q, parent, paging.limit, paging.offset)
    cached = not_modified(request, etag, max_age)
    if cached is not None:
        return cached
    page = await service.entries_page(session, resolved, paging, on=when, q=q, parent=parent)
    set_cache_headers(response, etag, max_age)
    return page


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
    dictionary = await service.get_dictionary(session, code)
    when = on if on is not None or version is not None else date.today()
    resolved = await service.resolve_version(session, dictionary, version=version, on=when or date.today())
    max_age = MAX_AGE_PINNED if version is not None and on is not None else MAX_AGE_CURRENT
    etag = etag_of("entry", code, resolved.id, when, entry_code)
    cached = not_modified(request, etag, max_age)
    if cached is not None:
        return cached
    entry = await service.get_entry(session, dictionary, resolved, entry_code, on=when)
    set_cache_headers(response, etag, max_age)
    return entry


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
    dictionary = await service.get_dictionary(session, code)
    statuses = tuple(dict.fromkeys(change)) if change else service.DIFF_STATUSES
    old, new = await service.diff_sides(
        session, dictionary, from_version=from_version, to_version=to_version, today=date.today()
    )
    pinned = from_version is not None and to_version is not None
    max_age = MAX_AGE_PINNED if pinned else MAX_AGE_CURRENT
    etag = etag_of("diff", code, old.id if old else None, new.id, statuses, paging.limit, paging.offset)
    cached = not_modified(request, etag, max_age)
    if cached is not None:
        return cached
    page = await service.diff_page(session, old, new, paging, statuses=statuses)
    set_cache_headers(response, etag, max_age)
    return page


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
